import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../../db/client.ts';
import { fhirResources, patients, users } from '../../db/schema/index.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { isResultSql, isVisibleToPatientSql } from './result-release.ts';

/**
 * The "new test result" email. It says only that something is waiting, never which test or what it showed
 * (SECURITY.md: no patient data in emails), and links to the results page, where the patient signs in first.
 */
export function newResultEmail(to: string, publicUrl: string) {
  return {
    to,
    subject: 'A new test result is ready in Portico',
    text:
      `A new test result is ready for you in your Portico health record.\n\nSign in to read it:\n\n${publicUrl}/record/results\n\n` +
      'For your privacy, this email does not say which test it is. If you have questions about a result, message your care team in Portico.',
  };
}

/** Patients with a verified, enabled portal account who can see at least one of these results now, one row each. */
function recipientsOf(db: Executor, resultIds: string[]) {
  return db
    .selectDistinctOn([patients.id], { patientId: patients.id, email: users.email })
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
    .orderBy(patients.id);
}

/** Enqueues one "a new test result is ready" email per patient (with a portal account and a verified email) who has at least one result visible to them among `resultIds`; no clinical content, no test names, a link to `${publicUrl}/record/results`. */
export async function notifyNewResults(tx: Transaction, resultIds: string[], publicUrl: string): Promise<void> {
  if (resultIds.length === 0) return;
  for (const recipient of await recipientsOf(tx, resultIds)) await enqueueEmail(tx, newResultEmail(recipient.email, publicUrl));
}
