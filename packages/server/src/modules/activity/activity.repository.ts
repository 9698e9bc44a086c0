import { and, eq, sql, type SQL } from 'drizzle-orm';
import { anyUuid, queryRows, type Executor } from '../../db/client.ts';
import { accessGrants, auditEvents, memberships, organizations, patients, users } from '../../db/schema/index.ts';

/** Where a page of the log starts: after this (occurred_at with microseconds, event id), newest first. */
export interface ActivityCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`: compared in SQL at full precision, so no event is repeated or skipped. */
  at: string;
  id: number;
}

/** What narrows the log: instants (the record's days already turned into them) and one person. */
export interface ActivityFilter {
  patientId: string;
  /** First instant shown (included). */
  from: Date | null;
  /** First instant no longer shown (excluded): the start of the day after `to`. */
  before: Date | null;
  person: string | null;
}

/** One audit event of the log, as read. */
export interface ActivityEventRow {
  id: number;
  occurredAt: Date;
  cursorAt: string;
  actorUserId: string | null;
  onBehalfOfUserId: string | null;
  action: string;
  details: Record<string, unknown> | null;
}

/** Which events the log lists: this patient's, that went through (a refused attempt disclosed nothing). */
function listedSql(patientId: string): SQL {
  return sql`e.patient_id = ${patientId}::uuid and e.outcome = 'success'`;
}

/**
 * The events of the log: this patient's, that went through. Every bound on occurred_at is a plain comparison, so
 * the (patient_id, occurred_at) index bounds the scan (audit_events_patient_idx); the id only breaks ties.
 */
function logWhere(filter: ActivityFilter, cursor: ActivityCursor | null): SQL {
  const parts: SQL[] = [listedSql(filter.patientId)];
  if (filter.from) parts.push(sql`e.occurred_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.before) parts.push(sql`e.occurred_at < ${filter.before.toISOString()}::timestamptz`);
  if (filter.person) parts.push(sql`e.actor_user_id = ${filter.person}::uuid`);
  if (cursor) {
    const at = sql`${cursor.at}::timestamptz`;
    parts.push(sql`e.occurred_at <= ${at}`, sql`(e.occurred_at < ${at} or e.id < ${cursor.id})`);
  }
  return sql.join(parts, sql` and `);
}

/**
 * The statement of one page of the log (limit + 1 rows, so the pager knows whether another page exists), newest first.
 * Exported so a test can EXPLAIN the very statement the page runs.
 */
export function activityPageSql(filter: ActivityFilter, cursor: ActivityCursor | null, limit: number): SQL {
  return sql`
    select e.id, e.occurred_at,
      to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at,
      e.actor_user_id, e.on_behalf_of_user_id, e.action, e.details
    from ${auditEvents} e
    where ${logWhere(filter, cursor)}
    order by e.occurred_at desc, e.id desc
    limit ${limit + 1}`;
}

/** One page of the log, read with activityPageSql. */
export async function listActivityEvents(
  db: Executor,
  filter: ActivityFilter,
  cursor: ActivityCursor | null,
  limit: number,
): Promise<ActivityEventRow[]> {
  const rows = await queryRows<{
    id: string;
    occurred_at: string | Date;
    cursor_at: string;
    actor_user_id: string | null;
    on_behalf_of_user_id: string | null;
    action: string;
    details: Record<string, unknown> | null;
  }>(db, activityPageSql(filter, cursor, limit));
  return rows.map((r) => ({
    id: Number(r.id),
    occurredAt: new Date(r.occurred_at),
    cursorAt: r.cursor_at,
    actorUserId: r.actor_user_id,
    onBehalfOfUserId: r.on_behalf_of_user_id,
    action: r.action,
    details: r.details,
  }));
}

/**
 * One event as the log lists it, or undefined when the log does not list it (another patient's, a refused attempt, no
 * such event): the same rule as a page, so a question can be asked about exactly what the patient was shown.
 */
export async function findLogEvent(db: Executor, patientId: string, eventId: number): Promise<ActivityEventRow | undefined> {
  const [row] = await queryRows<{
    id: string;
    occurred_at: string | Date;
    actor_user_id: string | null;
    on_behalf_of_user_id: string | null;
    action: string;
    details: Record<string, unknown> | null;
  }>(
    db,
    sql`
    select e.id, e.occurred_at, e.actor_user_id, e.on_behalf_of_user_id, e.action, e.details
    from ${auditEvents} e
    where ${listedSql(patientId)} and e.id = ${eventId}`,
  );
  if (!row) return undefined;
  const occurredAt = new Date(row.occurred_at);
  return {
    id: Number(row.id),
    occurredAt,
    cursorAt: occurredAt.toISOString(),
    actorUserId: row.actor_user_id,
    onBehalfOfUserId: row.on_behalf_of_user_id,
    action: row.action,
    details: row.details,
  };
}

/** At most this many people are offered in the person filter (the most recent ones). */
export const activityPeopleCap = 500;

/** Everyone who acted on the record (successful events with a person), with their count and latest access and its relationship. */
export async function listActivityPeople(db: Executor, patientId: string) {
  type Row = { actor_user_id: string; count: number; last_at: string | Date; via: string | null; reason: string | null };
  const rows = await queryRows<Row>(
    db,
    sql`
    select e.actor_user_id, count(*)::int as count, max(e.occurred_at) as last_at,
      (array_agg(e.details->>'via' order by e.occurred_at desc, e.id desc))[1] as via,
      (array_agg(e.details->>'reason' order by e.occurred_at desc, e.id desc))[1] as reason
    from ${auditEvents} e
    where e.patient_id = ${patientId}::uuid and e.outcome = 'success' and e.actor_user_id is not null
    group by e.actor_user_id
    order by max(e.occurred_at) desc
    limit ${activityPeopleCap}`,
  );
  return rows.map((r) => ({
    userId: r.actor_user_id,
    count: r.count,
    lastAt: new Date(r.last_at),
    via: r.via,
    reason: r.reason,
  }));
}

/** The patient whose log it is: their own account, name and organization. */
export async function findLogPatient(db: Executor, patientId: string) {
  const [row] = await db
    .select({
      id: patients.id,
      userId: patients.userId,
      givenName: patients.givenName,
      familyName: patients.familyName,
      organizationId: patients.organizationId,
      organizationName: organizations.name,
    })
    .from(patients)
    .innerJoin(organizations, eq(organizations.id, patients.organizationId))
    .where(eq(patients.id, patientId));
  return row;
}

/** The portal names of people (a display name, never a patient record's name). */
export function findUserNames(db: Executor, userIds: readonly string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db.select({ id: users.id, displayName: users.displayName }).from(users).where(anyUuid(users.id, userIds));
}

/** The memberships people hold or held (an event outlives a membership), with their organization's name. */
export function findMembershipsOf(db: Executor, userIds: readonly string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      userId: memberships.userId,
      kind: memberships.kind,
      role: memberships.role,
      organizationId: memberships.organizationId,
      organizationName: organizations.name,
      endedAt: memberships.endedAt,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(anyUuid(memberships.userId, userIds));
}

/** The grants events name (`details.grantId`), on this patient only: their kind, holder and proxy relationship. */
export function findGrants(db: Executor, patientId: string, grantIds: readonly string[]) {
  if (grantIds.length === 0) return Promise.resolve([]);
  return db
    .select({ id: accessGrants.id, kind: accessGrants.kind, relationship: accessGrants.relationship })
    .from(accessGrants)
    .where(and(eq(accessGrants.patientId, patientId), anyUuid(accessGrants.id, grantIds)));
}

/** Which of these people hold or held a proxy grant on the patient (for people whose events name no relationship). */
export async function findProxyHolders(db: Executor, patientId: string, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .select({ userId: accessGrants.granteeUserId })
    .from(accessGrants)
    .where(and(eq(accessGrants.patientId, patientId), eq(accessGrants.kind, 'proxy'), anyUuid(accessGrants.granteeUserId, userIds)));
  return new Set(rows.flatMap((r) => (r.userId ? [r.userId] : [])));
}
