import {
  isStaffRole,
  threadStatus,
  threadTopic,
  type MessageView,
  type Role,
  type ThreadStatus,
  type ThreadSummary,
} from '@portico/shared';
import type { Transaction } from '../../db/client.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { AppError, notFound } from '../../errors.ts';
import {
  claimUploads,
  closeThreadRow,
  insertMessage,
  listAttachmentsOfMessages,
  listMessages,
  lockThread,
  touchThread,
  upsertThreadRead,
  type ThreadRow,
} from './threads.repository.ts';

/**
 * The core of secure messaging (issue 4), shared by the patient's routes and the care-team inbox: posting a message,
 * reading a thread's messages as one reader may see them, and read marks. Callers decide access first (the policy and,
 * for staff, pool membership) and pass the patient they were allowed to act for; these functions run in their
 * transaction. Message text is plain text, stored and returned exactly as written.
 */

/** A message to add to a thread. */
export interface NewMessage {
  /** The patient the caller was allowed to act for; a thread of anyone else's answers 404. */
  patientId: string;
  threadId: string;
  /** Who writes it; their role is stored with the message as it is now. */
  author: { userId: string; role: Role };
  body: string;
  /** A note for the care team only; staff authors only. */
  internal?: boolean;
  /**
   * A holding reply ("we received your message"), staff authors only and never an internal note: the thread becomes
   * acknowledged, still owing the patient a full answer (issue 10 §5.3).
   */
  holding?: boolean;
  /** The author's own unsent uploads of this patient (at most five: the route's schema checks the count). */
  attachmentIds?: readonly string[];
}

/** What posting did: the new message and the thread as it now stands (for notifications). */
export interface PostedMessage {
  messageId: string;
  createdAt: Date;
  thread: { id: string; patientId: string; departmentId: string; clinicianId: string | null; assignedTo: string | null; status: string };
}

/**
 * Adds a message to a thread, locking it first. A closed thread answers 409 `thread_closed`; attachments that are not
 * the author's own unsent uploads of this patient answer 400 naming `attachmentIds`. The thread's status follows the
 * message (threadStatusAfter); an internal note changes neither the status nor the last activity (the patient's list
 * must not move for something they cannot see).
 */
export async function postMessage(tx: Transaction, input: NewMessage): Promise<PostedMessage> {
  const internal = input.internal === true;
  const holding = input.holding === true;
  const byStaff = isStaffRole(input.author.role);
  if (internal && !byStaff) throw new Error('only the care team writes internal notes');
  if (holding && (internal || !byStaff)) throw new Error('only a care-team reply the patient reads can be a holding reply');
  const thread = await lockThread(tx, input.threadId, input.patientId);
  if (!thread) throw notFound('The conversation');
  if (thread.status === 'closed') {
    throw new AppError(409, 'thread_closed', 'This conversation is closed. Start a new conversation to write to your care team.');
  }
  const message = await insertMessage(tx, {
    threadId: thread.id,
    patientId: thread.patientId,
    authorId: input.author.userId,
    authorRole: input.author.role,
    body: input.body,
    internal,
    holding,
  });
  const wanted = [...new Set(input.attachmentIds ?? [])];
  const claimed = await claimUploads(tx, {
    messageId: message.id,
    patientId: thread.patientId,
    uploadedBy: input.author.userId,
    attachmentIds: wanted,
  });
  if (claimed.length !== wanted.length) {
    throw new AppError(400, 'validation_failed', 'attachmentIds: Attach only files you uploaded for this message.', 'attachmentIds');
  }
  const status = internal ? thread.status : threadStatusAfter({ byStaff, holding });
  if (!internal) await touchThread(tx, thread.id, status);
  return { messageId: message.id, createdAt: message.createdAt, thread: { ...thread, status } };
}

/**
 * Where a thread stands after a message the patient reads (issue 10 §5.3): `waiting` after the patient (or a proxy)
 * writes, whatever it was; `acknowledged` after a holding reply, a full answer still owed, so it stays in the pool's
 * to-do; `answered` after a full reply from the care team.
 */
export function threadStatusAfter(message: { byStaff: boolean; holding: boolean }): ThreadStatus {
  if (!message.byStaff) return 'waiting';
  return message.holding ? 'acknowledged' : 'answered';
}

/** How a reader sees a thread's messages. */
export interface MessageViewOptions {
  /** The policy's row filter: internal notes only for readers who see them. */
  filter: RowFilter;
  /** Marks the reader's own messages (`mine`). */
  readerId: string;
  /** Only this message (the answer to a send). */
  messageId?: string;
}

/** A thread's messages, oldest first, as one reader may see them: author name and role, attachments, plain text as stored. */
export async function messageViews(tx: Transaction, threadId: string, options: MessageViewOptions): Promise<MessageView[]> {
  const rows = await listMessages(tx, threadId, options);
  const attachments = await listAttachmentsOfMessages(
    tx,
    rows.map((m) => m.id),
  );
  return rows.map((m) => ({
    id: m.id,
    authorName: m.authorName,
    authorRole: m.authorRole,
    mine: m.authorId === options.readerId,
    body: m.body,
    internal: m.internal,
    createdAt: m.createdAt.toISOString(),
    attachments: attachments
      .filter((a) => a.messageId === m.id)
      .map((a) => ({ id: a.id, fileName: a.fileName, contentType: a.contentType, sizeBytes: a.sizeBytes })),
  }));
}

/** Marks the thread read for the user up to now: activity by others after this is unread (thread_reads). */
export async function markRead(tx: Transaction, threadId: string, userId: string): Promise<void> {
  await upsertThreadRead(tx, threadId, userId);
}

/** Closes a thread of the patient: no more messages; a follow-up is a new thread naming it (`previousThreadId`). */
export async function closeThread(tx: Transaction, target: { threadId: string; patientId: string }, userId: string): Promise<void> {
  const thread = await lockThread(tx, target.threadId, target.patientId);
  if (!thread) throw notFound('The conversation');
  await closeThreadRow(tx, thread.id, userId);
}

/** Physicians' credentials, for "Dr." in a label. */
const physicianCredentials = new Set(['MD', 'DO']);

/** A clinician as patients see them named: "Dr. Sarah Chen" for physicians, "Ann Lee, NP" otherwise. */
export function personLabel(name: string, credentials: string | null): string {
  if (!credentials) return name;
  return physicianCredentials.has(credentials.toUpperCase()) ? `Dr. ${name}` : `${name}, ${credentials}`;
}

/** Who a thread is with: "Dr. Sarah Chen (Family Medicine)", or "Family Medicine care team". */
export function recipientLabel(departmentName: string, clinician: { name: string; credentials: string | null } | null): string {
  return clinician ? `${personLabel(clinician.name, clinician.credentials)} (${departmentName})` : `${departmentName} care team`;
}

/** A thread row as a list shows it. */
export function toThreadSummary(row: ThreadRow): ThreadSummary {
  const clinician = row.clinicianName === null ? null : { name: row.clinicianName, credentials: row.clinicianCredentials };
  return {
    id: row.id,
    subject: row.subject,
    topic: threadTopic.parse(row.topic),
    status: threadStatus.parse(row.status),
    recipientLabel: recipientLabel(row.departmentName, clinician),
    lastActivityAt: row.lastActivityAt.toISOString(),
    unread: row.unread,
    confidential: row.confidential,
  };
}
