import { and, eq, sql, type AnyColumn, type SQL, type Table } from 'drizzle-orm';
import { anyUuid, queryRows, type Executor } from '../../db/client.ts';
import {
  accessGrants,
  auditEvents,
  fhirResources,
  memberships,
  messageThreads,
  organizations,
  patients,
  proxyInvitations,
  shareLinks,
  users,
} from '../../db/schema/index.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { sensitiveRowFilterSql } from '../access/access.scope.ts';

/** Where a page of the log starts: after this (occurred_at with microseconds, event id), newest first. */
export interface ActivityCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`: compared in SQL at full precision, so no event is repeated or skipped. */
  at: string;
  id: number;
}

/**
 * Who reads the log, for what their row filter keeps from them (logHiddenSql): the reader, the patient's own account
 * (null when the patient has none) and the filter of the decision that let the reader in.
 */
export interface LogReader {
  userId: string;
  patientUserId: string | null;
  filter: RowFilter;
}

/** What narrows the log: instants (the record's days already turned into them), one person, and what the reader may see. */
export interface ActivityFilter {
  patientId: string;
  /** Null: every event the patient's log lists (the privacy office reading the entry a question is about). */
  reader: LogReader | null;
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

/** `text` as a uuid when it spells one, else null: a value in `details` is never trusted to cast. */
function uuidOf(text: SQL): SQL {
  return sql`(case when ${text} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (${text})::uuid end)`;
}

/**
 * The event names a thread of this patient's that the teen kept private (`details.threadId`: messages, replies, refill
 * decisions, attachments, questions). Every lookup below is bounded to the patient (by primary key per event, or one
 * pass over the patient's own rows through their patient index), never the whole table.
 */
function confidentialThreadSql(patientId: string): SQL {
  return sql`(case when e.details->>'threadId' is not null then exists (
    select 1 from ${messageThreads} where ${messageThreads.id} = ${uuidOf(sql`e.details->>'threadId'`)}
      and ${messageThreads.patientId} = ${patientId}::uuid and ${messageThreads.confidential}) else false end)`;
}

/**
 * The event names a stored FHIR resource the reader's row filter hides: a visit (`visitId`), a result (`resultId`: read,
 * held, released, commented), a refill's renewed prescriptions (`renewalIds`), or the event's object when it is not the
 * patient. Looked up only for events that name one, among this patient's resources.
 */
function hiddenResourceSql(patientId: string, visible: SQL): SQL {
  const renewals = sql`array(select ${uuidOf(sql`x`)} from jsonb_array_elements_text(
      case when jsonb_typeof(e.details->'renewalIds') = 'array' then e.details->'renewalIds' end) x)`;
  const ids = sql`array[${uuidOf(sql`e.details->>'visitId'`)}, ${uuidOf(sql`e.details->>'resultId'`)},
      ${uuidOf(sql`case when e.object_type is distinct from 'Patient' then e.object_id end`)}] || ${renewals}`;
  return sql`(case when coalesce(e.details->>'visitId', e.details->>'resultId', e.details->>'renewalIds') is not null
      or e.object_type is distinct from 'Patient' then exists (
    select 1 from ${fhirResources}
    where ${fhirResources.id} = any(${ids}) and ${fhirResources.patientId} = ${patientId}::uuid and not ${visible}) else false end)`;
}

/**
 * The event names sharing the teen set up herself, though someone else acted: her link opened (`shareLinkId`), her
 * invitation accepted (`invitationId`), an access through a grant she gave (`grantId`). The Sharing and privacy page
 * keeps these from the same reader.
 */
function teenSharingSql(patientId: string, teen: string): SQL {
  type Owned = { table: Table; id: AnyColumn; patientId: AnyColumn; owner: AnyColumn };
  const named = (key: 'shareLinkId' | 'invitationId' | 'grantId', x: Owned) => {
    const value = sql`e.details->>${sql.raw(`'${key}'`)}`;
    return sql`(case when ${value} is not null then exists (
      select 1 from ${x.table}
      where ${x.id} = ${uuidOf(value)} and ${x.patientId} = ${patientId}::uuid and ${x.owner} = ${teen}::uuid) else false end)`;
  };
  const links = { table: shareLinks, id: shareLinks.id, patientId: shareLinks.patientId, owner: shareLinks.createdBy };
  const invitations = {
    table: proxyInvitations,
    id: proxyInvitations.id,
    patientId: proxyInvitations.patientId,
    owner: proxyInvitations.invitedBy,
  };
  const grants = { table: accessGrants, id: accessGrants.id, patientId: accessGrants.patientId, owner: accessGrants.grantedBy };
  return sql`(${named('shareLinkId', links)} or ${named('invitationId', invitations)} or ${named('grantId', grants)})`;
}

/**
 * What the reader's row filter keeps out of the log, as a condition on `e`, or undefined when it keeps nothing out. A
 * reader who does not see confidential content (a guardian of a 12-17 year old) is not shown anything the teen did
 * herself (what she read, downloaded, sent and to whom, shared, asked the privacy office, and her reading of this
 * log), nor events of others about a thread she kept private or sharing she set up. Any reader whose filter hides
 * resources is not shown events about those resources. The reader's own events are always shown: they tell them
 * nothing new. Every branch is a column test, or a lookup bounded to this patient's rows that runs only for events
 * naming such an id, so a page stays a walk of the (patient_id, occurred_at) index in one statement and is never short.
 */
function logHiddenSql(patientId: string, reader: LogReader): SQL | undefined {
  const hides: SQL[] = [];
  if (!reader.filter.seesConfidential) {
    if (reader.patientUserId !== null)
      hides.push(sql`e.actor_user_id is not distinct from ${reader.patientUserId}::uuid`, teenSharingSql(patientId, reader.patientUserId));
    hides.push(confidentialThreadSql(patientId));
  }
  const visible = sensitiveRowFilterSql(reader.filter, fhirResources);
  if (visible) hides.push(hiddenResourceSql(patientId, visible));
  if (hides.length === 0) return undefined;
  return sql`(e.actor_user_id is not distinct from ${reader.userId}::uuid or not (${sql.join(hides, sql` or `)}))`;
}

/**
 * Which events the log lists: this patient's, that went through (a refused attempt disclosed nothing), and that the
 * reader may see (logHiddenSql). A page, the people list, the downloads and a question's entry all use it.
 */
function listedSql(patientId: string, reader: LogReader | null): SQL {
  const listed = sql`e.patient_id = ${patientId}::uuid and e.outcome = 'success'`;
  const hidden = reader ? logHiddenSql(patientId, reader) : undefined;
  return hidden ? sql`${listed} and ${hidden}` : listed;
}

/**
 * The events of the log: this patient's, that went through. Every bound on occurred_at is a plain comparison, so
 * the (patient_id, occurred_at) index bounds the scan (audit_events_patient_idx); the id only breaks ties.
 */
function logWhere(filter: ActivityFilter, cursor: ActivityCursor | null): SQL {
  const parts: SQL[] = [listedSql(filter.patientId, filter.reader)];
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
 * One event as the log lists it to `reader`, or undefined when it does not (another patient's, a refused attempt, one
 * the reader's row filter keeps out, no such event): the same rule as a page, so a question can be asked about exactly
 * what the reader was shown. A null reader: the whole log (the privacy office reading the entry asked about).
 */
export async function findLogEvent(
  db: Executor,
  patientId: string,
  eventId: number,
  reader: LogReader | null,
): Promise<ActivityEventRow | undefined> {
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
    where ${listedSql(patientId, reader)} and e.id = ${eventId}`,
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

/**
 * Everyone who acted on the record in the events the reader's log lists (listedSql), with their count and latest
 * access and its relationship.
 */
export async function listActivityPeople(db: Executor, patientId: string, reader: LogReader | null) {
  type Row = { actor_user_id: string; count: number; last_at: string | Date; via: string | null; reason: string | null };
  const rows = await queryRows<Row>(
    db,
    sql`
    select e.actor_user_id, count(*)::int as count, max(e.occurred_at) as last_at,
      (array_agg(e.details->>'via' order by e.occurred_at desc, e.id desc))[1] as via,
      (array_agg(e.details->>'reason' order by e.occurred_at desc, e.id desc))[1] as reason
    from ${auditEvents} e
    where ${listedSql(patientId, reader)} and e.actor_user_id is not null
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
