/**
 * When a test result reaches the patient (21st Century Cures Act, 45 CFR 171: released at once unless an exception
 * applies). A result is kept from the patient while it has an active hold: a `patient_preference` hold, put on new
 * results of a patient who chose `after_review`, lasts until a clinician releases it; a `clinician` hold lasts until
 * its `held_until` or an earlier release. A hold on a report also keeps back its member results. Staff see everything.
 *
 * The SQL fragments here are the one definition of "visible to the patient"; lists, details, trends, the home page and
 * the export all filter with them.
 */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { limits } from '@portico/shared';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor, Transaction } from '../../db/client.ts';
import { fhirResources, resultHolds } from '../../db/schema/index.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { sensitiveRowFilterSql } from '../access/access.scope.ts';

/** Observation categories that are not test results (FHIR observation-category): vitals, questionnaires, social history. */
export const nonResultObservationCategories = ['vital-signs', 'survey', 'social-history'] as const;

/** How far ahead a clinician may hold one result. */
export const maxClinicianHoldDays = limits.resultHoldMaxDays;

/** Whether a stored resource is a test result: any DiagnosticReport, or an Observation outside the non-result categories. */
export function isResultResource(resourceType: string, category: string | null): boolean {
  if (resourceType === 'DiagnosticReport') return true;
  if (resourceType !== 'Observation') return false;
  return !(nonResultObservationCategories as readonly string[]).includes(category ?? '');
}

/** The stored resource columns the fragments below refer to: `fhir_resources`, a drizzle alias of it, or sqlColumns('f'). */
export interface ResourceColumns {
  id: AnyPgColumn | SQL;
  patientId: AnyPgColumn | SQL;
  resourceType: AnyPgColumn | SQL;
  category: AnyPgColumn | SQL;
  sensitiveCategory: AnyPgColumn | SQL;
  confidential: AnyPgColumn | SQL;
}

/** SQL twin of isResultResource, for a `where` over fhir_resources. */
export function isResultSql(f: ResourceColumns = fhirResources): SQL {
  return sql`(${f.resourceType} = 'DiagnosticReport' or (${f.resourceType} = 'Observation' and coalesce(${f.category}, '') not in ('vital-signs', 'survey', 'social-history')))`;
}

/** A hold is active while it is not released and its end, if any, is ahead. */
const activeHold = sql`h.released_at is null and (h.held_until is null or h.held_until > now())`;

/**
 * The member Observation ids (as lower-case text) of the report whose `resource` column is given: the trailing UUID of
 * each `result[].reference` (the importer writes `Observation/<id>`; a `urn:uuid:<id>` reads the same).
 */
export function reportMemberIdsSql(resource: AnyPgColumn | SQL): SQL {
  return sql`select lower(right(m.member ->> 'reference', 36)) from jsonb_array_elements(
    case when jsonb_typeof(${resource} -> 'result') = 'array' then ${resource} -> 'result' else '[]'::jsonb end) as m(member)
    where m.member ->> 'reference' is not null`;
}

/**
 * True when the row is kept from the patient: an active hold on it, or on a report that lists it as a member. Reads
 * the patient's few active holds through `result_holds_patient_idx`, so it is cheap per row.
 */
export function isHeldSql(f: ResourceColumns = fhirResources): SQL {
  return sql`exists (
    select 1 from result_holds h
    where h.patient_id = ${f.patientId} and ${activeHold}
      and (h.resource_id = ${f.id} or exists (
        select 1 from fhir_resources rep
        where rep.id = h.resource_id and rep.resource_type = 'DiagnosticReport'
          and ${f.id}::text in (${reportMemberIdsSql(sql.raw('rep.resource'))})))
  )`;
}

/** True when the patient may see the row now (no active hold keeps it back); for queries that span patients. */
export function isVisibleToPatientSql(f: ResourceColumns = fhirResources): SQL {
  return sql`not ${isHeldSql(f)}`;
}

/**
 * The ids (as text) of one patient's results kept from them: those with an active hold, and the members of held
 * reports. Uncorrelated, so the database computes it once per query and tests each row against a hash.
 */
export function heldResultIdsSql(patientId: string): SQL {
  return sql`select h.resource_id::text from result_holds h where h.patient_id = ${patientId} and ${activeHold}
    union all
    select member_id from result_holds h join fhir_resources rep on rep.id = h.resource_id and rep.resource_type = 'DiagnosticReport'
      cross join lateral (${reportMemberIdsSql(sql.raw('rep.resource'))}) as members(member_id)
    where h.patient_id = ${patientId} and ${activeHold}`;
}

/**
 * The filter every reader of results applies: the patient (and later anyone reading on their behalf) sees only
 * released results; the care team sees everything. Undefined means no filter, so it drops straight into drizzle's
 * `and(...)`. Pass `patientId` when the query reads one patient (the held set is then computed once, not per row).
 */
export function visibleResultFilter(patientIsActor: boolean, patientId?: string, f: ResourceColumns = fhirResources): SQL | undefined {
  if (!patientIsActor) return undefined;
  return patientId === undefined ? isVisibleToPatientSql(f) : sql`${f.id}::text not in (${heldResultIdsSql(patientId)})`;
}

/**
 * The row filter as SQL for reads of FHIR resources (DESIGN.md "Access"): sensitive categories hidden from the reader,
 * and results held back from the patient unless the reader sees holds. Replaces the per-module flags (seesHeld,
 * patientIsActor); undefined when nothing is filtered.
 */
export function resourceRowFilterSql(filter: RowFilter, patientId?: string, f: ResourceColumns = fhirResources): SQL | undefined {
  return and(sensitiveRowFilterSql(filter, f), visibleResultFilter(!filter.seesHeldResults, patientId, f));
}

/** Puts a patient_preference hold on each of these newly stored result resources whose patient chose after_review. */
export async function holdNewResultsForReview(tx: Transaction, resultIds: string[]): Promise<void> {
  if (resultIds.length === 0) return;
  await tx.execute(sql`
    insert into result_holds (resource_id, patient_id, kind)
    select f.id, f.patient_id, 'patient_preference'
    from fhir_resources f join patients p on p.id = f.patient_id
    where f.id = any(${sql.param(resultIds)}::uuid[]) and p.results_release = 'after_review'
      and ${isResultSql(sqlColumns('f'))}
    on conflict (resource_id, kind) where released_at is null do nothing`);
}

/** Column references of fhir_resources under a plain SQL alias, for raw queries that alias the table. */
export function sqlColumns(alias: string): ResourceColumns {
  const column = (name: string) => sql.raw(`${alias}.${name}`);
  return {
    id: column('id'),
    patientId: column('patient_id'),
    resourceType: column('resource_type'),
    category: column('category'),
    sensitiveCategory: column('sensitive_category'),
    confidential: column('confidential'),
  };
}

/** Ends the patient's own review holds, when they go back to immediate release: their choice, their holds. */
export async function endPreferenceHolds(db: Executor, patientId: string, userId: string): Promise<number> {
  const ended = await db
    .update(resultHolds)
    .set({ releasedAt: sql`now()`, releasedBy: userId })
    .where(and(eq(resultHolds.patientId, patientId), eq(resultHolds.kind, 'patient_preference'), isNull(resultHolds.releasedAt)))
    .returning({ id: resultHolds.id });
  return ended.length;
}
