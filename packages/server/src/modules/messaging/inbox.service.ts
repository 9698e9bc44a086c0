import { randomUUID } from 'node:crypto';
import {
  membershipRoles,
  threadStatus,
  threadTopic,
  type InboxThreadDetail,
  type InboxThreadSummary,
  type MessageView,
  type RefillView,
} from '@portico/shared';
import type { Database, Transaction } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import {
  authorRoleIn,
  decide,
  isMemberOfPool,
  isThreadVisible,
  organizationFor,
  staffMembershipIn,
  staffRowFilter,
  type Actor,
  type PatientRef,
  type RowFilter,
} from '../access/access.policy.ts';
import { Refusal } from '../access/access.service.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { accessInQuestionOf } from '../activity/activity-question.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { runIdempotent, type IdempotencyRequest, type StoredAnswer } from '../idempotency/idempotency.ts';
import { notify } from '../notifications/notify.ts';
import { toRefillViews } from '../refills/refill-view.ts';
import { findRefillByThread, findRefillRequest } from '../refills/refills.repository.ts';
import {
  findDepartment,
  listDepartments,
  findInboxThread,
  findPatientUserId,
  findPoolMembers,
  listPoolThreads,
  listPools,
  listTemplates,
  moveThread,
  updateAssignee,
  type InboxStatusFilter,
  type InboxThreadRow,
} from './inbox.repository.ts';
import { withPoolThread } from './messaging-access.ts';
import { findPoolIds, lockThread, threadCursors, type ThreadRow } from './threads.repository.ts';
import { closeThread, markRead, messageViews, postMessage, recipientLabel } from './threads.service.ts';

/** What the inbox services need, passed explicitly: the database, the public URL for emails, the mail nudge. */
export type InboxDeps = AuthDeps;

const missingThread = () => notFound('The conversation');
const closedThread = () => new AppError(409, 'thread_closed', 'This conversation is closed. The patient can start a new one.');

/**
 * Locks the thread for a change and checks it is still where the access check found it: a thread forwarded meanwhile
 * is out of the caller's pool (404), a closed one takes no more changes (409).
 */
async function lockOpenThread(tx: Transaction, thread: ThreadRow) {
  const locked = await lockThread(tx, thread.id, thread.patientId);
  if (!locked || locked.departmentId !== thread.departmentId) throw new Refusal('denied', 'not_pool_member', missingThread());
  if (locked.status === 'closed') throw new Refusal('failure', 'thread_closed', closedThread());
  return locked;
}

/** An inbox row as the lists and the thread page show it. */
export function toInboxSummary(row: InboxThreadRow): InboxThreadSummary {
  const topic = threadTopic.parse(row.topic);
  return {
    id: row.id,
    subject: row.subject,
    topic,
    status: threadStatus.parse(row.status),
    recipientLabel: recipientLabel(
      row.departmentName,
      row.clinicianName === null ? null : { name: row.clinicianName, credentials: row.clinicianCredentials },
    ),
    lastActivityAt: row.lastActivityAt.toISOString(),
    unread: row.unread,
    confidential: row.confidential,
    kind: topic === 'refill' ? 'refill' : 'message',
    patient: { id: row.patientId, name: `${row.patientGivenName} ${row.patientFamilyName}`, mrn: row.mrn, birthDate: row.birthDate },
    assignedTo: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName ?? '' } : null,
  };
}

/** The refill request a thread carries, as the refills pages show it to the patient (one mapping for both sides). */
async function refillOf(tx: Transaction, patient: PatientRef, threadId: string): Promise<RefillView | null> {
  const carried = await findRefillByThread(tx, threadId);
  const row = carried ? await findRefillRequest(tx, patient.id, carried.refillId) : undefined;
  if (!row) return null;
  const [view] = await toRefillViews(tx, patient, [row]);
  return view ?? null;
}

/** The organization whose inbox the actor works, or 403: the inbox is for its staff. */
export function inboxOrganizationOf(actor: Actor): string {
  const organizationId = organizationFor(actor, 'inbox.use');
  if (!organizationId) throw forbidden('The care-team inbox is for staff.');
  return organizationId;
}

/**
 * The row filter the inbox lists apply: the one of the actor's role in the organization whose inbox they work (front
 * desk and billing see no clinical threads).
 */
export function inboxFilterOf(actor: Actor, organizationId: string): RowFilter {
  const membership = staffMembershipIn(actor, organizationId);
  if (!membership) throw forbidden('The care-team inbox is for staff.');
  return staffRowFilter(membership.role);
}

/** The organization's departments, for forwarding (names only: not patient data, not audited). */
export async function listDepartmentsFor(db: Database, actor: Actor) {
  return { departments: await listDepartments(db, inboxOrganizationOf(actor)) };
}

/** The care-team pools the staff member belongs to, with open and unread counts (no patient data: not audited). */
export async function listPoolsFor(db: Database, actor: Actor) {
  const organizationId = inboxOrganizationOf(actor);
  return { pools: await listPools(db, actor, organizationId, inboxFilterOf(actor, organizationId)) };
}

/**
 * One page of a pool's threads. A staff member outside the pool gets 404 (the pool's existence is not disclosed). The
 * list shows patients: one audit event for the listing and one per patient shown, as the patient search does.
 */
export async function listPoolThreadsFor(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  departmentId: string,
  query: { status: InboxStatusFilter; cursor?: string | undefined; limit: number },
) {
  const organizationId = inboxOrganizationOf(actor);
  const cursor = threadCursors.decodeOptional(query.cursor);
  const listing = { action: 'inbox.thread.list', objectType: 'Department', objectId: departmentId } as const;
  const page = await db.transaction(async (tx) => {
    const department = await findDepartment(tx, organizationId, departmentId);
    if (!department || !isMemberOfPool(actor, departmentId, await findPoolIds(tx, actor.userId))) return null;
    const rows = await listPoolThreads(tx, {
      departmentId,
      userId: actor.userId,
      status: query.status,
      cursor,
      limit: query.limit,
      filter: inboxFilterOf(actor, organizationId),
      reader: actor,
    });
    const { page: shown, nextCursor } = threadCursors.page(rows, query.limit, (row) => ({ at: row.cursorAt, id: row.id }));
    const patientIds = [...new Set(shown.map((r) => r.patientId))];
    await recordAudit(tx, audit, [
      { ...listing, outcome: 'success', details: { status: query.status, threads: shown.length } },
      ...patientIds.map((patientId) => ({
        action: 'inbox.thread.list.patient',
        outcome: 'success' as const,
        patientId,
        objectType: 'Patient',
        objectId: patientId,
        details: { departmentId, threads: shown.filter((r) => r.patientId === patientId).map((r) => r.id) },
      })),
    ]);
    return { threads: shown.map(toInboxSummary), nextCursor };
  });
  if (page) return page;
  await db.transaction((tx) => recordAudit(tx, audit, { ...listing, outcome: 'denied', details: { reason: 'not_pool_member' } }));
  throw notFound('The pool');
}

/**
 * A thread with every message, internal notes included, its refill request, and for a privacy question the access it
 * asks about (issue 11 §3); opening it marks it read.
 */
export async function getInboxThreadFor(db: Database, actor: Actor, audit: AuditContext, threadId: string): Promise<InboxThreadDetail> {
  const access = { threadId, action: 'read' as const, auditAction: 'inbox.thread.read', auditDetails: {} };
  return withPoolThread(db, actor, audit, access, async (tx, thread, patient, filter) => {
    const row = await findInboxThread(tx, threadId, actor.userId, filter);
    if (!row) throw missingThread();
    const views = await messageViews(tx, threadId, { filter, readerId: actor.userId });
    const refill = await refillOf(tx, patient, threadId);
    const accessInQuestion = thread.topic === 'privacy' ? await accessInQuestionOf(tx, patient, thread.accessEventId, actor.userId) : null;
    await markRead(tx, threadId, actor.userId);
    return {
      thread: { ...toInboxSummary(row), unread: false, departmentId: row.departmentId, previousThreadId: row.previousThreadId },
      messages: views,
      refill,
      accessInQuestion,
    };
  });
}

/**
 * The members of a thread's pool who may work it: enabled staff of its organization in the pool whose role the policy
 * lets write the patient's messages and read the thread's topic (front desk never gets a clinical thread), by name.
 */
async function assigneesOf(tx: Transaction, thread: ThreadRow, patient: PatientRef, userId?: string) {
  const members = await findPoolMembers(tx, { departmentId: thread.departmentId, organizationId: thread.organizationId }, userId);
  return members.filter((m) => {
    const role = membershipRoles.find((r) => r === m.role);
    if (role === undefined) return false;
    // The member as the policy sees them in this organization; they belong to the pool (the query), so isMemberOfPool
    // asks only whether their role works the inbox at all.
    const member: Actor = {
      userId: m.id,
      ownPatientId: null,
      memberships: [{ kind: 'staff', role, organizationId: thread.organizationId }],
      grants: [],
    };
    const decision = decide(member, patient, 'write', 'messages');
    return (
      decision.allow &&
      isMemberOfPool(member, thread.departmentId, new Set([thread.departmentId])) &&
      isThreadVisible(decision.filter, thread)
    );
  });
}

/** GET …/assignees: who the thread can be handed to (names only, but of a patient's thread: audited like a read). */
export async function listAssigneesFor(db: Database, actor: Actor, audit: AuditContext, threadId: string) {
  const access = { threadId, action: 'read' as const, auditAction: 'inbox.thread.assignees', auditDetails: {} };
  return withPoolThread(db, actor, audit, access, async (tx, thread, patient) => {
    const members = await assigneesOf(tx, thread, patient);
    return { assignees: members.map((m) => ({ id: m.id, name: m.name, credentials: m.credentials })) };
  });
}

/**
 * Hands a thread to the caller (`userId` undefined), to another member of its pool who may work it (a nurse to a named
 * clinician, issue 10 §5.1), or to no one (null). Someone else who is handed it is told by the content-free "new
 * message" notice with a link to the thread; handing it to whoever has it already changes nothing.
 */
export async function assignThreadFor(
  deps: InboxDeps,
  actor: Actor,
  audit: AuditContext,
  threadId: string,
  userId: string | null | undefined,
) {
  const assignTo = userId === undefined ? actor.userId : userId;
  const access = { threadId, action: 'write' as const, auditAction: 'inbox.thread.assign', auditDetails: { assignedTo: assignTo } };
  let notified = false;
  const answer = await withPoolThread(deps.db, actor, audit, access, async (tx, thread, patient) => {
    const locked = await lockOpenThread(tx, thread);
    if (assignTo !== null && (await assigneesOf(tx, thread, patient, assignTo)).length === 0) {
      const refused = new AppError(
        400,
        'validation_failed',
        'userId: Choose a member of this care team who can read this thread.',
        'userId',
      );
      throw new Refusal('failure', 'assignee_cannot_work_thread', refused);
    }
    if (locked.assignedTo === assignTo) return { ok: true as const };
    await updateAssignee(tx, threadId, assignTo);
    if (assignTo !== null && assignTo !== actor.userId) {
      // One notice per hand-over: the key names this assignment, not just the thread and person.
      const eventKey = `assign:${threadId}:${assignTo}:${randomUUID()}`;
      await notify(tx, deps.config.publicUrl, { userId: assignTo, event: 'new_message', eventKey, path: inboxThreadPath(threadId) });
      notified = true;
    }
    return { ok: true as const };
  });
  if (notified) deps.kickMail();
  return answer;
}

/** The staff page of a thread, as a notice links to it (an opaque id, no patient data). */
function inboxThreadPath(threadId: string): string {
  return `/inbox/threads/${threadId}`;
}

/**
 * A staff reply the patient sees (with the author's name and role; the patient is told by a content-free email), a
 * holding reply that leaves the thread acknowledged and in the pool's to-do, or an internal note they never see. Author and patient come from the session and the thread, never from the body. Runs at
 * most once per Idempotency-Key; a closed thread answers 409 `thread_closed` (postMessage).
 */
export async function replyToThreadFor(
  deps: InboxDeps,
  actor: Actor,
  audit: AuditContext,
  target: { threadId: string; idempotency: IdempotencyRequest },
  input: { body: string; internal: boolean; holding: boolean; attachmentIds: string[] },
): Promise<StoredAnswer<MessageView>> {
  const { threadId } = target;
  const auditDetails: Record<string, unknown> = { internal: input.internal, holding: input.holding };
  const access = { threadId, action: 'write' as const, auditAction: 'inbox.message.send', auditDetails };
  const answer = await withPoolThread(deps.db, actor, audit, access, (tx, thread, _patient, filter) =>
    runIdempotent(tx, actor.userId, target.idempotency, async () => {
      const posted = await postMessage(tx, {
        threadId,
        patientId: thread.patientId,
        author: { userId: actor.userId, role: authorRoleIn(actor, thread.organizationId, thread.patientId) },
        body: input.body,
        internal: input.internal,
        holding: input.holding,
        attachmentIds: input.attachmentIds,
      });
      auditDetails.messageId = posted.messageId;
      const patientUserId = input.internal ? null : await findPatientUserId(tx, thread.patientId);
      if (patientUserId) {
        await notify(tx, deps.config.publicUrl, {
          userId: patientUserId,
          event: 'message_reply',
          eventKey: `message:${posted.messageId}:${patientUserId}`,
          path: '/messages',
        });
      }
      // Whoever replies has read the thread.
      await markRead(tx, threadId, actor.userId);
      const [view] = await messageViews(tx, threadId, { filter, readerId: actor.userId, messageId: posted.messageId });
      if (!view) throw new Error('the message just written is not in its thread');
      return { statusCode: 201, body: view };
    }),
  );
  if (!answer.replayed && !input.internal) deps.kickMail();
  return answer;
}

/** Closes a thread: no more messages (the patient starts a new one). Closing a closed thread changes nothing. */
export async function closeThreadFor(db: Database, actor: Actor, audit: AuditContext, threadId: string) {
  const access = { threadId, action: 'write' as const, auditAction: 'inbox.thread.close', auditDetails: {} };
  return withPoolThread(db, actor, audit, access, async (tx, thread) => {
    await closeThread(tx, { threadId, patientId: thread.patientId }, actor.userId);
    return { ok: true as const };
  });
}

/**
 * Moves a thread to another pool of the organization with an internal note saying why; nobody there has it yet. The
 * caller need not belong to the target pool (and may lose sight of the thread).
 */
export async function forwardThreadFor(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  threadId: string,
  input: { departmentId: string; note: string },
) {
  const auditDetails: Record<string, unknown> = { toDepartmentId: input.departmentId };
  const access = { threadId, action: 'write' as const, auditAction: 'inbox.thread.forward', auditDetails };
  return withPoolThread(db, actor, audit, access, async (tx, thread) => {
    await lockOpenThread(tx, thread);
    auditDetails.fromDepartmentId = thread.departmentId;
    const target = await findDepartment(tx, thread.organizationId, input.departmentId);
    if (!target || target.id === thread.departmentId) {
      const answer = new AppError(400, 'validation_failed', 'departmentId: Choose another care team of this organization.', 'departmentId');
      throw new Refusal('failure', 'not_another_pool', answer);
    }
    await moveThread(tx, threadId, target.id);
    const note = await postMessage(tx, {
      threadId,
      patientId: thread.patientId,
      author: { userId: actor.userId, role: authorRoleIn(actor, thread.organizationId, thread.patientId) },
      body: input.note,
      internal: true,
    });
    auditDetails.messageId = note.messageId;
    return { ok: true as const };
  });
}

/** The organization's quick replies, and the department's own when one is named (it must be of the organization). */
export async function listTemplatesFor(db: Database, actor: Actor, departmentId: string | undefined) {
  const organizationId = inboxOrganizationOf(actor);
  if (departmentId !== undefined && !(await findDepartment(db, organizationId, departmentId))) throw notFound('The pool');
  return { templates: await listTemplates(db, organizationId, departmentId ?? null) };
}
