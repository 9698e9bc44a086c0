/** SQL for e-check-in: the visit type's forms, the patient's contact details, allergies and last answers; every method takes its executor. */
import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { checkIns, fhirResources, patients, visitTypes } from '../../db/schema/index.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { sensitiveRowFilterSql } from '../access/access.scope.ts';

/** The stored questionnaire and consent forms of a visit type (unchecked JSON), or undefined. */
export async function findVisitTypeFormRow(db: Executor, visitTypeId: string) {
  const [row] = await db
    .select({ questionnaire: visitTypes.questionnaire, consentForms: visitTypes.consentForms })
    .from(visitTypes)
    .where(eq(visitTypes.id, visitTypeId));
  return row;
}

/** A patient's AllergyIntolerance resources the reader's row filter shows (sensitiveRowFilterSql), latest first, at most `limit`. */
export function findAllergyRows(db: Executor, patientId: string, filter: RowFilter, limit: number) {
  return db
    .select()
    .from(fhirResources)
    .where(
      and(
        eq(fhirResources.patientId, patientId),
        eq(fhirResources.resourceType, 'AllergyIntolerance'),
        sensitiveRowFilterSql(filter, fhirResources),
      ),
    )
    .orderBy(desc(fhirResources.effectiveAt))
    .limit(limit);
}

/** The emergency contact and insurance of the patient's latest e-check-in (unchecked JSON), or undefined. */
export async function findLatestCheckInAnswers(db: Executor, patientId: string) {
  const [row] = await db
    .select({ emergencyContact: checkIns.emergencyContact, insurance: checkIns.insurance })
    .from(checkIns)
    .where(eq(checkIns.patientId, patientId))
    .orderBy(desc(checkIns.completedAt))
    .limit(1);
  return row;
}

/** The patient's address and phone as recorded, or undefined. */
export async function findPatientContact(db: Executor, patientId: string) {
  const [row] = await db.select({ address: patients.address, phone: patients.phone }).from(patients).where(eq(patients.id, patientId));
  return row;
}

/** Stores a completed e-check-in. */
export async function insertCheckIn(db: Executor, values: typeof checkIns.$inferInsert): Promise<void> {
  await db.insert(checkIns).values(values);
}

/** Replaces the patient's address and phone with what they confirmed at check-in. */
export async function updatePatientContact(
  db: Executor,
  patientId: string,
  contact: Pick<typeof patients.$inferInsert, 'address' | 'phone'>,
): Promise<void> {
  await db.update(patients).set(contact).where(eq(patients.id, patientId));
}
