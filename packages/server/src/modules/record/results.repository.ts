import { aliasedTable, and, asc, desc, eq, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { anyUuid, type Executor } from '../../db/client.ts';
import { fhirResources, patients, resultComments, resultHolds, resultsSeen, users } from '../../db/schema/index.ts';
import { staffRoleInSql } from '../access/access.repository.ts';
import { effectiveInRangeSql, type EffectiveRange } from './record.repository.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { isHeldSql, isResultSql, reportMemberIdsSql, resourceRowFilterSql, sqlColumns } from './result-release.ts';
import { findRecordTimeZone } from './export/record-export.repository.ts';

/** Where a page of the results list starts: after this (effective time with microseconds, id) in newest-first order. */
export interface ResultCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, or null for results with no effective time (they sort last). */
  at: string | null;
  id: string;
}

/** Whose results, and the reader's row filter: held results for the care team only, sensitive categories as allowed. */
export interface ResultScope {
  patientId: string;
  filter: RowFilter;
}

const rep = aliasedTable(fhirResources, 'rep');

const resultColumns = {
  id: fhirResources.id,
  resourceType: fhirResources.resourceType,
  resource: fhirResources.resource,
  effectiveAt: fhirResources.effectiveAt,
  code: fhirResources.code,
  encounterId: fhirResources.encounterId,
};

/** `held` is computed only for readers who may see held results; for the patient every row it returns is released. */
function heldColumn(scope: ResultScope) {
  return scope.filter.seesHeldResults ? sql<boolean>`${isHeldSql()}` : sql<boolean>`false`;
}

function scoped(scope: ResultScope, ...conditions: (SQL | undefined)[]): SQL | undefined {
  return and(eq(fhirResources.patientId, scope.patientId), resourceRowFilterSql(scope.filter, scope.patientId), ...conditions);
}

/** Panel members are listed with their report, not on their own: the ids every report of the patient names. */
function isReportMember(patientId: string): SQL {
  return sql`${fhirResources.id}::text in (
    select member_id from fhir_resources reports
    cross join lateral (${reportMemberIdsSql(sql.raw('reports.resource'))}) as members(member_id)
    where reports.patient_id = ${patientId} and reports.resource_type = 'DiagnosticReport')`;
}

/**
 * Whether a stored resource's name (its code's text or any coding's display, as codeableText shows it) contains the
 * words, ignoring case. strpos, not LIKE: no character of the input is a pattern, so any text is safe to pass.
 */
function nameContainsSql(resource: SQL, words: string): SQL {
  const code = sql`(${resource} -> 'code')`;
  return sql`strpos(lower(concat_ws(' | ', ${code} ->> 'text', (
    select string_agg(c ->> 'display', ' | ') from jsonb_array_elements(
      case when jsonb_typeof(${code} -> 'coding') = 'array' then ${code} -> 'coding' else '[]'::jsonb end) as c))),
    lower(${words})) > 0`;
}

/**
 * Results whose test name contains the words: the result itself, or (for a report) a member result the reader may see,
 * so "hemoglobin" finds the blood count it belongs to; a member hidden from the reader never makes its report match.
 */
function nameFilterSql(scope: ResultScope, words: string | undefined): SQL | undefined {
  if (words === undefined) return undefined;
  const member = sqlColumns('m');
  return sql`(${nameContainsSql(sql`${fhirResources.resource}`, words)} or (${fhirResources.resourceType} = 'DiagnosticReport' and exists (
    select 1 from fhir_resources m
    where m.patient_id = ${scope.patientId} and m.resource_type = 'Observation'
      and m.id::text in (${reportMemberIdsSql(sql`${fhirResources.resource}`)})
      and ${resourceRowFilterSql(scope.filter, scope.patientId, member) ?? sql`true`}
      and ${nameContainsSql(sql.raw('m.resource'), words)})))`;
}

/**
 * When a listed result reached this reader: when it was stored or last changed (`last_updated`) and, for a reader who
 * sees only released results, when the last hold on it (or, for a report, on a member) ended. Holds are found by
 * `result_holds_resource_idx`, ended ones included.
 */
function availableAtSql(scope: ResultScope): SQL {
  if (scope.filter.seesHeldResults) return sql`${fhirResources.lastUpdated}`;
  const ended = sql`coalesce(h.released_at, h.held_until)`;
  const lastEnded = (resourceIds: SQL) =>
    sql`(select max(${ended}) from result_holds h
      where h.resource_id in (${resourceIds}) and h.patient_id = ${scope.patientId} and ${ended} <= now())`;
  const memberIds = sql`select member_id::uuid from (${reportMemberIdsSql(sql`${fhirResources.resource}`)}) as members(member_id)
    where member_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;
  return sql`greatest(${fhirResources.lastUpdated}, ${lastEnded(sql`${fhirResources.id}`)},
    case when ${fhirResources.resourceType} = 'DiagnosticReport' then ${lastEnded(memberIds)} end)`;
}

/** What narrows or marks a page of the list: a test-name filter, and the reader's previous visit for "new" marks. */
export interface ResultListOptions {
  name?: string;
  /** Results that reached the reader after this are new; null marks none. */
  seenBefore?: Date | null;
}

function after(cursor: ResultCursor | null): SQL | undefined {
  if (!cursor) return undefined;
  const id = sql`${cursor.id}::uuid`;
  if (cursor.at === null) return sql`(${fhirResources.effectiveAt} is null and ${fhirResources.id} < ${id})`;
  const at = sql`${cursor.at}::timestamptz`;
  return sql`(${fhirResources.effectiveAt} < ${at} or (${fhirResources.effectiveAt} = ${at} and ${fhirResources.id} < ${id}) or ${fhirResources.effectiveAt} is null)`;
}

/**
 * One page of a patient's results, newest first, reports with their members folded in, plus one row to tell whether a
 * next page exists. Keyset paging on (effective_at, id) over the patient/type/category index: no offset, no full load.
 * An export passes the days it covers.
 */
export function listResults(
  db: Executor,
  scope: ResultScope,
  cursor: ResultCursor | null,
  limit: number,
  range?: EffectiveRange,
  options: ResultListOptions = {},
) {
  const seenBefore = options.seenBefore ?? null;
  return db
    .select({
      ...resultColumns,
      held: heldColumn(scope),
      isNew: seenBefore ? sql<boolean>`${availableAtSql(scope)} > ${seenBefore.toISOString()}::timestamptz` : sql<boolean>`false`,
      cursorAt: sql<string | null>`to_char(${fhirResources.effectiveAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(fhirResources)
    .where(
      scoped(
        scope,
        inArray(fhirResources.resourceType, ['Observation', 'DiagnosticReport']),
        isResultSql(),
        or(eq(fhirResources.resourceType, 'DiagnosticReport'), sql`not ${isReportMember(scope.patientId)}`),
        after(cursor),
        effectiveInRangeSql(range),
        nameFilterSql(scope, options.name),
      ),
    )
    .orderBy(sql`${fhirResources.effectiveAt} desc nulls last`, desc(fhirResources.id))
    .limit(limit + 1);
}

/** A reader's first visit to a patient's results marks as new what reached the record in this many days. */
export const firstVisitNewDays = 30;
/** Reads of the results list less than this many minutes apart are one visit (the "new" marks stay while reading). */
export const resultsVisitGapMinutes = 30;

/**
 * Records a read of the results list's first page and answers the mark this read compares with. One statement, so
 * concurrent reads agree: the first ever read starts at `firstVisitNewDays` ago; a read after a gap of
 * `resultsVisitGapMinutes` starts a new visit, whose mark is the previous visit's last read; other reads keep the mark.
 */
export async function recordResultsVisit(db: Executor, userId: string, patientId: string): Promise<Date> {
  const [row] = await db
    .insert(resultsSeen)
    .values({
      userId,
      patientId,
      seenBefore: sql`now() - make_interval(days => ${firstVisitNewDays})`,
      lastReadAt: sql`now()`,
    })
    .onConflictDoUpdate({
      target: [resultsSeen.userId, resultsSeen.patientId],
      set: {
        seenBefore: sql`case when ${resultsSeen.lastReadAt} < now() - make_interval(mins => ${resultsVisitGapMinutes})
          then ${resultsSeen.lastReadAt} else ${resultsSeen.seenBefore} end`,
        lastReadAt: sql`now()`,
      },
    })
    .returning({ seenBefore: resultsSeen.seenBefore });
  return row!.seenBefore;
}

/** The mark of the reader's current visit, without recording a read (later pages, searches); `firstVisitNewDays` ago when none. */
export async function findResultsSeenBefore(db: Executor, userId: string, patientId: string): Promise<Date> {
  const [row] = await db
    .select({ seenBefore: resultsSeen.seenBefore })
    .from(resultsSeen)
    .where(and(eq(resultsSeen.userId, userId), eq(resultsSeen.patientId, patientId)));
  return row?.seenBefore ?? new Date(Date.now() - firstVisitNewDays * 86_400_000);
}

/** The patient's time zone (their primary care clinician's department, else the organization's first), UTC when none. */
export async function findPatientTimeZone(db: Executor, patient: { id: string; organizationId: string }): Promise<string> {
  const [row] = await db.select({ pcpId: patients.pcpId }).from(patients).where(eq(patients.id, patient.id));
  return (await findRecordTimeZone(db, patient.organizationId, row?.pcpId ?? null)) ?? 'UTC';
}

/** One result of the patient, if it is a result the reader may see. */
export async function findResult(db: Executor, scope: ResultScope, resultId: string) {
  const [row] = await db
    .select({ ...resultColumns, held: heldColumn(scope) })
    .from(fhirResources)
    .where(scoped(scope, eq(fhirResources.id, resultId), isResultSql()));
  return row;
}

/** The member Observations of reports, among the ids given, that the reader may see. */
export function findMembers(db: Executor, scope: ResultScope, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select({ ...resultColumns, held: heldColumn(scope) })
    .from(fhirResources)
    .where(scoped(scope, anyUuid(fhirResources.id, ids), eq(fhirResources.resourceType, 'Observation')));
}

/** The latest `limit` Observations of one test (same `code`) the reader may see, newest first ((patient, code, date) index). */
export function findTrendRows(db: Executor, scope: ResultScope, code: string, limit: number) {
  return db
    .select({ id: fhirResources.id, resource: fhirResources.resource, effectiveAt: fhirResources.effectiveAt })
    .from(fhirResources)
    .where(
      scoped(
        scope,
        eq(fhirResources.code, code),
        eq(fhirResources.resourceType, 'Observation'),
        sql`${fhirResources.effectiveAt} is not null`,
      ),
    )
    .orderBy(desc(fhirResources.effectiveAt), desc(fhirResources.id))
    .limit(limit);
}

/** The patient's reports that list this Observation as a member (for who ordered it and who performed it). */
export function findReportsContaining(db: Executor, patientId: string, observationId: string) {
  return db
    .select({ id: rep.id, resource: rep.resource })
    .from(rep)
    .where(
      and(
        eq(rep.patientId, patientId),
        eq(rep.resourceType, 'DiagnosticReport'),
        sql`${observationId}::text in (${reportMemberIdsSql(rep.resource)})`,
      ),
    )
    .limit(5);
}

const commenter = aliasedTable(users, 'commenter');
const holder = aliasedTable(users, 'holder');

/** The care team's comments on a result, oldest first, with each author's name and role. */
export function listComments(db: Executor, resultId: string) {
  return db
    .select({
      id: resultComments.id,
      authorName: commenter.displayName,
      authorRole: sql<string>`coalesce(${staffRoleInSql(commenter.id, sql`(select p.organization_id from patients p where p.id = ${resultComments.patientId})`)}, 'patient')`,
      text: resultComments.body,
      createdAt: resultComments.createdAt,
    })
    .from(resultComments)
    .innerJoin(commenter, eq(commenter.id, resultComments.authorId))
    .where(eq(resultComments.resourceId, resultId))
    .orderBy(asc(resultComments.createdAt), asc(resultComments.id));
}

/** Stores a comment. */
export async function insertComment(db: Executor, input: { resourceId: string; patientId: string; authorId: string; body: string }) {
  const [row] = await db.insert(resultComments).values(input).returning();
  return row!;
}

const holdColumns = {
  id: resultHolds.id,
  kind: resultHolds.kind,
  reason: resultHolds.reason,
  heldBy: holder.displayName,
  heldUntil: resultHolds.heldUntil,
  createdAt: resultHolds.createdAt,
};

/** The active holds on one result, oldest first. */
export function listActiveHolds(db: Executor, resultId: string) {
  return db
    .select(holdColumns)
    .from(resultHolds)
    .leftJoin(holder, eq(holder.id, resultHolds.heldBy))
    .where(
      and(
        eq(resultHolds.resourceId, resultId),
        isNull(resultHolds.releasedAt),
        or(isNull(resultHolds.heldUntil), gt(resultHolds.heldUntil, sql`now()`)),
      ),
    )
    .orderBy(asc(resultHolds.createdAt));
}

/** Marks clinician holds whose time ran out as ended then, so the one-active-hold index admits a new one. */
export async function closeExpiredClinicianHolds(db: Executor, resultId: string): Promise<void> {
  await db
    .update(resultHolds)
    .set({ releasedAt: sql`${resultHolds.heldUntil}` })
    .where(
      and(
        eq(resultHolds.resourceId, resultId),
        eq(resultHolds.kind, 'clinician'),
        isNull(resultHolds.releasedAt),
        lte(resultHolds.heldUntil, sql`now()`),
      ),
    );
}

/** Stores a clinician hold; undefined when an active one already exists (the partial unique index decides, race-free). */
export async function insertClinicianHold(
  db: Executor,
  input: { resourceId: string; patientId: string; reason: string; heldBy: string; heldUntil: Date },
) {
  const [row] = await db
    .insert(resultHolds)
    .values({ ...input, kind: 'clinician' })
    .onConflictDoNothing({ target: [resultHolds.resourceId, resultHolds.kind], where: sql`released_at is null` })
    .returning({ id: resultHolds.id });
  return row;
}

/** One hold as staff see it. */
export async function findHold(db: Executor, holdId: string) {
  const [row] = await db
    .select(holdColumns)
    .from(resultHolds)
    .leftJoin(holder, eq(holder.id, resultHolds.heldBy))
    .where(eq(resultHolds.id, holdId));
  return row;
}

/** Ends every unreleased hold on these resources; answers the holds that were still in force. */
export async function releaseHolds(db: Executor, patientId: string, resourceIds: string[], userId: string) {
  if (resourceIds.length === 0) return [];
  const ended = await db
    .update(resultHolds)
    .set({ releasedAt: sql`now()`, releasedBy: userId })
    .where(and(eq(resultHolds.patientId, patientId), anyUuid(resultHolds.resourceId, resourceIds), isNull(resultHolds.releasedAt)))
    .returning({
      id: resultHolds.id,
      resourceId: resultHolds.resourceId,
      kind: resultHolds.kind,
      wasActive: sql<boolean>`${resultHolds.heldUntil} is null or ${resultHolds.heldUntil} > now()`,
    });
  return ended.filter((h) => h.wasActive);
}

/** The patient's choice of when results reach them. */
export async function findReleaseMode(db: Executor, patientId: string) {
  const [row] = await db.select({ mode: patients.resultsRelease }).from(patients).where(eq(patients.id, patientId));
  return row?.mode;
}

/** Saves the patient's choice. */
export async function updateReleaseMode(db: Executor, patientId: string, mode: string): Promise<void> {
  await db.update(patients).set({ resultsRelease: mode }).where(eq(patients.id, patientId));
}
