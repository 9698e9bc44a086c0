import type { RefillView } from '@portico/shared';
import type { Config } from '../../config.ts';
import type { Database, Transaction } from '../../db/client.ts';
import { AppError, conflict, forbidden } from '../../errors.ts';
import { actsForPatient, authorRoleIn, type Actor, type PatientRef, type RowFilter } from '../access/access.policy.ts';
import { findPoolIds } from '../messaging/threads.repository.ts';
import { Refusal, withAuditedPatientAccess } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import { postMessage } from '../messaging/threads.service.ts';
import { runIdempotent, type IdempotencyRequest, type StoredAnswer } from '../idempotency/idempotency.ts';
import { describeMedications, refillRequestMessage, toRefillViews } from './refill-view.ts';
import {
  findMedicationRequestsByIds,
  findPharmacy,
  findRefillDepartment,
  findRefillRequest,
  findRefillableMedications,
  insertPharmacy,
  insertRefillRequest,
  insertRefillThread,
  listPharmacies,
  listRefillRequests,
  type ThreadVisibility,
  refillableStatuses,
} from './refills.repository.ts';

/** What the refill services need, passed explicitly. */
export interface RefillDeps {
  db: Database;
  config: Config;
  /** Nudges the outbox worker after a commit that queued a notification. */
  kickMail(): void;
}

/** How many current medications the refill page lists at most. */
const medicationLimit = 200;
/** The subject every refill thread carries (issue 4). */
export const refillSubject = 'Prescription refill request';

/**
 * GET …/refills/medications: the patient's current prescriptions (MedicationRequest active or on-hold) the reader's row
 * filter shows; a clinical read.
 */
export function listRefillableMedicationsFor(db: Database, actor: Actor, audit: AuditContext, patientId: string) {
  const access = {
    patientId,
    action: 'read' as const,
    categories: ['clinical' as const],
    auditAction: 'refill.medications.read',
    notForOutsideProviders: true,
  };
  return withAuditedPatientAccess(db, actor, audit, access, async (tx, patient, _allowed, grant) => ({
    medications: await describeMedications(tx, patient, await findRefillableMedications(tx, patient.id, grant.filter, medicationLimit)),
  }));
}

/** GET …/pharmacies: the patient's pharmacy list. */
export function listPharmaciesFor(db: Database, actor: Actor, audit: AuditContext, patientId: string) {
  const access = { patientId, action: 'read' as const, categories: ['messages' as const], auditAction: 'pharmacy.list' };
  return withAuditedPatientAccess(db, actor, audit, access, async (tx, patient) => ({ pharmacies: await listPharmacies(tx, patient.id) }));
}

/** POST …/pharmacies: adds a pharmacy to the patient's list. */
export function addPharmacyFor(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  input: { name: string; address: string; phone: string | null },
) {
  const access = { patientId, action: 'write' as const, categories: ['messages' as const], auditAction: 'pharmacy.create' };
  return withAuditedPatientAccess(db, actor, audit, access, (tx, patient) => insertPharmacy(tx, patient.id, input));
}

/**
 * GET …/refills: every refill request of the patient the reader sees, with its status and, when denied, the reason;
 * newest first. A request naming a medication the reader's row filter hides is left out whole (refillVisibleSql).
 */
export function listRefillsFor(db: Database, actor: Actor, audit: AuditContext, patientId: string) {
  const access = { patientId, action: 'read' as const, categories: ['messages' as const], auditAction: 'refill.list' };
  return withAuditedPatientAccess(db, actor, audit, access, async (tx, patient, _allowed, grant) => {
    // Refill threads are clinical: readers whose row filter hides clinical threads see none; staff see their pools' only.
    const threadsIn: ThreadVisibility =
      grant.via !== 'organization_staff'
        ? 'all'
        : grant.filter.seesClinicalThreads
          ? { pools: [...(await findPoolIds(tx, actor.userId))] }
          : { pools: [] };
    const rows = await listRefillRequests(tx, patient.id, threadsIn, grant.filter);
    return { refills: await toRefillViews(tx, patient, rows, grant.filter) };
  });
}

/** What a patient asks for: validated by the contract (one of pharmacyId and newPharmacy). */
export interface NewRefill {
  medicationIds: string[];
  pharmacyId?: string | undefined;
  newPharmacy?: { name: string; address: string; phone: string | null } | undefined;
  note: string | null;
}

const invalid = (field: string, message: string) =>
  new Refusal('failure', `invalid_${field}`, new AppError(400, 'validation_failed', `${field}: ${message}`, field));

/**
 * POST …/refills: the patient asks to renew some of their current prescriptions. In one transaction: the pharmacy (a
 * listed one, or a new one added to the list), a `refill` thread in the care-team pool of the patient's PCP (else the
 * organization's first), the patient's first message saying which medicines in words, and the refill request; audited.
 * With an Idempotency-Key a retry gets the first answer and creates nothing.
 */
export async function requestRefillFor(
  deps: RefillDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  body: NewRefill,
  idempotency: IdempotencyRequest,
): Promise<StoredAnswer<RefillView>> {
  const access = { patientId, action: 'write' as const, categories: ['messages' as const], auditAction: 'refill.request' };
  return withAuditedPatientAccess(deps.db, actor, audit, access, (tx, patient, _allowed, grant) => {
    if (!actsForPatient(actor, patient))
      throw new Refusal('denied', 'not_the_patient', forbidden('Only the patient, or someone acting for them, can ask for a refill.'));
    return runIdempotent(tx, actor.userId, idempotency, async () => ({
      statusCode: 201,
      body: await createRefill(tx, actor, patient, grant.filter, body),
    }));
  });
}

/**
 * Whether a refill thread is kept from a guardian of a 12-17 year old (and a share link): when a medication it names is
 * confidential or of a sensitive category, which that guardian does not see (issue 11 §1), so the thread's words follow
 * the medication. The care team and the patient see it as before.
 */
function refillThreadIsConfidential(medications: readonly { confidential: boolean; sensitiveCategory: string | null }[]): boolean {
  return medications.some((m) => m.confidential || m.sensitiveCategory !== null);
}

async function createRefill(tx: Transaction, actor: Actor, patient: PatientRef, filter: RowFilter, input: NewRefill): Promise<RefillView> {
  const ids = [...new Set(input.medicationIds.map((id) => id.toLowerCase()))];
  // A medication the reader's row filter hides is not found, so it answers the same 400 as an unknown id.
  const found = await findMedicationRequestsByIds(tx, patient.id, ids, filter);
  const current = found.filter((row) => (refillableStatuses as readonly string[]).includes(row.status ?? ''));
  if (current.length !== ids.length) throw invalid('medicationIds', 'Choose from your current medications.');

  let pharmacy;
  if (input.pharmacyId !== undefined) {
    pharmacy = await findPharmacy(tx, patient.id, input.pharmacyId);
    if (!pharmacy) throw invalid('pharmacyId', 'Choose a pharmacy from your list.');
  } else if (input.newPharmacy !== undefined) {
    pharmacy = await insertPharmacy(tx, patient.id, input.newPharmacy);
  } else {
    throw invalid('pharmacyId', 'Choose a pharmacy from your list or add a new one.');
  }

  const departmentId = await findRefillDepartment(tx, patient.id, patient.organizationId);
  if (!departmentId)
    throw new Refusal('failure', 'no_department', conflict('No care team can take refill requests yet; call your clinic.'));
  const byId = new Map(current.map((row) => [row.id, row]));
  const medications = await describeMedications(
    tx,
    patient,
    ids.map((id) => byId.get(id)!),
  );
  const threadId = await insertRefillThread(tx, {
    organizationId: patient.organizationId,
    patientId: patient.id,
    departmentId,
    createdBy: actor.userId,
    subject: refillSubject,
    confidential: refillThreadIsConfidential(current),
  });
  const note = input.note?.trim() ? input.note : null;
  const body = refillRequestMessage(medications, pharmacy, note);
  await postMessage(tx, {
    threadId,
    patientId: patient.id,
    author: { userId: actor.userId, role: authorRoleIn(actor, patient.organizationId, patient.id) },
    body,
  });
  const refillId = await insertRefillRequest(tx, { threadId, patientId: patient.id, medicationIds: ids, pharmacyId: pharmacy.id, note });
  const [view] = await toRefillViews(tx, patient, [(await findRefillRequest(tx, patient.id, refillId))!], filter);
  return view!;
}
