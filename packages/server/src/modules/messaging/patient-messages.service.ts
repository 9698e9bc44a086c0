import type { z } from 'zod';
import {
  messagingLimits,
  type messageRecipient,
  type MessageView,
  type NewThreadBody,
  type RefillView,
  type ThreadDetail,
  type ThreadSummary,
} from '@portico/shared';
import type { Transaction } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import {
  authorRoleIn,
  mayKeepThreadPrivate,
  ownRecordRowFilter,
  type Actor,
  type PatientRef,
  type RowFilter,
} from '../access/access.policy.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { runIdempotent, type IdempotencyRequest, type StoredAnswer } from '../idempotency/idempotency.ts';
import { notify } from '../notifications/notify.ts';
import { toRefillViews } from '../refills/refill-view.ts';
import { listRefillRequests } from '../refills/refills.repository.ts';
import { withOwnMessages } from './messaging-access.ts';
import {
  countThreadsStartedSince,
  countUnreadThreads,
  findPcpOffices,
  findThread,
  findVisitedCareTeams,
  insertThread,
  isEnabledMemberOf,
  listThreadPage,
  lockPatientThreads,
  threadCursors,
  type ThreadReader,
} from './threads.repository.ts';
import { markRead, messageViews, postMessage, recipientLabel, toThreadSummary } from './threads.service.ts';

/** Someone the patient can write to. */
type Recipient = z.infer<typeof messageRecipient>;

const dayMs = 86_400_000;

/**
 * The patient's side reads threads as the actor: unread marks are theirs, internal notes are never shown (no patient-side
 * filter sees them), and the decision's filter hides from a guardian of a 12-17 year old the threads the teen kept private.
 */
function patientReader(actor: Actor, filter: RowFilter): ThreadReader {
  return { userId: actor.userId, filter: { ...filter, seesInternalNotes: false } };
}

/** A 400 naming the field, in the shape the schema validation uses. */
function invalid(field: string, message: string): AppError {
  return new AppError(400, 'validation_failed', `${field}: ${message}`, field);
}

/**
 * Who the patient may write to: their PCP's office (each department the PCP works in, addressed to the PCP), then the
 * care teams and clinicians of their past visits, most recent first; each (department, clinician) once.
 */
async function recipientsOf(tx: Transaction, patient: PatientRef): Promise<Recipient[]> {
  const found = new Map<string, Recipient>();
  const add = (r: Recipient) => {
    const key = `${r.departmentId}:${r.clinicianId ?? ''}`;
    if (!found.has(key)) found.set(key, r);
  };
  for (const o of await findPcpOffices(tx, patient.id)) {
    const clinician = { name: o.clinicianName, credentials: o.clinicianCredentials };
    add({ departmentId: o.departmentId, clinicianId: o.clinicianId, label: recipientLabel(o.departmentName, clinician), reason: 'pcp' });
  }
  for (const v of await findVisitedCareTeams(tx, patient)) {
    add({ departmentId: v.departmentId, clinicianId: null, label: recipientLabel(v.departmentName, null), reason: 'seen' });
    if (v.isMember && v.clinicianId !== null && v.clinicianName !== null) {
      const clinician = { name: v.clinicianName, credentials: v.clinicianCredentials };
      add({
        departmentId: v.departmentId,
        clinicianId: v.clinicianId,
        label: recipientLabel(v.departmentName, clinician),
        reason: 'seen',
      });
    }
  }
  return [...found.values()];
}

/**
 * The refill request a refill thread carries, as the refill pages show it to this reader: none when it names a
 * medication the reader's row filter hides (refillVisibleSql), as on the refill list.
 */
async function refillOf(tx: Transaction, patient: PatientRef, threadId: string, filter: RowFilter): Promise<RefillView | null> {
  const row = (await listRefillRequests(tx, patient.id, 'all', filter)).find((r) => r.threadId === threadId);
  return row ? ((await toRefillViews(tx, patient, [row], filter))[0] ?? null) : null;
}

/** The thread as the patient sees it: messages without internal notes, attachments, and its refill request if any. */
async function readThreadDetail(tx: Transaction, reader: ThreadReader, patient: PatientRef, threadId: string): Promise<ThreadDetail> {
  const row = await findThread(tx, reader, threadId, patient.id);
  if (!row) throw notFound('The conversation');
  return {
    thread: { ...toThreadSummary(row), previousThreadId: row.previousThreadId, canReply: row.status !== 'closed' },
    messages: await messageViews(tx, row.id, { filter: reader.filter, readerId: reader.userId }),
    refill: row.topic === 'refill' ? await refillOf(tx, patient, row.id, reader.filter) : null,
  };
}

/** GET …/messages/recipients */
export function listRecipientsFor(deps: AuthDeps, actor: Actor, audit: AuditContext, patientId: string) {
  const access = { patientId, action: 'read' as const, auditAction: 'message.recipients.read', auditDetails: {} };
  return withOwnMessages(deps.db, actor, audit, access, async (tx, patient) => ({ recipients: await recipientsOf(tx, patient) }));
}

/** GET …/messages/threads: one page, newest activity first, with unread marks and the count of unread threads. */
export function listThreadsFor(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  query: { cursor?: string | undefined; limit: number },
): Promise<{ threads: ThreadSummary[]; nextCursor: string | null; unreadCount: number }> {
  const cursor = threadCursors.decodeOptional(query.cursor);
  const access = { patientId, action: 'read' as const, auditAction: 'message.thread.list', auditDetails: {} };
  return withOwnMessages(deps.db, actor, audit, access, async (tx, patient, filter) => {
    const reader = patientReader(actor, filter);
    const rows = await listThreadPage(tx, reader, patient.id, cursor, query.limit);
    const { page, nextCursor } = threadCursors.page(rows, query.limit, (row) => ({ at: row.cursorAt, id: row.id }));
    return {
      threads: page.map(toThreadSummary),
      nextCursor,
      unreadCount: await countUnreadThreads(tx, reader, patient.id),
    };
  });
}

/** GET …/messages/threads/:threadId: the thread without internal notes; opening it marks it read. */
export function getThreadFor(deps: AuthDeps, actor: Actor, audit: AuditContext, target: { patientId: string; threadId: string }) {
  const access = {
    patientId: target.patientId,
    action: 'read' as const,
    auditAction: 'message.thread.read',
    auditDetails: { threadId: target.threadId },
  };
  return withOwnMessages(deps.db, actor, audit, access, async (tx, patient, filter) => {
    const reader = patientReader(actor, filter);
    if (!(await findThread(tx, reader, target.threadId, patient.id))) throw notFound('The conversation');
    await markRead(tx, target.threadId, actor.userId);
    return readThreadDetail(tx, reader, patient, target.threadId);
  });
}

/** Checks the parts of a new thread the schema cannot: recipient, clinician, the thread it follows up. */
async function checkNewThread(tx: Transaction, reader: ThreadReader, patient: PatientRef, body: NewThreadBody): Promise<void> {
  const recipients = await recipientsOf(tx, patient);
  if (!recipients.some((r) => r.departmentId === body.departmentId)) {
    throw invalid('departmentId', 'Choose one of the care teams you can write to.');
  }
  if (body.clinicianId !== null && !(await isEnabledMemberOf(tx, body.clinicianId, body.departmentId))) {
    throw invalid('clinicianId', 'Choose a clinician of that care team.');
  }
  if (body.previousThreadId !== null) {
    const previous = await findThread(tx, reader, body.previousThreadId, patient.id);
    if (previous?.status !== 'closed') throw invalid('previousThreadId', 'A follow-up must follow one of your closed conversations.');
  }
}

/**
 * Takes one of the author's new threads on the patient's record for the day, or answers 429: at most
 * messagingLimits.newThreadsPerDay in a rolling day per author and patient, counted under the patient's thread lock
 * (held to the end of the transaction) so concurrent sends agree. Per author, not per patient: a guardian who starts
 * twenty threads must not stop a 12-17 year old writing to her clinician privately, nor learn from an early 429 that
 * she has threads he cannot see.
 */
export async function claimNewThread(tx: Transaction, patientId: string, authorUserId: string): Promise<void> {
  await lockPatientThreads(tx, patientId);
  const started = await countThreadsStartedSince(tx, patientId, authorUserId, new Date(Date.now() - dayMs));
  if (started >= messagingLimits.newThreadsPerDay) {
    throw new AppError(
      429,
      'too_many_requests',
      `You have started ${messagingLimits.newThreadsPerDay} conversations in the last 24 hours, the most we accept in a day. ` +
        'Reply in one of your conversations instead, or call your clinic if it is urgent.',
    );
  }
}

/**
 * POST …/messages/threads: a new thread with its first message. The sender, patient, pool, status and assignee come from
 * the session and the path, never the body (the schema strips anything else). At most 20 new threads per author and
 * patient per rolling day (429). The chosen clinician hears of it by a content-free email. Idempotent with
 * `Idempotency-Key`.
 */
export async function createThreadFor(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  body: NewThreadBody,
  idempotency: IdempotencyRequest,
): Promise<StoredAnswer<ThreadDetail>> {
  const details: Record<string, unknown> = {};
  const access = { patientId, action: 'write' as const, auditAction: 'message.thread.create', auditDetails: details };
  let queuedMail = false;
  const answer = await withOwnMessages(deps.db, actor, audit, access, async (tx, patient, filter) => {
    const reader = patientReader(actor, filter);
    const stored = await runIdempotent(tx, actor.userId, idempotency, async () => {
      if (body.confidential && !mayKeepThreadPrivate(actor, patient)) {
        throw new AppError(
          403,
          'forbidden',
          'Only a patient aged 12 to 17, writing for themself, can keep a conversation private.',
          'confidential',
        );
      }
      await checkNewThread(tx, reader, patient, body);
      await claimNewThread(tx, patient.id, actor.userId);
      const threadId = await insertThread(tx, {
        organizationId: patient.organizationId,
        patientId: patient.id,
        departmentId: body.departmentId,
        clinicianId: body.clinicianId,
        topic: body.topic,
        subject: body.subject,
        previousThreadId: body.previousThreadId,
        confidential: body.confidential,
        createdBy: actor.userId,
      });
      const author = { userId: actor.userId, role: authorRoleIn(actor, patient.organizationId, patient.id) };
      const posted = await postMessage(tx, { patientId: patient.id, threadId, author, body: body.body, attachmentIds: body.attachmentIds });
      Object.assign(details, { threadId, messageId: posted.messageId, attachmentIds: body.attachmentIds });
      if (body.clinicianId !== null) {
        const eventKey = `message:${posted.messageId}:${body.clinicianId}`;
        await notify(tx, deps.config.publicUrl, { userId: body.clinicianId, event: 'new_message', eventKey, path: '/inbox' });
        queuedMail = true;
      }
      return { statusCode: 201, body: await readThreadDetail(tx, reader, patient, threadId) };
    });
    if (stored.replayed) Object.assign(details, { threadId: stored.body.thread.id, replayed: true });
    return stored;
  });
  if (queuedMail) deps.kickMail();
  return answer;
}

/**
 * POST …/messages/threads/:threadId/messages: the patient writes in their thread. A closed thread answers 409
 * `thread_closed`; the thread goes back to `waiting`; the staff member it is assigned to hears of it. Idempotent.
 */
export async function replyFor(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  target: { patientId: string; threadId: string },
  body: { body: string; attachmentIds: string[] },
  idempotency: IdempotencyRequest,
): Promise<StoredAnswer<MessageView>> {
  const details: Record<string, unknown> = { threadId: target.threadId };
  const access = { patientId: target.patientId, action: 'write' as const, auditAction: 'message.send', auditDetails: details };
  let queuedMail = false;
  const answer = await withOwnMessages(deps.db, actor, audit, access, async (tx, patient, filter) => {
    const stored = await runIdempotent(tx, actor.userId, idempotency, async () => {
      // A thread the reader may not see (one the teen kept private, for their guardian) is not found.
      if (!(await findThread(tx, patientReader(actor, filter), target.threadId, patient.id))) throw notFound('The conversation');
      const author = { userId: actor.userId, role: authorRoleIn(actor, patient.organizationId, patient.id) };
      const posted = await postMessage(tx, { ...target, patientId: patient.id, author, ...body });
      Object.assign(details, { messageId: posted.messageId, attachmentIds: body.attachmentIds });
      const assignee = posted.thread.assignedTo;
      if (assignee !== null) {
        const eventKey = `message:${posted.messageId}:${assignee}`;
        await notify(tx, deps.config.publicUrl, { userId: assignee, event: 'new_message', eventKey, path: '/inbox' });
        queuedMail = true;
      }
      const [view] = await messageViews(tx, target.threadId, {
        filter: ownRecordRowFilter,
        readerId: actor.userId,
        messageId: posted.messageId,
      });
      return { statusCode: 201, body: view! };
    });
    if (stored.replayed) Object.assign(details, { messageId: stored.body.id, replayed: true });
    return stored;
  });
  if (queuedMail) deps.kickMail();
  return answer;
}
