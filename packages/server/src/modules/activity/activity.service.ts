import type { ActivityActor, ActivityEntry, ActivityPage, ActivityPeople, ActivityQuery, ActivityRole, ActivityVia } from '@portico/shared';
import { addDays, formatCivilDate, parseCivilDate, startOfDayInZone } from '@portico/shared/zoned-time';
import type { Database, Transaction } from '../../db/client.ts';
import { notFound } from '../../errors.ts';
import { auditEventIdPart, cursorCodec, microInstantPart, type CursorCodec } from '../../lib/cursor.ts';
import type { Actor, PatientRef, RowFilter } from '../access/access.policy.ts';
import { Refusal, withAuditedPatientAccess } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import { findPatientTimeZone } from '../record/results.repository.ts';
import {
  activityAddresseeOf,
  activityFormatOf,
  activityKindOf,
  activityViaOf,
  proxyRelationshipOf,
  staffRoleOfReason,
} from './activity-kinds.ts';
import {
  findGrants,
  findLogPatient,
  findMembershipsOf,
  findProxyHolders,
  findUserNames,
  listActivityEvents,
  listActivityPeople,
  type ActivityCursor,
  type ActivityEventRow,
  type ActivityFilter,
  type LogReader,
} from './activity.repository.ts';

/**
 * "Who has seen my record" (issue 11 §3): the audit events of one patient that went through, as a log the patient
 * reads. Reading the log is reading the patient's data: the policy's `preferences` read (the patient, a full proxy),
 * audited like any other read. Staff hold that category too (clinicians and nurses read preferences), but the log is
 * the patient's page, not a care-team tool: only the patient themself and their proxies pass; everyone else gets the
 * 404 every record outside their reach gets, audited as denied.
 */

/** The relationships that may read the log. */
const logReaders: readonly ActivityVia[] = ['own_record', 'proxy'];

/** Log cursors: (occurred_at with microseconds, event id) of the last entry shown. */
const activityCursors: CursorCodec<ActivityCursor> = cursorCodec({ at: microInstantPart, id: auditEventIdPart });

/** The patient of the log as the resolver needs them. */
type LogPatient = NonNullable<Awaited<ReturnType<typeof findLogPatient>>>;

/**
 * What a log read gives its work: the patient (and the policy's view of them), their record's time zone, the reader,
 * and what the reader's row filter keeps out of the log (null: nothing, for the privacy office reading an entry).
 */
export interface LogScope {
  patient: LogPatient;
  ref: PatientRef;
  timeZone: string;
  readerUserId: string;
  reader: LogReader | null;
}

/**
 * Runs work on the log under the policy (category `preferences`, a read unless `action` says `write`: a question about
 * an entry) and the rule above, in one transaction with its audit event; `auditDetails` may be filled by the work
 * (counts, ids), since the event is written after it.
 */
export function withActivityLog<T>(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  access: { patientId: string; auditAction: string; auditDetails: Record<string, unknown>; action?: 'read' | 'write' },
  work: (tx: Transaction, scope: LogScope) => Promise<T>,
): Promise<T> {
  const request = { ...access, action: access.action ?? 'read', categories: ['preferences' as const] };
  return withAuditedPatientAccess(db, actor, audit, request, async (tx, patientRef, _allowed, grant) => {
    if (!logReaders.includes(grant.via)) throw new Refusal('denied', 'activity_log_patient_and_proxies_only', notFound('The patient'));
    return work(tx, await logScopeOf(tx, patientRef, actor.userId, grant.filter));
  });
}

/**
 * The scope entries are named in: the patient, their record's zone, the reader (for "you"); with the decision's row
 * filter, the log is what that filter lets the reader see (a guardian of a 12-17 year old sees none of what the teen
 * keeps private); without one, the whole log.
 */
export async function logScopeOf(
  tx: Transaction,
  patientRef: PatientRef,
  readerUserId: string,
  filter: RowFilter | null = null,
): Promise<LogScope> {
  const patient = await findLogPatient(tx, patientRef.id);
  if (!patient) throw new Error('activity: the patient row vanished inside its own transaction');
  const reader = filter ? { userId: readerUserId, patientUserId: patient.userId, filter } : null;
  return { patient, ref: patientRef, timeZone: await findPatientTimeZone(tx, patientRef), readerUserId, reader };
}

/**
 * The filter of a query: the record's days turned into instants (`to` is included: the log runs to the next day's
 * start), and the scope's reader, so what their row filter keeps out is left out by the same statement.
 */
export function filterOf(
  scope: LogScope,
  query: { from?: string | undefined; to?: string | undefined; person?: string | undefined },
): ActivityFilter {
  const { timeZone } = scope;
  return {
    patientId: scope.patient.id,
    reader: scope.reader,
    from: query.from ? startOfDayInZone(query.from, timeZone) : null,
    before: query.to ? startOfDayInZone(formatCivilDate(addDays(parseCivilDate(query.to), 1)), timeZone) : null,
    person: query.person ?? null,
  };
}

/** The filters as the audit event records them: days and a user id, nothing else. */
function filterDetails(query: { from?: string | undefined; to?: string | undefined; person?: string | undefined }) {
  return { from: query.from ?? null, to: query.to ?? null, person: query.person ?? null };
}

/** What the page needs to name the people of some events: names, memberships, grants, proxy holders. */
interface People {
  names: Map<string, string>;
  memberships: Map<string, Awaited<ReturnType<typeof findMembershipsOf>>>;
  grants: Map<string, { kind: string; relationship: string | null }>;
  proxyHolders: Set<string>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads, in four statements for any number of events, everything the entries name. */
async function loadPeople(tx: Transaction, patientId: string, userIds: readonly string[], grantIds: readonly string[]): Promise<People> {
  const ids = [...new Set(userIds)];
  const [names, held, grants, proxyHolders] = [
    await findUserNames(tx, ids),
    await findMembershipsOf(tx, ids),
    await findGrants(tx, patientId, [...new Set(grantIds.filter((id) => uuidPattern.test(id)))]),
    await findProxyHolders(tx, patientId, ids),
  ];
  const memberships = new Map<string, typeof held>();
  for (const m of held) memberships.set(m.userId, [...(memberships.get(m.userId) ?? []), m]);
  return {
    names: new Map(names.map((n) => [n.id, n.displayName])),
    memberships,
    grants: new Map(grants.map((g) => [g.id, { kind: g.kind, relationship: g.relationship }])),
    proxyHolders,
  };
}

/**
 * Who someone was to the patient when they acted: the patient; a proxy (the event's relationship, or a proxy grant
 * they hold or held); the staff role the policy named; else their membership (staff of the patient's organization
 * first, active before ended), with its organization. Only portal display names are shown, never a patient record's
 * name: a person who is also a patient somewhere is shown by the name they sign in with.
 */
function actorOf(userId: string | null, event: { via: string | null; reason: unknown }, people: People, scope: LogScope): ActivityActor {
  // No one signed in: Portico itself (an import), or someone who opened a share link with its passcode.
  if (userId === null)
    return { userId: null, name: null, role: event.via === 'share_link' ? 'unknown' : 'system', organization: null, isYou: false };
  const base = { userId, name: people.names.get(userId) ?? null, isYou: userId === scope.readerUserId };
  if (userId === scope.patient.userId) return { ...base, role: 'patient', organization: null };
  if (event.via === 'proxy') return { ...base, role: 'proxy', organization: null };
  const staffRole = staffRoleOfReason(event.reason);
  if (staffRole) return { ...base, role: staffRole, organization: scope.patient.organizationName };
  const held = [...(people.memberships.get(userId) ?? [])].sort(
    (a, b) =>
      Number(b.organizationId === scope.patient.organizationId) - Number(a.organizationId === scope.patient.organizationId) ||
      Number(a.endedAt !== null) - Number(b.endedAt !== null),
  );
  const own = held[0];
  if (own && own.kind === 'staff' && own.organizationId === scope.patient.organizationId)
    return { ...base, role: own.role as ActivityRole, organization: own.organizationName };
  if (people.proxyHolders.has(userId)) return { ...base, role: 'proxy', organization: null };
  if (own) return { ...base, role: own.role as ActivityRole, organization: own.organizationName };
  return { ...base, role: 'unknown', organization: null };
}

/** One event as an entry of the log. */
function toEntry(row: ActivityEventRow, people: People, scope: LogScope): ActivityEntry {
  const details = row.details ?? {};
  const via = activityViaOf(details);
  const grantId = typeof details.grantId === 'string' ? details.grantId : null;
  const grant = grantId ? people.grants.get(grantId) : undefined;
  const { patient } = scope;
  // On whose behalf: a proxy acts for the patient. Only the patient is ever named here, so no one else's name leaks.
  const forPatient = via === 'proxy' || (row.onBehalfOfUserId !== null && row.onBehalfOfUserId === patient.userId);
  return {
    id: String(row.id),
    at: row.occurredAt.toISOString(),
    who: actorOf(row.actorUserId, { via, reason: details.reason }, people, scope),
    what: activityKindOf(row.action),
    format: activityFormatOf(row.action, details),
    // Where a record was sent is never shown to a reader who may not see what the teen keeps private, whoever sent it.
    addressee: scope.reader && !scope.reader.filter.seesConfidential ? null : activityAddresseeOf(details),
    onBehalfOf:
      forPatient && row.actorUserId !== patient.userId
        ? { name: `${patient.givenName} ${patient.familyName}`, isYou: patient.userId === scope.readerUserId }
        : null,
    via,
    relationship: via === 'proxy' ? proxyRelationshipOf(grant?.relationship) : null,
  };
}

/** Events as entries: the people they name read once for all of them. */
export async function toEntries(tx: Transaction, rows: readonly ActivityEventRow[], scope: LogScope): Promise<ActivityEntry[]> {
  const userIds = rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : []));
  const grantIds = rows.flatMap((r) => (typeof r.details?.grantId === 'string' ? [r.details.grantId] : []));
  const people = await loadPeople(tx, scope.patient.id, userIds, grantIds);
  return rows.map((row) => toEntry(row, people, scope));
}

/**
 * GET /api/patients/:id/activity: a page of the log, newest first. A cursor this server did not write answers 400
 * naming `cursor` before anything is read or audited.
 */
export async function readActivityPage(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  query: ActivityQuery,
): Promise<ActivityPage> {
  const cursor = activityCursors.decodeOptional(query.cursor);
  const auditDetails: Record<string, unknown> = { ...filterDetails(query), page: cursor ? 'next' : 'first' };
  return withActivityLog(db, actor, audit, { patientId, auditAction: 'activity.read', auditDetails }, async (tx, scope) => {
    const rows = await listActivityEvents(tx, filterOf(scope, query), cursor, query.limit);
    const { page, nextCursor } = activityCursors.page(rows, query.limit, (row) => ({ at: row.cursorAt, id: row.id }));
    auditDetails.entries = page.length;
    return { entries: await toEntries(tx, page, scope), nextCursor, timeZone: scope.timeZone };
  });
}

/** GET /api/patients/:id/activity/people: everyone the log lists, latest first, for the person filter. */
export async function readActivityPeople(db: Database, actor: Actor, audit: AuditContext, patientId: string): Promise<ActivityPeople> {
  const auditDetails: Record<string, unknown> = {};
  return withActivityLog(db, actor, audit, { patientId, auditAction: 'activity.people.read', auditDetails }, async (tx, scope) => {
    const rows = await listActivityPeople(tx, patientId, scope.reader);
    auditDetails.people = rows.length;
    const people = await loadPeople(
      tx,
      patientId,
      rows.map((r) => r.userId),
      [],
    );
    return {
      people: rows.map((row) => {
        const who = actorOf(row.userId, { via: row.via, reason: row.reason }, people, scope);
        return { ...who, userId: row.userId, name: who.name ?? '', lastAt: row.lastAt.toISOString(), count: row.count };
      }),
    };
  });
}
