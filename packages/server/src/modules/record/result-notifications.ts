import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../../db/client.ts';
import { fhirResources, patients, users } from '../../db/schema/index.ts';
import { notifyCareTeam } from '../care-team/care-team-notifications.ts';
import { notify } from '../notifications/notify.ts';
import { isResultSql, isVisibleToPatientSql } from './result-release.ts';

/**
 * Portal users of patients who can see at least one of these results now, one row each, with the first such result
 * (lowest id) naming the event. Verification and disabled accounts are checked again by notify().
 */
function recipientsOf(db: Executor, resultIds: string[]) {
  return db
    .selectDistinctOn([patients.id], { userId: users.id, firstResultId: fhirResources.id })
    .from(fhirResources)
    .innerJoin(patients, eq(patients.id, fhirResources.patientId))
    .innerJoin(users, eq(users.id, patients.userId))
    .where(
      and(
        sql`${fhirResources.id} = any(${sql.param(resultIds)}::uuid[])`,
        isResultSql(),
        isVisibleToPatientSql(),
        isNotNull(users.emailVerifiedAt),
        isNull(users.disabledAt),
      ),
    )
    .orderBy(patients.id, asc(fhirResources.id));
}

/**
 * Tells each patient who can now see at least one of `resultIds` that a new result is ready, through notify(): by the
 * channels they chose for `new_result`, with no clinical content and a link to `${publicUrl}/record/results`. The event
 * key names the set by its first visible result (`result:<resultId>:<userId>`), so announcing the same set again (a
 * re-import, a repeated release) queues nothing more. The patient's outside care-team members and outside PCP hear of
 * a result released to the patient too (issue 12 §2, `notifyCareTeam`).
 */
export async function notifyNewResults(tx: Transaction, resultIds: string[], publicUrl: string): Promise<void> {
  if (resultIds.length === 0) return;
  for (const recipient of await recipientsOf(tx, resultIds)) {
    await notify(tx, publicUrl, {
      userId: recipient.userId,
      event: 'new_result',
      eventKey: `result:${recipient.firstResultId}:${recipient.userId}`,
      path: '/record/results',
    });
  }
  await notifyCareTeam(tx, resultIds, 'result', publicUrl);
}
