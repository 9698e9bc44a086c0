import { aliasedTable, and, asc, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { anyUuid, type Executor, type Transaction } from '../../db/client.ts';
import { cursorCodec, microInstantPart, uuidPart, type CursorCodec } from '../../lib/cursor.ts';
import {
  appointments,
  departments,
  messageAttachments,
  messages,
  messageThreads,
  patients,
  staffDepartments,
  threadReads,
  users,
} from '../../db/schema/index.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { confidentialThreadFilterSql, internalNotesFilterSql } from '../access/access.scope.ts';

/** Who reads a thread: unread marks are theirs; the policy's row filter says whether they see internal notes. */
export interface ThreadReader {
  userId: string;
  filter: RowFilter;
}

/** Where a page of a thread list starts: after this (last activity with microseconds, id) in newest-first order. */
export interface ThreadCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` */
  at: string;
  id: string;
}

/** Thread-list cursors: the (last activity with microseconds, id) of the last thread shown. */
export const threadCursors: CursorCodec<ThreadCursor> = cursorCodec({ at: microInstantPart, id: uuidPart });

/**
 * Whether a thread has activity by someone other than the reader after the reader last opened it (thread_reads). Internal
 * notes count only for readers who see them. Usable in any query that selects from message_threads.
 */
export function isUnreadSql(reader: ThreadReader): SQL<boolean> {
  const hidden = internalNotesFilterSql(reader.filter, sql`m.internal`);
  const visible = hidden ? sql`and ${hidden}` : sql``;
  return sql<boolean>`exists (
    select 1 from ${messages} m
    where m.thread_id = ${messageThreads.id} and m.author_id <> ${reader.userId}::uuid ${visible}
      and m.created_at > coalesce(
        (select r.last_read_at from ${threadReads} r where r.thread_id = ${messageThreads.id} and r.user_id = ${reader.userId}::uuid),
        '-infinity'::timestamptz))`;
}

const clinician = aliasedTable(users, 'clinician');

function threadColumns(reader: ThreadReader) {
  return {
    id: messageThreads.id,
    patientId: messageThreads.patientId,
    organizationId: messageThreads.organizationId,
    departmentId: messageThreads.departmentId,
    departmentName: departments.name,
    clinicianId: messageThreads.clinicianId,
    clinicianName: clinician.displayName,
    clinicianCredentials: clinician.credentials,
    topic: messageThreads.topic,
    subject: messageThreads.subject,
    confidential: messageThreads.confidential,
    status: messageThreads.status,
    assignedTo: messageThreads.assignedTo,
    previousThreadId: messageThreads.previousThreadId,
    accessEventId: messageThreads.accessEventId,
    createdAt: messageThreads.createdAt,
    lastActivityAt: messageThreads.lastActivityAt,
    unread: isUnreadSql(reader),
  };
}

/** One thread with its pool's and clinician's names and the reader's unread mark; scoped to a patient when given. */
export async function findThread(db: Executor, reader: ThreadReader, threadId: string, patientId?: string) {
  const [row] = await db
    .select(threadColumns(reader))
    .from(messageThreads)
    .innerJoin(departments, eq(departments.id, messageThreads.departmentId))
    .leftJoin(clinician, eq(clinician.id, messageThreads.clinicianId))
    .where(
      and(
        eq(messageThreads.id, threadId),
        patientId === undefined ? undefined : eq(messageThreads.patientId, patientId),
        confidentialThreadFilterSql(reader.filter, messageThreads.confidential),
      ),
    );
  return row;
}

/** A thread as the list and detail views read it. */
export type ThreadRow = NonNullable<Awaited<ReturnType<typeof findThread>>>;

/**
 * One page of a patient's threads, newest activity first, plus one row to tell whether a next page exists. Keyset paging
 * on (last_activity_at, id) over the (patient_id, last_activity_at) index.
 */
export function listThreadPage(db: Executor, reader: ThreadReader, patientId: string, cursor: ThreadCursor | null, limit: number) {
  const after = cursor
    ? sql`(${messageThreads.lastActivityAt}, ${messageThreads.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
    : undefined;
  return db
    .select({
      ...threadColumns(reader),
      cursorAt: sql<string>`to_char(${messageThreads.lastActivityAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(messageThreads)
    .innerJoin(departments, eq(departments.id, messageThreads.departmentId))
    .leftJoin(clinician, eq(clinician.id, messageThreads.clinicianId))
    .where(and(eq(messageThreads.patientId, patientId), confidentialThreadFilterSql(reader.filter, messageThreads.confidential), after))
    .orderBy(desc(messageThreads.lastActivityAt), desc(messageThreads.id))
    .limit(limit + 1);
}

/** How many of a patient's threads the reader has not seen the latest activity of. */
export async function countUnreadThreads(db: Executor, reader: ThreadReader, patientId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(messageThreads)
    .where(
      and(
        eq(messageThreads.patientId, patientId),
        confidentialThreadFilterSql(reader.filter, messageThreads.confidential),
        isUnreadSql(reader),
      ),
    );
  return row?.count ?? 0;
}

/** Locks a patient's thread against concurrent posts and state changes, returning what a post needs to know. */
export async function lockThread(tx: Transaction, threadId: string, patientId: string) {
  const [row] = await tx
    .select({
      id: messageThreads.id,
      patientId: messageThreads.patientId,
      departmentId: messageThreads.departmentId,
      clinicianId: messageThreads.clinicianId,
      assignedTo: messageThreads.assignedTo,
      status: messageThreads.status,
    })
    .from(messageThreads)
    .where(and(eq(messageThreads.id, threadId), eq(messageThreads.patientId, patientId)))
    .for('update');
  return row;
}

/** Serialises the creation of a patient's threads (transaction-scoped), so the daily limit holds under concurrent requests. */
export async function lockPatientThreads(tx: Transaction, patientId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`message_threads:${patientId}`}, 0))`);
}

/**
 * How many threads (refill requests aside) one person started on one patient's record since `since`: the daily limit
 * counts per author, so nobody else's conversations use up anyone's allowance. The (patient_id, created_at) index
 * bounds the scan.
 */
export async function countThreadsStartedSince(db: Executor, patientId: string, authorUserId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(messageThreads)
    .where(
      and(
        eq(messageThreads.patientId, patientId),
        eq(messageThreads.createdBy, authorUserId),
        ne(messageThreads.topic, 'refill'),
        sql`${messageThreads.createdAt} > ${since.toISOString()}::timestamptz`,
      ),
    );
  return row?.count ?? 0;
}

/** Stores a new thread. */
export async function insertThread(tx: Executor, values: typeof messageThreads.$inferInsert): Promise<string> {
  const [row] = await tx.insert(messageThreads).values(values).returning({ id: messageThreads.id });
  return row!.id;
}

/** Stores a message. */
export async function insertMessage(tx: Executor, values: typeof messages.$inferInsert) {
  const [row] = await tx.insert(messages).values(values).returning({ id: messages.id, createdAt: messages.createdAt });
  return row!;
}

/** Moves a thread's last activity to now and, when given, sets its status. */
export async function touchThread(tx: Executor, threadId: string, status: string | null): Promise<void> {
  await tx
    .update(messageThreads)
    .set({ lastActivityAt: sql`now()`, ...(status === null ? {} : { status }) })
    .where(eq(messageThreads.id, threadId));
}

/** Closes a thread (no more messages; the patient starts a new one that may follow it up). */
export async function closeThreadRow(tx: Executor, threadId: string, userId: string): Promise<void> {
  await tx
    .update(messageThreads)
    .set({ status: 'closed', closedAt: sql`now()`, closedBy: userId })
    .where(and(eq(messageThreads.id, threadId), ne(messageThreads.status, 'closed')));
}

/** Links the uploader's unsent uploads of this patient to a message; returns the ids it linked. */
export async function claimUploads(
  tx: Executor,
  input: { messageId: string; patientId: string; uploadedBy: string; attachmentIds: readonly string[] },
): Promise<string[]> {
  if (input.attachmentIds.length === 0) return [];
  const rows = await tx
    .update(messageAttachments)
    .set({ messageId: input.messageId })
    .where(
      and(
        anyUuid(messageAttachments.id, input.attachmentIds),
        isNull(messageAttachments.messageId),
        eq(messageAttachments.patientId, input.patientId),
        eq(messageAttachments.uploadedBy, input.uploadedBy),
      ),
    )
    .returning({ id: messageAttachments.id });
  return rows.map((r) => r.id);
}

/** Records that the user has seen the thread up to now; never moves the mark backwards. */
export async function upsertThreadRead(tx: Executor, threadId: string, userId: string): Promise<void> {
  await tx
    .insert(threadReads)
    .values({ threadId, userId, lastReadAt: sql`now()` })
    .onConflictDoUpdate({
      target: [threadReads.threadId, threadReads.userId],
      set: { lastReadAt: sql`greatest(${threadReads.lastReadAt}, excluded.last_read_at)` },
    });
}

const author = aliasedTable(users, 'author');

/** A thread's messages (or one of them), oldest first, with each author's name; internal notes only when asked for. */
export function listMessages(db: Executor, threadId: string, options: { filter: RowFilter; messageId?: string | undefined }) {
  return db
    .select({
      id: messages.id,
      authorId: messages.authorId,
      authorName: author.displayName,
      authorRole: messages.authorRole,
      body: messages.body,
      internal: messages.internal,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .innerJoin(author, eq(author.id, messages.authorId))
    .where(
      and(
        eq(messages.threadId, threadId),
        internalNotesFilterSql(options.filter, messages.internal),
        options.messageId === undefined ? undefined : eq(messages.id, options.messageId),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

/** The attachments of these messages, in upload order. */
export function listAttachmentsOfMessages(db: Executor, messageIds: readonly string[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      id: messageAttachments.id,
      messageId: messageAttachments.messageId,
      fileName: messageAttachments.fileName,
      contentType: messageAttachments.contentType,
      sizeBytes: messageAttachments.sizeBytes,
    })
    .from(messageAttachments)
    .where(anyUuid(messageAttachments.messageId, messageIds))
    .orderBy(asc(messageAttachments.createdAt), asc(messageAttachments.id));
}

/** The departments the patient's PCP works in, within the patient's organization, with the PCP's name. */
export function findPcpOffices(db: Executor, patientId: string) {
  return db
    .select({
      departmentId: departments.id,
      departmentName: departments.name,
      clinicianId: users.id,
      clinicianName: users.displayName,
      clinicianCredentials: users.credentials,
    })
    .from(patients)
    .innerJoin(users, and(eq(users.id, patients.pcpId), isNull(users.disabledAt)))
    .innerJoin(staffDepartments, eq(staffDepartments.userId, users.id))
    .innerJoin(departments, and(eq(departments.id, staffDepartments.departmentId), eq(departments.organizationId, patients.organizationId)))
    .where(eq(patients.id, patientId))
    .orderBy(asc(departments.name), asc(departments.id));
}

/** Appointment states that mean the visit took place. */
const visitHappened = ['arrived', 'checked_in', 'completed'];

/**
 * The departments (and clinicians) of the patient's past visits in their organization, most recent first, one row per
 * department and clinician. The clinician is named only while they are an enabled member of that department.
 */
export function findVisitedCareTeams(db: Executor, patient: { id: string; organizationId: string }) {
  const member = sql<boolean>`(${users.id} is not null and ${users.disabledAt} is null and exists (
    select 1 from ${staffDepartments} sd where sd.user_id = ${users.id} and sd.department_id = ${departments.id}))`;
  return db
    .select({
      departmentId: departments.id,
      departmentName: departments.name,
      clinicianId: users.id,
      clinicianName: users.displayName,
      clinicianCredentials: users.credentials,
      isMember: member,
      lastVisitAt: sql<string>`max(${appointments.startAt})`,
    })
    .from(appointments)
    .innerJoin(departments, and(eq(departments.id, appointments.departmentId), eq(departments.organizationId, patient.organizationId)))
    .leftJoin(users, eq(users.id, appointments.clinicianId))
    .where(and(eq(appointments.patientId, patient.id), inArray(appointments.status, visitHappened), sql`${appointments.startAt} <= now()`))
    .groupBy(departments.id, departments.name, users.id, users.displayName, users.credentials, users.disabledAt)
    .orderBy(sql`max(${appointments.startAt}) desc`, asc(departments.id))
    .limit(200);
}

/** Whether the user is an enabled care-team member of the department (its pool). */
export async function isEnabledMemberOf(db: Executor, userId: string, departmentId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: staffDepartments.userId })
    .from(staffDepartments)
    .innerJoin(users, and(eq(users.id, staffDepartments.userId), isNull(users.disabledAt)))
    .where(and(eq(staffDepartments.userId, userId), eq(staffDepartments.departmentId, departmentId)));
  return row !== undefined;
}

/** The departments (care-team pools) a staff member belongs to. */
export async function findPoolIds(db: Executor, userId: string): Promise<Set<string>> {
  const rows = await db.select({ id: staffDepartments.departmentId }).from(staffDepartments).where(eq(staffDepartments.userId, userId));
  return new Set(rows.map((r) => r.id));
}

/** The patient a thread belongs to, before any access decision: only to know whose record the policy must check. */
export async function findThreadPatientId(db: Executor, threadId: string): Promise<string | undefined> {
  const [row] = await db.select({ patientId: messageThreads.patientId }).from(messageThreads).where(eq(messageThreads.id, threadId));
  return row?.patientId;
}
