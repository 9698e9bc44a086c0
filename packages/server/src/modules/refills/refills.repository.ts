import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
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
};

/** The patient's current MedicationRequests (active, on-hold), newest first, at most `limit`. */
export function findRefillableMedications(db: Executor, patientId: string, limit: number) {
  return db
    .select(medicationColumns)
    .from(fhirResources)
    .where(
      and(
        eq(fhirResources.patientId, patientId),
        eq(fhirResources.resourceType, 'MedicationRequest'),
        inArray(fhirResources.status, [...refillableStatuses]),
      ),
    )
    .orderBy(sql`${fhirResources.effectiveAt} desc nulls last`, asc(fhirResources.id))
    .limit(limit);
}

/** The patient's MedicationRequests among these ids, in any status (a request shows what it asked for). */
export function findMedicationRequestsByIds(db: Executor, patientId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select(medicationColumns)
    .from(fhirResources)
    .where(
      and(anyUuid(fhirResources.id, ids), eq(fhirResources.patientId, patientId), eq(fhirResources.resourceType, 'MedicationRequest')),
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

/** A new thread of topic `refill`, waiting for the pool. */
export async function insertRefillThread(
  db: Executor,
  input: { organizationId: string; patientId: string; departmentId: string; createdBy: string; subject: string },
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

/** Every refill request of the patient, newest first. */
/**
 * Which refill threads a reader sees: the patient all of theirs; the care team only those in their pools, as the inbox
 * (a refill forwarded out of a pool leaves its old members' view with it).
 */
export type ThreadVisibility = 'all' | { pools: readonly string[] };

/** The patient's refill requests the reader sees, newest first. */
export function listRefillRequests(db: Executor, patientId: string, threadsIn: ThreadVisibility) {
  const visible =
    threadsIn === 'all'
      ? undefined
      : sql`exists (select 1 from message_threads t where t.id = ${refillRequests.threadId}
          and t.department_id = any(${sql.param([...threadsIn.pools])}::uuid[]))`;
  return db
    .select(refillColumns)
    .from(refillRequests)
    .innerJoin(pharmacies, eq(pharmacies.id, refillRequests.pharmacyId))
    .where(and(eq(refillRequests.patientId, patientId), visible))
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
