import { eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.ts';
import { patients } from '../../db/schema/index.ts';
import { notFound } from '../../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { decide, type Actor, type DataCategory, type PatientAction, type PatientRef } from './access.policy.ts';

/** What a patient-data operation declares about itself, for the policy and the audit trail. */
export interface PatientAccessRequest {
  patientId: string;
  action: PatientAction;
  categories: DataCategory[];
  /** Audit action name, e.g. 'patient.summary.read'. */
  auditAction: string;
}

/** The patient row and which of the requested categories the actor may touch. */
export interface PatientAccessGrant {
  patient: PatientRef;
  allowed: Set<DataCategory>;
}

/**
 * Runs `work` in one transaction after the policy allows at least the first category; the audit event commits with it.
 * Anything not allowed answers 404 and leaves a 'denied' audit event (DESIGN.md: never reveal existence).
 */
export async function withPatientAccess<T>(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  request: PatientAccessRequest,
  work: (tx: Transaction, grant: PatientAccessGrant) => Promise<T>,
): Promise<T> {
  const denied = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: patients.id, organizationId: patients.organizationId })
      .from(patients)
      .where(eq(patients.id, request.patientId))
      .limit(1);
    const [primary, ...rest] = request.categories;
    const first = row && primary ? decide(actor, row, request.action, primary) : null;
    if (!row || !primary || !first?.allow) return first?.reason ?? 'no_such_patient';
    const allowed = new Set<DataCategory>([primary]);
    for (const category of rest) if (decide(actor, row, request.action, category).allow) allowed.add(category);
    await recordAudit(tx, audit, {
      action: request.auditAction,
      outcome: 'success',
      patientId: row.id,
      objectType: 'Patient',
      objectId: row.id,
      details: { reason: first.reason, categories: [...allowed] },
    });
    return { result: await work(tx, { patient: row, allowed }) };
  });
  if (typeof denied === 'object') return denied.result;
  await db.transaction((tx) =>
    recordAudit(tx, audit, {
      action: request.auditAction,
      outcome: 'denied',
      objectType: 'Patient',
      objectId: request.patientId,
      details: { reason: denied },
    }),
  );
  throw notFound('The patient');
}
