/**
 * The check-in form's state and rules outside the page (CheckInPage.tsx): field ids, the values a person edits, the
 * body they become, and the same required/optional rules as the server (checkInBodyFor), worded for the page.
 */
import { checkInBodyFor } from '@portico/shared';
import type { CheckInBody, CheckInForm } from '../../api/appointments.ts';
import type { FieldError } from '../../hooks/use-form-errors.ts';
import type { useT } from '../../i18n/i18n-context.ts';

export const ids = {
  address: 'check-in-address',
  phone: 'check-in-phone',
  contactName: 'check-in-contact-name',
  contactRelationship: 'check-in-contact-relationship',
  contactPhone: 'check-in-contact-phone',
  payer: 'check-in-payer',
  memberId: 'check-in-member-id',
  groupNumber: 'check-in-group-number',
  medications: 'check-in-medications-reviewed',
  allergies: 'check-in-allergies-reviewed',
  question: (id: string) => `check-in-question-${id}`,
  consent: (id: string) => `check-in-consent-${id}`,
};

/** The form's values: what the server had, as the patient changes it. */
export interface Values {
  address: string;
  phone: string;
  contactName: string;
  contactRelationship: string;
  contactPhone: string;
  payer: string;
  memberId: string;
  groupNumber: string;
  medicationsReviewed: boolean;
  allergiesReviewed: boolean;
  answers: Record<string, boolean | string>;
  signatures: Record<string, string>;
}

export function initialValues(form: CheckInForm): Values {
  return {
    address: form.address ?? '',
    phone: form.phone ?? '',
    contactName: form.emergencyContact?.name ?? '',
    contactRelationship: form.emergencyContact?.relationship ?? '',
    contactPhone: form.emergencyContact?.phone ?? '',
    payer: form.insurance?.payer ?? '',
    memberId: form.insurance?.memberId ?? '',
    groupNumber: form.insurance?.groupNumber ?? '',
    medicationsReviewed: false,
    allergiesReviewed: false,
    answers: {},
    signatures: {},
  };
}

/** The translator (useT). */
export type Translate = ReturnType<typeof useT>;

/** What the form would send, before the reviews are known to be ticked. */
export type Draft = Omit<CheckInBody, 'medicationsReviewed' | 'allergiesReviewed'> & {
  medicationsReviewed: boolean;
  allergiesReviewed: boolean;
};

/** What the form sends: trimmed text, the answers given (blank ones left out), a signature per form in the forms' order. */
export function toDraft(form: CheckInForm, v: Values): Draft {
  const answers: Record<string, boolean | string> = {};
  for (const question of form.questionnaire) {
    const answer = v.answers[question.id];
    if (typeof answer === 'boolean' || (typeof answer === 'string' && answer.trim())) answers[question.id] = answer;
  }
  return {
    address: v.address.trim(),
    phone: v.phone.trim(),
    emergencyContact: { name: v.contactName.trim(), relationship: v.contactRelationship.trim(), phone: v.contactPhone.trim() },
    insurance: { payer: v.payer.trim(), memberId: v.memberId.trim(), groupNumber: v.groupNumber.trim() || null },
    medicationsReviewed: v.medicationsReviewed,
    allergiesReviewed: v.allergiesReviewed,
    answers,
    consents: form.consentForms.map((c) => ({ formId: c.id, signedName: (v.signatures[c.id] ?? '').trim() })),
  };
}

/** The page's words for a problem at a field path of the shared rule (`answers.<id>`, `consents.<index>`…). */
export function problemText(form: CheckInForm, v: Values, path: string, tooLongMax: number | null, t: Translate): string {
  if (tooLongMax !== null) return t('appointments.checkIn.tooLong', { max: tooLongMax });
  const fixed: Record<string, () => string> = {
    address: () => t('appointments.checkIn.addressRequired'),
    phone: () => t(v.phone.trim() ? 'appointments.checkIn.phoneInvalid' : 'appointments.checkIn.phoneRequired'),
    'emergencyContact.name': () => t('appointments.checkIn.contactNameRequired'),
    'emergencyContact.relationship': () => t('appointments.checkIn.contactRelationshipRequired'),
    'emergencyContact.phone': () =>
      t(v.contactPhone.trim() ? 'appointments.checkIn.contactPhoneInvalid' : 'appointments.checkIn.contactPhoneRequired'),
    'insurance.payer': () => t('appointments.checkIn.payerRequired'),
    'insurance.memberId': () => t('appointments.checkIn.memberIdRequired'),
    medicationsReviewed: () => t('appointments.checkIn.medicationsRequired'),
    allergiesReviewed: () => t('appointments.checkIn.allergiesRequired'),
  };
  const known = fixed[path];
  if (known) return known();
  const question = form.questionnaire.find((q) => path === `answers.${q.id}`);
  if (question) return t('appointments.checkIn.answerRequired', { question: question.text });
  const consent = /^consents\.(\d+)/.exec(path);
  const signed = consent ? form.consentForms[Number(consent[1])] : undefined;
  if (signed) return t('appointments.checkIn.signatureRequired', { title: signed.title });
  return t('errors.validation_failed');
}

/**
 * The visit type's rule (checkInBodyFor, the same one the server enforces), checked before sending: every problem,
 * each linked to its input, in the form's order.
 */
export function validate(form: CheckInForm, v: Values, t: Translate): FieldError[] {
  const result = checkInBodyFor(form).safeParse(toDraft(form, v));
  if (result.success) return [];
  const problems: FieldError[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    const id = inputFor(form, path);
    if (!id || problems.some((p) => p.id === id)) continue;
    const tooLongMax = issue.code === 'too_big' ? Number(issue.maximum) : null;
    problems.push({ id, message: problemText(form, v, path, tooLongMax, t) });
  }
  // A problem no input shows (none the page can make) is left to the server's answer, shown in the summary.
  return problems;
}

/** Which input a server validation error's field path belongs to. */
export function inputFor(form: CheckInForm, field: string): string | null {
  const direct: Record<string, string> = {
    address: ids.address,
    phone: ids.phone,
    'emergencyContact.name': ids.contactName,
    'emergencyContact.relationship': ids.contactRelationship,
    'emergencyContact.phone': ids.contactPhone,
    'insurance.payer': ids.payer,
    'insurance.memberId': ids.memberId,
    'insurance.groupNumber': ids.groupNumber,
    medicationsReviewed: ids.medications,
    allergiesReviewed: ids.allergies,
  };
  if (direct[field]) return direct[field];
  const answer = /^answers\.(.+)$/.exec(field);
  if (answer?.[1]) {
    const question = form.questionnaire.find((q) => q.id === answer[1]);
    if (question) return question.kind === 'yes_no' ? `${ids.question(question.id)}-yes` : ids.question(question.id);
  }
  const consent = /^consents\.(\d+)/.exec(field);
  const form_ = consent ? form.consentForms[Number(consent[1])] : undefined;
  return form_ ? ids.consent(form_.id) : null;
}
