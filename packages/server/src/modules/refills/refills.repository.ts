import { and, asc, desc, eq, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { anyUuid, type Executor } from '../../db/client.ts';
import {
  departments,
  fhirResources,
  messageThreads,
  patients,
  pharmacies,
  refillRequests,
  staffDepartments,
  users,
} from '../../db/schema/index.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { confidentialThreadFilterSql, sensitiveRowFilterSql } from '../access/access.scope.ts';
import { sqlColumns } from '../record/result-release.ts';

/** MedicationRequest statuses a patient can ask to renew (FHIR R4 medicationrequest-status): the current orders. */
export const refillableStatuses = ['active', 'on-hold'] as const;

const medicationColumns = {
  id: fhirResources.id,
  resourceType: fhirResources.resourceType,
  category: fhirResources.category,
  code: fhirResources.code,
  status: fhirResources.status,
  effectiveAt: fhirResources.effectiveAt,
  encounterId: fhirResources.encounterId,
  resource: fhirResources.resource,
  sensitiveCategory: fhirResources.sensitiveCategory,
  confidential: fhirResources.confidential,
};

/**
 * The patient's current MedicationRequests (active, on-hold) the reader's row filter shows, newest first, at most
 * `limit`: a confidential or sensitive prescription is a record read like any other (sensitiveRowFilterSql).
 */
export function findRefillableMedications(db: Executor, patientId: string, filter: RowFilter, limit: number) {
  return db
    .select(medicationColumns)
    .from(fhirResources)
    .where(
      and(
        eq(fhirResources.patientId, patientId),
        eq(fhirResources.resourceType, 'MedicationRequest'),
        inArray(fhirResources.status, [...refillableStatuses]),
        sensitiveRowFilterSql(filter, fhirResources),
      ),
    )
    .orderBy(sql`${fhirResources.effectiveAt} desc nulls last`, asc(fhirResources.id))
    .limit(limit);
}

/**
 * The patient's MedicationRequests among these ids, in any status (a request shows what it asked for), that the reader's
 * row filter shows: a hidden id finds nothing, exactly like an unknown one.
 */
export function findMedicationRequestsByIds(db: Executor, patientId: string, ids: readonly string[], filter: RowFilter) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select(medicationColumns)
    .from(fhirResources)
    .where(
      and(
        anyUuid(fhirResources.id, ids),
        eq(fhirResources.patientId, patientId),
        eq(fhirResources.resourceType, 'MedicationRequest'),
        sensitiveRowFilterSql(filter, fhirResources),
      ),
    );
}

/**
 * The patient's MedicationRequests among these ids with every stored column, locked in id order: an approval renews
 * them, and a concurrent write (an import, another approval) waits rather than losing a version.
 */
export function lockMedicationRequests(db: Executor, patientId: string, ids: readonly string[]) {
  return db
    .select()
    .from(fhirResources)
    .where(and(anyUuid(fhirResources.id, ids), eq(fhirResources.patientId, patientId), eq(fhirResources.resourceType, 'MedicationRequest')))
    .orderBy(asc(fhirResources.id))
    .for('update');
}

const pharmacyColumns = { id: pharmacies.id, name: pharmacies.name, address: pharmacies.address, phone: pharmacies.phone };

/** The patient's pharmacies, in the order they were added. */
export function listPharmacies(db: Executor, patientId: string) {
  return db
    .select(pharmacyColumns)
    .from(pharmacies)
    .where(eq(pharmacies.patientId, patientId))
    .orderBy(asc(pharmacies.createdAt), asc(pharmacies.id));
}

/** One pharmacy of the patient's list; another patient's id finds nothing. */
export async function findPharmacy(db: Executor, patientId: string, pharmacyId: string) {
  const [row] = await db
    .select(pharmacyColumns)
    .from(pharmacies)
    .where(and(eq(pharmacies.id, pharmacyId), eq(pharmacies.patientId, patientId)));
  return row;
}

/** Adds a pharmacy to the patient's list. */
export async function insertPharmacy(db: Executor, patientId: string, input: { name: string; address: string; phone: string | null }) {
  const [row] = await db
    .insert(pharmacies)
    .values({ patientId, ...input })
    .returning(pharmacyColumns);
  return row!;
}

/**
 * The pool a refill request goes to: a department the patient's PCP works in (first by name), or else the
 * organization's first department by name; null when the organization has none.
 */
export async function findRefillDepartment(db: Executor, patientId: string, organizationId: string): Promise<string | null> {
  const [pcpDepartment] = await db
    .select({ id: departments.id })
    .from(patients)
    .innerJoin(staffDepartments, eq(staffDepartments.userId, patients.pcpId))
    .innerJoin(departments, eq(departments.id, staffDepartments.departmentId))
    .where(and(eq(patients.id, patientId), eq(departments.organizationId, organizationId)))
    .orderBy(asc(departments.name), asc(departments.id))
    .limit(1);
  if (pcpDepartment) return pcpDepartment.id;
  const [first] = await db
    .select({ id: departments.id })
    .from(departments)
    .where(eq(departments.organizationId, organizationId))
    .orderBy(asc(departments.name), asc(departments.id))
    .limit(1);
  return first?.id ?? null;
}

/**
 * A new thread of topic `refill`, waiting for the pool; `confidential` when a medication it names is one a guardian of a
 * 12-17 year old may not see (refillThreadIsConfidential), so the thread follows the medication.
 */
export async function insertRefillThread(
  db: Executor,
  input: { organizationId: string; patientId: string; departmentId: string; createdBy: string; subject: string; confidential: boolean },
) {
  const [row] = await db
    .insert(messageThreads)
    .values({ ...input, topic: 'refill', status: 'waiting' })
    .returning({ id: messageThreads.id });
  return row!.id;
}

/** A new refill request, carried by its thread. */
export async function insertRefillRequest(
  db: Executor,
  input: { threadId: string; patientId: string; medicationIds: string[]; pharmacyId: string; note: string | null },
) {
  const [row] = await db.insert(refillRequests).values(input).returning({ id: refillRequests.id });
  return row!.id;
}

const refillColumns = {
  id: refillRequests.id,
  threadId: refillRequests.threadId,
  patientId: refillRequests.patientId,
  status: refillRequests.status,
  medicationIds: refillRequests.medicationIds,
  note: refillRequests.note,
  denialReason: refillRequests.denialReason,
  decidedAt: refillRequests.decidedAt,
  createdAt: refillRequests.createdAt,
  pharmacy: pharmacyColumns,
};

/** A refill request with its pharmacy, as the views need it. */
export type RefillRow = Awaited<ReturnType<typeof listRefillRequests>>[number];

/** The refill_requests columns refillVisibleSql reads: the table, or an alias of it in hand-written SQL. */
export interface RefillColumns {
  patientId: AnyColumn | SQL;
  threadId: AnyColumn | SQL;
  medicationIds: AnyColumn | SQL;
}

/**
 * The row filter as SQL for refill requests: a request is the reader's to see only when every medication it names is
 * (sensitiveRowFilterSql; a teen's refill of a confidential prescription is hers, so one hidden medication hides the
 * whole request rather than naming the rest) and its thread is (confidentialThreadFilterSql). Undefined when the
 * filter hides nothing, so it drops into drizzle's `and(...)`; lists and counts of refills use this one rule.
 */
export function refillVisibleSql(filter: RowFilter, refill: RefillColumns = refillRequests): SQL | undefined {
  const parts: SQL[] = [];
  const medicationVisible = sensitiveRowFilterSql(filter, sqlColumns('refill_medication'));
  if (medicationVisible)
    parts.push(sql`not exists (select 1 from fhir_resources refill_medication
      where refill_medication.id = any(${refill.medicationIds}) and refill_medication.patient_id = ${refill.patientId}
        and not (${medicationVisible}))`);
  const threadVisible = confidentialThreadFilterSql(filter, sql.raw('refill_thread.confidential'));
  if (threadVisible)
    parts.push(sql`exists (select 1 from message_threads refill_thread where refill_thread.id = ${refill.threadId} and ${threadVisible})`);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` and `)})`;
}

/**
 * Which refill threads a reader sees: the patient all of theirs; the care team only those in their pools, as the inbox
 * (a refill forwarded out of a pool leaves its old members' view with it).
 */
export type ThreadVisibility = 'all' | { pools: readonly string[] };

/**
 * The patient's refill requests the reader sees, newest first: those in their pools and, given the reader's row filter,
 * only those it shows (refillVisibleSql). Without a filter, every one: for a caller that already found the reader may
 * see the request's thread.
 */
export function listRefillRequests(db: Executor, patientId: string, threadsIn: ThreadVisibility, filter?: RowFilter) {
  const visible =
    threadsIn === 'all'
      ? undefined
      : sql`exists (select 1 from message_threads t where t.id = ${refillRequests.threadId}
          and t.department_id = any(${sql.param([...threadsIn.pools])}::uuid[]))`;
  return db
    .select(refillColumns)
    .from(refillRequests)
    .innerJoin(pharmacies, eq(pharmacies.id, refillRequests.pharmacyId))
    .where(and(eq(refillRequests.patientId, patientId), visible, filter && refillVisibleSql(filter)))
    .orderBy(desc(refillRequests.createdAt), desc(refillRequests.id));
}

/** One refill request of the patient by id. */
export async function findRefillRequest(db: Executor, patientId: string, refillId: string): Promise<RefillRow | undefined> {
  const [row] = await db
    .select(refillColumns)
    .from(refillRequests)
    .innerJoin(pharmacies, eq(pharmacies.id, refillRequests.pharmacyId))
    .where(and(eq(refillRequests.id, refillId), eq(refillRequests.patientId, patientId)));
  return row;
}

/** The refill a thread carries, with where the thread sits (pool, organization) and the patient's portal account. */
export async function findRefillByThread(db: Executor, threadId: string) {
  const [row] = await db
    .select({
      refillId: refillRequests.id,
      medicationIds: refillRequests.medicationIds,
      threadId: messageThreads.id,
      patientId: messageThreads.patientId,
      organizationId: messageThreads.organizationId,
      departmentId: messageThreads.departmentId,
      patientUserId: patients.userId,
    })
    .from(messageThreads)
    .innerJoin(refillRequests, eq(refillRequests.threadId, messageThreads.id))
    .innerJoin(patients, eq(patients.id, messageThreads.patientId))
    .where(eq(messageThreads.id, threadId));
  return row;
}

/** A staff member's display name, for the renewal's requester. */
export async function findDisplayName(db: Executor, userId: string): Promise<string | null> {
  const [row] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
  return row?.name ?? null;
}

/**
 * Records a decision on a request still `requested`; false when it was already decided (a racing decision waits for the
 * first to commit, then finds nothing to update).
 */
export async function recordRefillDecision(
  db: Executor,
  refillId: string,
  decision: { status: 'approved' | 'denied'; decidedBy: string; denialReason?: string; renewalIds?: string[] },
): Promise<boolean> {
  const rows = await db
    .update(refillRequests)
    .set({
      status: decision.status,
      decidedBy: decision.decidedBy,
      decidedAt: sql`now()`,
      denialReason: decision.denialReason ?? null,
      renewalIds: decision.renewalIds ?? null,
    })
    .where(and(eq(refillRequests.id, refillId), eq(refillRequests.status, 'requested')))
    .returning({ id: refillRequests.id });
  return rows.length === 1;
}
