/**
 * E-check-in (issue 5 §2): from 7 days before a scheduled visit until it starts, the patient confirms address, phone,
 * emergency contact and insurance, reviews medications and allergies, answers the visit type's questions and signs
 * its consent forms; the visit becomes `checked_in`.
 */
import {
  checkInBodyFor,
  checkInQuestion,
  consentForm,
  emergencyContact,
  insuranceInfo,
  type AppointmentView,
  type CheckInBody,
  type CheckInForm,
} from '@portico/shared';
import { z } from 'zod';
import type { Database, Executor } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { actsForPatient, type Actor, type RowFilter } from '../access/access.policy.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import { toAllergyItem } from '../record/record-view.ts';
import { describeMedications } from '../refills/refill-view.ts';
import { findRefillableMedications } from '../refills/refills.repository.ts';
import { checkInOpensMs, toAppointmentView } from './appointment-view.ts';
import { findAppointment, findAppointmentRow, lockAppointment, updateAppointmentStatus } from './appointments.repository.ts';
import {
  findAllergyRows,
  findLatestCheckInAnswers,
  findPatientContact,
  findVisitTypeFormRow,
  insertCheckIn,
  updatePatientContact,
} from './check-in.repository.ts';
import { withAuditedPatientAccess } from '../access/access.service.ts';

/** How many current medications and allergies the form lists at most. */
const listLimit = 200;

const questionnaireOf = (value: unknown) => z.array(checkInQuestion).catch([]).parse(value);
const consentFormsOf = (value: unknown) => z.array(consentForm).catch([]).parse(value);

async function findVisitTypeForms(db: Executor, visitTypeId: string | null) {
  if (visitTypeId === null) return { questionnaire: [], consentForms: [] };
  const row = await findVisitTypeFormRow(db, visitTypeId);
  return { questionnaire: questionnaireOf(row?.questionnaire), consentForms: consentFormsOf(row?.consentForms) };
}

async function findAllergies(db: Executor, patientId: string, filter: RowFilter) {
  const rows = await findAllergyRows(db, patientId, filter, listLimit);
  return rows.flatMap((row) => {
    const item = toAllergyItem(row);
    if (!item || (item.clinicalStatus !== 'active' && item.clinicalStatus !== 'unknown')) return [];
    const reactions = item.reactions.map((r) => r.manifestation).join(', ');
    return [{ id: item.id, substance: item.substance, reactions: reactions || null }];
  });
}

/** The patient's last e-check-in answers worth offering again: emergency contact and insurance. */
async function findPreviousCheckIn(db: Executor, patientId: string) {
  const row = await findLatestCheckInAnswers(db, patientId);
  return {
    emergencyContact: emergencyContact
      .nullable()
      .catch(null)
      .parse(row?.emergencyContact ?? null),
    insurance: insuranceInfo
      .nullable()
      .catch(null)
      .parse(row?.insurance ?? null),
  };
}

async function appointmentOf(db: Executor, patientId: string, appointmentId: string, now: Date): Promise<AppointmentView> {
  const row = await findAppointment(db, patientId, appointmentId);
  if (!row) throw notFound('The appointment');
  return toAppointmentView(row, now);
}

/**
 * GET …/appointments/:appointmentId/check-in: what to confirm (address and phone from the patient's record, emergency
 * contact and insurance from their last check-in), what to review (active medications and allergies, when the reader
 * may see clinical data, and only those their row filter shows, as in the record) and the visit type's questions and
 * consent forms.
 */
export function getCheckInFormFor(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  appointmentId: string,
  now = new Date(),
): Promise<CheckInForm> {
  const access = {
    patientId,
    action: 'read' as const,
    categories: ['appointments' as const, 'demographics' as const, 'clinical' as const],
    auditAction: 'appointment.check_in.read',
    auditDetails: { appointmentId },
  };
  return withAuditedPatientAccess(db, actor, audit, access, async (tx, patient, allowed, grant) => {
    const appointment = await appointmentOf(tx, patientId, appointmentId, now);
    const row = await findPatientContact(tx, patientId);
    const forms = await findVisitTypeForms(tx, appointment.visitTypeId);
    const previous = await findPreviousCheckIn(tx, patientId);
    const seesClinical = allowed.has('clinical');
    // Names as a patient reads them (ingredient, strength, form: medicationName in packages/fhir, via toMedicationItem).
    const medications = seesClinical
      ? await describeMedications(tx, patient, await findRefillableMedications(tx, patientId, grant.filter, listLimit))
      : [];
    return {
      appointment,
      address: row?.address ?? null,
      phone: row?.phone ?? null,
      ...previous,
      medications: medications.map((m) => ({ id: m.id, name: m.name, directions: m.directions })),
      allergies: seesClinical ? await findAllergies(tx, patientId, grant.filter) : [],
      ...forms,
      completedAt: appointment.checkIn.completedAt,
    };
  });
}

const invalid = (field: string | undefined, message: string) => new AppError(400, 'validation_failed', message, field);

/**
 * The visit type's rule (checkInBodyFor, the one the page checks before sending): the first problem becomes a 400 naming
 * its field (`answers.<questionId>`, `consents.<index>`, `phone`…). Answers the answers to keep (blank optional ones
 * left out) and the signed consent forms with their titles.
 */
function checkForms(forms: Awaited<ReturnType<typeof findVisitTypeForms>>, body: CheckInBody, now: Date) {
  const parsed = checkInBodyFor(forms).safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    throw invalid(field, `${field ? `${field}: ` : ''}${issue?.message ?? 'Check the form.'}`);
  }
  const answers: Record<string, boolean | string> = {};
  for (const [id, answer] of Object.entries(parsed.data.answers)) {
    if (typeof answer === 'boolean' || (typeof answer === 'string' && answer !== '')) answers[id] = answer;
  }
  const signed = new Map(parsed.data.consents.map((c) => [c.formId, c.signedName]));
  const consents = forms.consentForms.map((form) => ({
    formId: form.id,
    title: form.title,
    signedName: signed.get(form.id) ?? '',
    signedAt: now.toISOString(),
  }));
  return { answers, consents };
}

/**
 * POST …/appointments/:appointmentId/check-in: the patient's own scheduled visit, from 7 days before its start until
 * the start; the visit type's rule met (checkForms: 400 naming `answers.<questionId>`, `consents.<index>`…). In one
 * transaction: the check_ins row, the patient's address and phone updated, the visit `checked_in`; audited. Answers
 * the visit.
 */
export function checkInFor(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  appointmentId: string,
  body: CheckInBody,
  now = new Date(),
): Promise<AppointmentView> {
  const access = {
    patientId,
    action: 'write' as const,
    categories: ['appointments' as const],
    auditAction: 'appointment.check_in',
    auditDetails: { appointmentId },
  };
  return withAuditedPatientAccess(db, actor, audit, access, async (tx, patient) => {
    if (!actsForPatient(actor, patient)) throw forbidden('Only the patient, or someone acting for them, can complete e-check-in.');
    if (!(await lockAppointment(tx, patientId, appointmentId))) throw notFound('The appointment');
    const a = await findAppointmentRow(tx, appointmentId);
    if (!a) throw notFound('The appointment');
    if (a.status !== 'scheduled') {
      throw invalid(undefined, `Only a scheduled visit can be checked in; this one is ${a.status.replace('_', ' ')}.`);
    }
    if (now.getTime() < a.startAt.getTime() - checkInOpensMs) throw invalid(undefined, 'E-check-in opens 7 days before the visit.');
    if (now >= a.startAt) throw invalid(undefined, 'E-check-in closes when the visit starts; check in at the front desk.');
    const forms = await findVisitTypeForms(tx, a.visitTypeId);
    const { answers, consents } = checkForms(forms, body, now);

    await insertCheckIn(tx, {
      appointmentId,
      patientId,
      address: body.address,
      phone: body.phone,
      emergencyContact: body.emergencyContact,
      insurance: body.insurance,
      medicationsReviewed: body.medicationsReviewed,
      allergiesReviewed: body.allergiesReviewed,
      answers,
      consents,
      completedAt: now,
    });
    await updatePatientContact(tx, patientId, { address: body.address, phone: body.phone });
    await updateAppointmentStatus(tx, appointmentId, { status: 'checked_in', checkedInAt: now });
    return appointmentOf(tx, patientId, appointmentId, now);
  });
}
