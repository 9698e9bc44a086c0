import { and, asc, desc, eq, gte, inArray, isNull, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { anyUuid, queryRows, type Executor } from '../../db/client.ts';
import { fhirResources } from '../../db/schema/index.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { sensitiveRowFilterSql } from '../access/access.scope.ts';
import { isResultSql, resourceRowFilterSql } from './result-release.ts';

const rowColumns = {
  id: fhirResources.id,
  resourceType: fhirResources.resourceType,
  category: fhirResources.category,
  code: fhirResources.code,
  status: fhirResources.status,
  effectiveAt: fhirResources.effectiveAt,
  encounterId: fhirResources.encounterId,
  resource: fhirResources.resource,
};

/** Encounter statuses that are not a visit the patient had (FHIR R4 EncounterStatus): never listed, never opened. */
export const hiddenVisitStatuses = ['planned', 'cancelled', 'entered-in-error'] as const;

/** The effective instant to the millisecond: visit pages sort and resume on it, so a cursor (a JS Date) matches exactly. */
const visitTime = sql<Date | null>`date_trunc('milliseconds', ${fhirResources.effectiveAt})`.mapWith(fhirResources.effectiveAt);

const isVisibleVisit = or(isNull(fhirResources.status), notInArray(fhirResources.status, [...hiddenVisitStatuses]));

const newest = [sql`${fhirResources.effectiveAt} desc nulls last`, asc(fhirResources.id)];

/**
 * The days a download covers (the record export): each bound is an instant, the end exclusive, null when open. `zoned`
 * bounds are midnights in the record's time zone; `utc` bounds are the same calendar days in UTC, for dates recorded
 * without a time of day (a FHIR `date` such as `2019-06-01` is stored at UTC midnight and means that calendar day).
 */
export interface EffectiveRange {
  zoned: { start: Date | null; end: Date | null };
  utc: { start: Date | null; end: Date | null };
}

function within(bounds: EffectiveRange['zoned']): SQL {
  const at = fhirResources.effectiveAt;
  return and(bounds.start ? gte(at, bounds.start) : undefined, bounds.end ? lt(at, bounds.end) : undefined) ?? sql`true`;
}

/**
 * Rows whose `effective_at` falls in the range; undefined (no filter) without one. With a range, rows with no date are
 * left out: nobody can say they belong to the chosen days.
 */
export function effectiveInRangeSql(range: EffectiveRange | undefined): SQL | undefined {
  if (!range) return undefined;
  const at = fhirResources.effectiveAt;
  return sql`(${at} is not null and case when (${at} at time zone 'UTC')::time = time '00:00' then ${within(range.utc)} else ${within(range.zoned)} end)`;
}

/**
 * Conditions that can be on the problem list: problem-list items and health concerns in any status, and other
 * Conditions whose status column is active (or not extracted), newest first (patient/type/category/date index).
 */
export function findProblemCandidates(db: Executor, scope: ResourceScope, limit: number, range?: EffectiveRange) {
  return db
    .select(rowColumns)
    .from(fhirResources)
    .where(
      and(
        scopedTo(scope),
        eq(fhirResources.resourceType, 'Condition'),
        or(
          inArray(fhirResources.category, ['problem-list-item', 'health-concern']),
          isNull(fhirResources.status),
          inArray(fhirResources.status, ['active', 'recurrence', 'relapse']),
        ),
        effectiveInRangeSql(range),
      ),
    )
    .orderBy(...newest)
    .limit(limit);
}

/** Which statuses a typed list keeps: only these, or all but these (rows without a status are kept by `except`). */
export type StatusFilter = { only: readonly string[] } | { except: readonly string[] };

function statusCondition(filter: StatusFilter): SQL | undefined {
  if ('only' in filter) return inArray(fhirResources.status, [...filter.only]);
  return filter.except.length > 0 ? or(isNull(fhirResources.status), notInArray(fhirResources.status, [...filter.except])) : undefined;
}

/** A patient's resources of some types, filtered by status (and dates, for an export), newest first, at most `limit`. */
export function findResourcesOfTypes(
  db: Executor,
  scope: ResourceScope,
  resourceTypes: readonly string[],
  status: StatusFilter,
  limit: number,
  range?: EffectiveRange,
) {
  return db
    .select(rowColumns)
    .from(fhirResources)
    .where(
      and(scopedTo(scope), inArray(fhirResources.resourceType, [...resourceTypes]), statusCondition(status), effectiveInRangeSql(range)),
    )
    .orderBy(...newest)
    .limit(limit);
}

/** Whose resources a read takes, and the reader's row filter (sensitive categories hidden from them are left out). */
export interface ResourceScope {
  patientId: string;
  filter: RowFilter;
}

/** The patient's rows the reader may see: the one row filter (DESIGN.md "Access") applied to every record read. */
function scopedTo(scope: ResourceScope): SQL | undefined {
  return and(eq(fhirResources.patientId, scope.patientId), sensitiveRowFilterSql(scope.filter, fhirResources));
}

/** Where a page of visits resumes: after the visit at this (millisecond) instant with this id. */
export interface VisitCursor {
  at: Date | null;
  id: string;
}

function afterCursor(cursor: VisitCursor): SQL | undefined {
  if (cursor.at === null) return and(sql`${visitTime} is null`, lt(fhirResources.id, cursor.id));
  return or(
    sql`${visitTime} < ${cursor.at.toISOString()}::timestamptz`,
    and(sql`${visitTime} = ${cursor.at.toISOString()}::timestamptz`, lt(fhirResources.id, cursor.id)),
    sql`${visitTime} is null`,
  );
}

/**
 * One page of a patient's visits (Encounters), newest first, keyset-paged; `limit + 1` rows tell whether more follow.
 * An export passes the days it covers.
 */
export function findVisitPage(db: Executor, scope: ResourceScope, after: VisitCursor | null, limit: number, range?: EffectiveRange) {
  return db
    .select({ ...rowColumns, sortAt: visitTime })
    .from(fhirResources)
    .where(
      and(
        scopedTo(scope),
        eq(fhirResources.resourceType, 'Encounter'),
        isVisibleVisit,
        after ? afterCursor(after) : undefined,
        effectiveInRangeSql(range),
      ),
    )
    .orderBy(sql`${visitTime} desc nulls last`, desc(fhirResources.id))
    .limit(limit + 1);
}

/** One visit of the patient, when it is one the patient had; always scoped by patient, so another patient's id finds nothing. */
export async function findVisit(db: Executor, scope: ResourceScope, visitId: string) {
  const [row] = await db
    .select(rowColumns)
    .from(fhirResources)
    .where(and(eq(fhirResources.id, visitId), scopedTo(scope), eq(fhirResources.resourceType, 'Encounter'), isVisibleVisit))
    .limit(1);
  return row;
}

/** The resources recorded in one visit, of the types the visit page shows (patient/encounter index), oldest first. */
export function findVisitResources(db: Executor, scope: ResourceScope, visitId: string, resourceTypes: readonly string[], limit: number) {
  return db
    .select(rowColumns)
    .from(fhirResources)
    .where(and(scopedTo(scope), eq(fhirResources.encounterId, visitId), inArray(fhirResources.resourceType, [...resourceTypes])))
    .orderBy(sql`${fhirResources.effectiveAt} asc nulls last`, asc(fhirResources.id))
    .limit(limit);
}

/** Which of these Encounter ids are visits of the patient that can be opened. */
export async function findVisibleVisitIds(db: Executor, patientId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: fhirResources.id })
    .from(fhirResources)
    .where(
      and(
        anyUuid(fhirResources.id, ids),
        eq(fhirResources.patientId, patientId),
        eq(fhirResources.resourceType, 'Encounter'),
        isVisibleVisit,
      ),
    );
  return new Set(rows.map((r) => r.id));
}

/**
 * Resources that references point at, for their names: directory resources of the patient's organization (no
 * patient) or the patient's own resources, never another patient's.
 */
export function findReferencedResources(db: Executor, organizationId: string, patientId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select({ id: fhirResources.id, resourceType: fhirResources.resourceType, resource: fhirResources.resource })
    .from(fhirResources)
    .where(
      and(
        anyUuid(fhirResources.id, ids),
        eq(fhirResources.organizationId, organizationId),
        or(isNull(fhirResources.patientId), eq(fhirResources.patientId, patientId)),
      ),
    );
}

/**
 * The ids of the results recorded in one visit that the reader may see: all of them for the care team, only released
 * ones for the patient (result-release.ts holds the one definition of both).
 */
export async function findVisibleVisitResultIds(db: Executor, patientId: string, visitId: string, filter: RowFilter) {
  const rows = await db
    .select({ id: fhirResources.id })
    .from(fhirResources)
    .where(and(eq(fhirResources.patientId, patientId), eq(fhirResources.encounterId, visitId), isResultSql(), resourceRowFilterSql(filter)))
    .limit(visitResultLimit);
  return new Set(rows.map((r) => r.id));
}

/** How many results of one visit are read at most. */
export const visitResultLimit = 1000;

/** How far a visit's start may be from a booked appointment's start for the visit to be that appointment. */
export const visitAppointmentToleranceMinutes = 60;

/**
 * The booked appointment each visit was: the one its Encounter names (`Encounter.appointment`, when it is one of ours),
 * else the patient's appointment, not cancelled or missed, whose start is nearest the visit's start and within
 * `visitAppointmentToleranceMinutes` (an EHR opens the encounter at check-in, near the booked time). One query for a
 * page; visit id → appointment id.
 */
export async function findVisitAppointments(
  db: Executor,
  patientId: string,
  visits: readonly { id: string; start: Date | null; appointmentRef: string | null }[],
): Promise<Map<string, string>> {
  if (visits.length === 0) return new Map();
  const rows = await queryRows<{ visit_id: string; appointment_id: string }>(
    db,
    sql`
    select v.id as visit_id, a.id as appointment_id
    from unnest(${sql.param(visits.map((v) => v.id))}::uuid[], ${sql.param(visits.map((v) => v.start?.toISOString() ?? null))}::timestamptz[],
      ${sql.param(visits.map((v) => v.appointmentRef))}::text[]) as v(id, start_at, ref)
    cross join lateral (
      select a.id from appointments a
      where a.patient_id = ${patientId} and a.status not in ('cancelled', 'no_show')
        and (a.id::text = lower(v.ref) or (v.start_at is not null
          and a.start_at between v.start_at - make_interval(mins => ${visitAppointmentToleranceMinutes})
                             and v.start_at + make_interval(mins => ${visitAppointmentToleranceMinutes})))
      order by (a.id::text = lower(v.ref)) is true desc, abs(extract(epoch from a.start_at - v.start_at)) nulls last, a.id
      limit 1) a`,
  );
  return new Map(rows.map((r) => [r.visit_id, r.appointment_id]));
}
