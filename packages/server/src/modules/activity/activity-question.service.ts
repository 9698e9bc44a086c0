import type { ActivityEntry, ActivityQuestionAnswer } from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import type { Database, Transaction } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { authorRoleIn, mayKeepThreadPrivate, type Actor, type PatientRef } from '../access/access.policy.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import { runIdempotent, type IdempotencyRequest, type StoredAnswer } from '../idempotency/idempotency.ts';
import { claimNewThread } from '../messaging/patient-messages.service.ts';
import { insertThread } from '../messaging/threads.repository.ts';
import { postMessage } from '../messaging/threads.service.ts';
import { findOpenQuestion, findPrivacyOffice } from './activity-question.repository.ts';
import { findLogEvent } from './activity.repository.ts';
import { logScopeOf, toEntries, withActivityLog } from './activity.service.ts';

/**
 * "Why did this person look?" (issue 11 §3): a patient, or a full proxy acting for them, asks about one entry of the
 * activity log. The question is a conversation in the organization's privacy office pool (a department of specialty
 * `privacy`), topic `privacy`, with the audit event attached (`message_threads.access_event_id`), so the office reads
 * the access beside the question and answers in the patient's messages.
 */

/** An entry the log does not list: another patient's, a refused attempt, or none at all. Never says which. */
const entryNotFound = () => new AppError(404, 'not_found', 'That entry of the activity log was not found.', 'eventId');

/** What the question is about and where it comes from. */
export interface QuestionTarget {
  patientId: string;
  /** The entry's id as the path names it (digits only: the route's schema checked it). */
  eventId: string;
  /** The asker's language: the conversation's subject is written in it. */
  locale: Locale;
}

/**
 * POST /api/patients/:id/activity/:eventId/question. Who may ask is who may read the log (withActivityLog: the patient
 * and a proxy with the settings area; anyone else 404), audited in the same transaction as `activity.question.ask`. The
 * event must be one the log lists (404 otherwise, as for any record out of reach). No privacy office: 409
 * `no_privacy_office`. A question about an entry whose earlier question is still open joins that conversation (200,
 * `existing`), so one entry has one open thread and nothing the patient wrote is lost. A new thread counts toward the
 * asker's daily limit of new conversations on the record (429). Idempotent with `Idempotency-Key`.
 */
export async function askAboutAccess(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  target: QuestionTarget,
  question: string,
  idempotency: IdempotencyRequest,
): Promise<StoredAnswer<ActivityQuestionAnswer>> {
  const eventId = Number(target.eventId);
  const details: Record<string, unknown> = { eventId };
  const access = { patientId: target.patientId, action: 'write' as const, auditAction: 'activity.question.ask', auditDetails: details };
  return withActivityLog(db, actor, audit, access, async (tx, { patient, ref, reader }) => {
    const stored = await runIdempotent(tx, actor.userId, idempotency, async () => {
      // Only an entry this reader's log lists: a guardian cannot ask about what the teen keeps private (the same 404).
      const event = await findLogEvent(tx, patient.id, eventId, reader);
      if (!event) throw entryNotFound();
      const office = await findPrivacyOffice(tx, patient.organizationId);
      if (!office) {
        throw new AppError(
          409,
          'no_privacy_office',
          'This clinic has no privacy office that takes questions online. Call the clinic and ask for the privacy officer.',
        );
      }
      const author = { userId: actor.userId, role: authorRoleIn(actor, patient.organizationId, patient.id) };
      // A question is its asker's: a teen's stays hers (kept from her guardians, as any thread she keeps private), and a
      // second question joins only the asker's own open one, never someone else's about the same entry.
      const open = await findOpenQuestion(tx, patient.id, eventId, actor.userId);
      if (open) {
        const posted = await postMessage(tx, { patientId: patient.id, threadId: open.id, author, body: question });
        Object.assign(details, { threadId: open.id, messageId: posted.messageId, existing: true });
        return { statusCode: 200, body: { threadId: open.id, existing: true } };
      }
      await claimNewThread(tx, patient.id, actor.userId);
      const threadId = await insertThread(tx, {
        organizationId: patient.organizationId,
        patientId: patient.id,
        departmentId: office.id,
        clinicianId: null,
        topic: 'privacy',
        subject: translatorFor(target.locale)('activity.question.subject'),
        accessEventId: eventId,
        createdBy: actor.userId,
        confidential: mayKeepThreadPrivate(actor, ref),
      });
      const posted = await postMessage(tx, { patientId: patient.id, threadId, author, body: question });
      Object.assign(details, { threadId, messageId: posted.messageId, existing: false });
      return { statusCode: 201, body: { threadId, existing: false } };
    });
    if (stored.replayed) Object.assign(details, { threadId: stored.body.threadId, replayed: true });
    return stored;
  });
}

/**
 * The access a privacy thread asks about, as the patient's log shows it, for the office reading the thread (the caller
 * has passed the pool check). Null when the thread carries no event, or the event is no longer one the log lists.
 */
export async function accessInQuestionOf(
  tx: Transaction,
  patient: PatientRef,
  eventId: number | null,
  readerUserId: string,
): Promise<ActivityEntry | null> {
  if (eventId === null) return null;
  // The office reads the patient's whole log: the asker saw the entry, whoever else may not.
  const event = await findLogEvent(tx, patient.id, eventId, null);
  if (!event) return null;
  const [entry] = await toEntries(tx, [event], await logScopeOf(tx, patient, readerUserId));
  return entry ?? null;
}
