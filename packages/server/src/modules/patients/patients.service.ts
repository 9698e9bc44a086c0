import { homeNewResultDays, limits, readTypedDate, type DataCategory, type HomeAttention } from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import type { Database } from '../../db/client.ts';
import { AppError, forbidden } from '../../errors.ts';
import { actsForPatient, can, type Actor } from '../access/access.policy.ts';
import { patientScopeSql } from '../access/access.scope.ts';
import { withPatientRead } from '../access/access.service.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { toRecentResult, toResultItem } from '../record/result-view.ts';
import { checkInOpensMs } from '../scheduling/appointment-view.ts';
import { findHomeSummary, searchPatients, type HomeSummaryRow } from './patients.repository.ts';

const recentResultCount = 5;
const checkInsDueListed = 5;
const dayMs = 86_400_000;
const summaryCategories: DataCategory[] = ['demographics', 'appointments', 'clinical', 'result_holds'];
/** What the dashboard counts reads: conversations, results and refills, and visits' check-ins. */
const dashboardCategories: readonly DataCategory[] = ['messages', 'clinical', 'appointments'];

/**
 * Staff patient search within the actor's organization; each patient shown is an audited read. A birth date is read
 * as people type it in `locale` (readTypedDate); a date that names no real day answers 400 naming `q`.
 */
export async function searchPatientsFor(db: Database, actor: Actor, audit: AuditContext, q: string, locale: Locale) {
  if (!can(actor, 'patients.search')) throw forbidden('Patient search is for care-team staff.');
  const typed = readTypedDate(q, locale);
  if (typed.kind === 'not_a_day')
    throw new AppError(400, 'validation_failed', 'q: That date does not exist. Check the day and the month.', 'q');
  const birthDate = typed.kind === 'date' ? typed.date : null;
  const rows = await db.transaction(async (tx) => {
    const rows = await searchPatients(tx, patientScopeSql(actor, 'read', 'demographics'), q, limits.searchMaxResults, birthDate);
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
  return { patients: rows, birthDate };
}

/** The dashboard's answer from its row: ISO instants, and where the next visit's check-in stands. */
function toAttention(row: HomeSummaryRow, now: Date): HomeAttention | null {
  if (!row.attention) return null;
  const checkInsDue = row.attention.checkInsDue.map((c) => ({ ...c, startAt: new Date(c.startAt).toISOString() }));
  const next = row.next;
  let nextCheckIn: HomeAttention['nextCheckIn'] = null;
  if (next) {
    const opensAt = new Date(new Date(next.startAt).getTime() - checkInOpensMs);
    // Inside the window and not due means its check-in is done (the status says so too, unless staff changed it).
    const due = checkInsDue.some((c) => c.appointmentId === next.id);
    const state = due ? 'open' : next.status !== 'checked_in' && opensAt > now ? 'not_open' : 'done';
    nextCheckIn = { state, opensAt: opensAt.toISOString() };
  }
  return { ...row.attention, checkInsDue, nextCheckIn };
}

/**
 * One patient's home summary: demographics, next visit, newest lab results released to the patient, each part as the
 * policy allows; and, when the reader is on the patient's side (the patient themself, or a proxy whose access holds
 * messages, the record and appointments, issue 11), the dashboard of what waits for them (unread messages by the
 * reader's own read marks, new results, open refill requests, check-ins to fill in) under the reader's row filter, so
 * a guardian of a teen does not count a thread the teen kept private. One statement, audited as one read.
 */
export async function getPatientSummary(db: Database, actor: Actor, audit: AuditContext, patientId: string) {
  const patientSide = actsForPatient(actor, { id: patientId });
  return withPatientRead(
    db,
    actor,
    audit,
    {
      patientId,
      action: 'read',
      categories: patientSide ? [...summaryCategories, 'messages'] : summaryCategories,
      auditAction: 'patient.summary.read',
      notForOutsideProviders: true,
    },
    async (tx, grant) => {
      const now = new Date();
      const labs = grant.allowed.has('clinical') ? { limit: recentResultCount, filter: grant.filter } : null;
      const dashboard =
        (grant.via === 'own_record' || grant.via === 'proxy') && dashboardCategories.every((category) => grant.allowed.has(category));
      const attention = dashboard
        ? {
            reader: { userId: actor.userId, filter: grant.filter },
            resultsSinceIfNeverRead: new Date(now.getTime() - homeNewResultDays * dayMs),
            checkInOpenBy: new Date(now.getTime() + checkInOpensMs),
            checkInLimit: checkInsDueListed,
          }
        : null;
      const row = await findHomeSummary(tx, patientId, { appointments: grant.allowed.has('appointments'), labs, attention }, now);
      if (!row) throw new Error('the patient vanished between the policy and the read');
      const next = row.next;
      return {
        patient: row.patient,
        nextAppointment: next
          ? { ...next, startAt: new Date(next.startAt).toISOString(), endAt: new Date(next.endAt).toISOString() }
          : null,
        recentResults:
          row.labs?.map((r) => toRecentResult(toResultItem({ ...r, effectiveAt: new Date(r.effectiveAt), held: false }))) ?? null,
        attention: toAttention(row, now),
      };
    },
  );
}
