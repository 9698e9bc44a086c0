import { limits } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { forbidden } from '../../errors.ts';
import { can, type Actor } from '../access/access.policy.ts';
import { patientScopeSql } from '../access/access.scope.ts';
import { withPatientRead } from '../access/access.service.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { toRecentResult, toResultItem } from '../record/result-view.ts';
import { findHomeSummary, searchPatients } from './patients.repository.ts';

const recentResultCount = 5;

/** Staff patient search within the actor's organization; each patient shown is an audited read. */
export async function searchPatientsFor(db: Database, actor: Actor, audit: AuditContext, q: string) {
  if (!can(actor, 'patients.search')) throw forbidden('Patient search is for care-team staff.');
  return db.transaction(async (tx) => {
    const rows = await searchPatients(tx, patientScopeSql(actor, 'read', 'demographics'), q, limits.searchMaxResults);
    await recordAudit(tx, audit, [
      { action: 'patient.search', outcome: 'success', details: { results: rows.length } },
      ...rows.map((p) => ({
        action: 'patient.search.result',
        outcome: 'success' as const,
        patientId: p.id,
        objectType: 'Patient',
        objectId: p.id,
      })),
    ]);
    return rows;
  });
}

/** One patient's home summary: demographics, next visit, newest lab results released to the patient, each part as the policy allows. */
export async function getPatientSummary(db: Database, actor: Actor, audit: AuditContext, patientId: string) {
  return withPatientRead(
    db,
    actor,
    audit,
    {
      patientId,
      action: 'read',
      categories: ['demographics', 'appointments', 'clinical', 'result_holds'],
      auditAction: 'patient.summary.read',
    },
    async (tx, grant) => {
      const labs = grant.allowed.has('clinical') ? { limit: recentResultCount, filter: grant.filter } : null;
      const row = await findHomeSummary(tx, patientId, { appointments: grant.allowed.has('appointments'), labs }, new Date());
      if (!row) throw new Error('the patient vanished between the policy and the read');
      const next = row.next;
      return {
        patient: row.patient,
        nextAppointment: next
          ? { ...next, startAt: new Date(next.startAt).toISOString(), endAt: new Date(next.endAt).toISOString() }
          : null,
        recentResults:
          row.labs?.map((r) => toRecentResult(toResultItem({ ...r, effectiveAt: new Date(r.effectiveAt), held: false }))) ?? null,
      };
    },
  );
}
