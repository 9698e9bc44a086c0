import { aliasedTable, and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { openThreadStatuses, toDoThreadStatuses } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { departments, memberships, messageTemplates, messageThreads, patients, staffDepartments, users } from '../../db/schema/index.ts';
import type { Actor, RowFilter } from '../access/access.policy.ts';
import { confidentialThreadFilterSql, patientIdInScopeSql, patientScopeSql, threadTopicFilterSql } from '../access/access.scope.ts';
import { isUnreadSql, type ThreadCursor } from './threads.repository.ts';

/** Which threads a pool list shows: the to-do (waiting or acknowledged), open ones (not closed), closed ones, or all. */
export type InboxStatusFilter = 'todo' | 'open' | 'closed' | 'all';

const openStatuses: string[] = [...openThreadStatuses];
const toDoStatuses: string[] = [...toDoThreadStatuses];

/** Unread for a staff reader: someone else wrote (internal notes included where the reader sees them) since they last looked. */
const unreadFor = (userId: string, filter: RowFilter) => isUnreadSql({ userId, filter });

/**
 * The pools a staff member belongs to in their organization, by name, with their open threads, how many of those are
 * unread for them and how many are still to do (waiting or acknowledged). Closed threads are not counted: someone who
 * joins a pool does not inherit its history as unread.
 */
/** Counts only threads of patients the policy's list rule (patientIdInScopeSql) lets `reader` see. */
export function listPools(db: Executor, reader: Actor, organizationId: string, filter: RowFilter) {
  const userId = reader.userId;
  return db
    .select({
      departmentId: departments.id,
      name: departments.name,
      open: sql<number>`count(${messageThreads.id})::int`,
      unread: sql<number>`(count(${messageThreads.id}) filter (where ${unreadFor(userId, filter)}))::int`,
      todo: sql<number>`(count(${messageThreads.id}) filter (where ${inArray(messageThreads.status, toDoStatuses)}))::int`,
    })
    .from(staffDepartments)
    .innerJoin(departments, and(eq(departments.id, staffDepartments.departmentId), eq(departments.organizationId, organizationId)))
    .leftJoin(
      messageThreads,
      and(
        eq(messageThreads.departmentId, departments.id),
        inArray(messageThreads.status, openStatuses),
        threadTopicFilterSql(filter, messageThreads.topic),
        confidentialThreadFilterSql(filter, messageThreads.confidential),
        patientIdInScopeSql(reader, 'read', 'messages', messageThreads.patientId),
      ),
    )
    .where(eq(staffDepartments.userId, userId))
    .groupBy(departments.id, departments.name)
    .orderBy(asc(departments.name), asc(departments.id));
}

/** Every department of an organization, by name: where a thread can be forwarded. */
export function listDepartments(db: Executor, organizationId: string) {
  return db
    .select({ departmentId: departments.id, name: departments.name })
    .from(departments)
    .where(eq(departments.organizationId, organizationId))
    .orderBy(asc(departments.name), asc(departments.id));
}

/** A department of an organization, if it is one. */
export async function findDepartment(db: Executor, organizationId: string, departmentId: string) {
  const [row] = await db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(and(eq(departments.id, departmentId), eq(departments.organizationId, organizationId)));
  return row;
}

const assignee = aliasedTable(users, 'assignee');
const addressee = aliasedTable(users, 'addressee');

/** Everything a thread summary in the inbox shows, for one reader. */
function summaryColumns(userId: string, filter: RowFilter) {
  return {
    id: messageThreads.id,
    subject: messageThreads.subject,
    topic: messageThreads.topic,
    status: messageThreads.status,
    confidential: messageThreads.confidential,
    lastActivityAt: messageThreads.lastActivityAt,
    departmentId: messageThreads.departmentId,
    previousThreadId: messageThreads.previousThreadId,
    departmentName: departments.name,
    clinicianName: addressee.displayName,
    clinicianCredentials: addressee.credentials,
    patientId: patients.id,
    patientGivenName: patients.givenName,
    patientFamilyName: patients.familyName,
    mrn: patients.mrn,
    birthDate: patients.birthDate,
    assigneeId: assignee.id,
    assigneeName: assignee.displayName,
    unread: unreadFor(userId, filter),
    cursorAt: sql<string>`to_char(${messageThreads.lastActivityAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  };
}

/** One inbox row as the repository returns it. */
export type InboxThreadRow = NonNullable<Awaited<ReturnType<typeof findInboxThread>>>;

function summaryQuery(db: Executor, userId: string, filter: RowFilter) {
  return db
    .select(summaryColumns(userId, filter))
    .from(messageThreads)
    .innerJoin(patients, eq(patients.id, messageThreads.patientId))
    .innerJoin(departments, eq(departments.id, messageThreads.departmentId))
    .leftJoin(addressee, eq(addressee.id, messageThreads.clinicianId))
    .leftJoin(assignee, eq(assignee.id, messageThreads.assignedTo));
}

function statusCondition(status: InboxStatusFilter): SQL | undefined {
  if (status === 'todo') return inArray(messageThreads.status, toDoStatuses);
  if (status === 'open') return inArray(messageThreads.status, openStatuses);
  if (status === 'closed') return eq(messageThreads.status, 'closed');
  return undefined;
}

/**
 * One page of a pool's threads, newest activity first, plus one row to tell whether a next page exists. Keyset paging
 * on (last_activity_at, id) over the pool index: no offset.
 */
export function listPoolThreads(
  db: Executor,
  page: {
    departmentId: string;
    userId: string;
    status: InboxStatusFilter;
    cursor: ThreadCursor | null;
    limit: number;
    filter: RowFilter;
    /** Whose list it is: only patients the policy's list rule (patientScopeSql) lets them see are listed. */
    reader: Actor;
  },
) {
  const after = page.cursor
    ? sql`(${messageThreads.lastActivityAt}, ${messageThreads.id}) < (${page.cursor.at}::timestamptz, ${page.cursor.id}::uuid)`
    : undefined;
  return summaryQuery(db, page.userId, page.filter)
    .where(
      and(
        eq(messageThreads.departmentId, page.departmentId),
        statusCondition(page.status),
        threadTopicFilterSql(page.filter, messageThreads.topic),
        confidentialThreadFilterSql(page.filter, messageThreads.confidential),
        patientScopeSql(page.reader, 'read', 'messages', patients),
        after,
      ),
    )
    .orderBy(desc(messageThreads.lastActivityAt), desc(messageThreads.id))
    .limit(page.limit + 1);
}

/** What the threads addressed to one staff member are: theirs to read, in their pools, not closed. */
interface AddressedTo {
  /** The staff member; their row filter and the policy's list rule (patientScopeSql) apply. */
  reader: Actor;
  organizationId: string;
  filter: RowFilter;
}

/**
 * Open threads of the reader's pools in the organization that are assigned to them or name them as the clinician the
 * patient wrote to, of patients the policy's list rule lets them see (issue 10 §5.2).
 */
function addressedCondition(to: AddressedTo): SQL | undefined {
  const userId = to.reader.userId;
  return and(
    eq(messageThreads.organizationId, to.organizationId),
    inArray(messageThreads.status, openStatuses),
    or(eq(messageThreads.assignedTo, userId), eq(messageThreads.clinicianId, userId)),
    sql`${messageThreads.departmentId} in (select sd.department_id from ${staffDepartments} sd where sd.user_id = ${userId}::uuid)`,
    threadTopicFilterSql(to.filter, messageThreads.topic),
    confidentialThreadFilterSql(to.filter, messageThreads.confidential),
    patientScopeSql(to.reader, 'read', 'messages', patients),
  );
}

/** The threads addressed to the reader, unread first, then newest activity, at most `limit`. */
export function listAddressedThreads(db: Executor, to: AddressedTo, limit: number) {
  const unread = unreadFor(to.reader.userId, to.filter);
  return summaryQuery(db, to.reader.userId, to.filter)
    .where(addressedCondition(to))
    .orderBy(desc(unread), desc(messageThreads.lastActivityAt), desc(messageThreads.id))
    .limit(limit);
}

/** How many threads are addressed to the reader: open, unread, and still to do (waiting or acknowledged). */
export async function countAddressedThreads(db: Executor, to: AddressedTo) {
  const [row] = await db
    .select({
      open: sql<number>`count(*)::int`,
      unread: sql<number>`(count(*) filter (where ${unreadFor(to.reader.userId, to.filter)}))::int`,
      todo: sql<number>`(count(*) filter (where ${inArray(messageThreads.status, toDoStatuses)}))::int`,
    })
    .from(messageThreads)
    .innerJoin(patients, eq(patients.id, messageThreads.patientId))
    .where(addressedCondition(to));
  return row ?? { open: 0, unread: 0, todo: 0 };
}

/** One thread as the inbox shows it to a reader. */
export async function findInboxThread(db: Executor, threadId: string, userId: string, filter: RowFilter) {
  const [row] = await summaryQuery(db, userId, filter).where(eq(messageThreads.id, threadId));
  return row;
}

/** The patient's own portal account, to tell them of a reply. */
export async function findPatientUserId(db: Executor, patientId: string): Promise<string | null> {
  const [row] = await db.select({ userId: patients.userId }).from(patients).where(eq(patients.id, patientId));
  return row?.userId ?? null;
}

/**
 * The enabled members of a pool who hold an active staff membership of the organization, with their role there, by
 * name (one of them when `userId` is given): who could be handed its threads, before the policy says whose they may read.
 */
export function findPoolMembers(db: Executor, pool: { departmentId: string; organizationId: string }, userId?: string) {
  return db
    .select({ id: users.id, name: users.displayName, credentials: users.credentials, role: memberships.role })
    .from(users)
    .innerJoin(staffDepartments, and(eq(staffDepartments.userId, users.id), eq(staffDepartments.departmentId, pool.departmentId)))
    .innerJoin(
      memberships,
      and(
        eq(memberships.userId, users.id),
        eq(memberships.organizationId, pool.organizationId),
        eq(memberships.kind, 'staff'),
        isNull(memberships.endedAt),
      ),
    )
    .where(and(isNull(users.disabledAt), userId === undefined ? undefined : eq(users.id, userId)))
    .orderBy(asc(users.displayName), asc(users.id));
}

/** Hands a thread to a staff member, or to no one. */
export async function updateAssignee(db: Executor, threadId: string, userId: string | null): Promise<void> {
  await db.update(messageThreads).set({ assignedTo: userId }).where(eq(messageThreads.id, threadId));
}

/** Moves a thread to another pool; nobody there has picked it up yet. */
export async function moveThread(db: Executor, threadId: string, departmentId: string): Promise<void> {
  await db.update(messageThreads).set({ departmentId, assignedTo: null }).where(eq(messageThreads.id, threadId));
}

/** The organization's quick replies, and one department's when it is given, by title. */
export function listTemplates(db: Executor, organizationId: string, departmentId: string | null) {
  return db
    .select({ id: messageTemplates.id, title: messageTemplates.title, body: messageTemplates.body, holding: messageTemplates.holding })
    .from(messageTemplates)
    .where(
      and(
        eq(messageTemplates.organizationId, organizationId),
        departmentId
          ? or(isNull(messageTemplates.departmentId), eq(messageTemplates.departmentId, departmentId))
          : isNull(messageTemplates.departmentId),
      ),
    )
    .orderBy(asc(messageTemplates.title), asc(messageTemplates.id));
}
