import type { MessageId, MessageValues, Translator } from '@portico/shared/i18n';
import type { ClientErrorCode } from './client.ts';

/**
 * An API failure in the page's language. The server answers `{ code, message, field? }` in English for API clients; the
 * page shows the catalogue's words instead (`errors.*`): a finer message for a situation it recognizes (below), else a
 * message naming the field of a validation error, else its code's message. The English catalogue repeats the server's
 * wording wherever a person sees it, so the English page reads as the server wrote it.
 */

/** What of an API error the page's text depends on. */
export interface ErrorFacts {
  code: ClientErrorCode;
  message: string;
  field?: string;
}

/**
 * A situation one code covers among others, recognized by the field it names and/or the server's English wording
 * (the API's contract, tested on the server); `values` reads the numbers the wording carries.
 */
interface Situation {
  code: ClientErrorCode;
  id: MessageId;
  field?: string;
  /** The server's message, the `field: ` it may start with removed: the exact text, or a pattern. */
  message?: string | RegExp;
  values?: (match: RegExpExecArray) => MessageValues;
  /** The message's `{field}` is the phrase of the field the error names (fieldPhrases), e.g. "the pharmacy's phone number". */
  namesField?: true;
}

const situations: readonly Situation[] = [
  {
    code: 'too_many_attempts',
    message: /^Too many unsuccessful sign-in attempts\..* paused for (\d+) minutes?\./,
    id: 'errors.too_many_attempts.signIn',
    values: (m) => ({ minutes: Number(m[1]) }),
  },
  { code: 'too_many_attempts', message: /^Too many sign-up attempts/, id: 'errors.too_many_attempts.signUp' },
  { code: 'too_many_requests', message: /^We have sent several codes/, id: 'errors.too_many_requests.codes' },
  { code: 'too_many_requests', message: /^We have sent several links/, id: 'errors.too_many_requests.links' },
  {
    code: 'too_many_requests',
    message: /^You have (\d+) files? waiting to be sent/,
    id: 'errors.too_many_requests.files',
    values: (m) => ({ count: Number(m[1]) }),
  },
  { code: 'invalid_credentials', field: 'currentPassword', id: 'errors.invalid_credentials.currentPassword' },
  { code: 'invalid_credentials', field: 'password', id: 'errors.invalid_credentials.password' },
  { code: 'email_taken', field: 'email', id: 'errors.email_taken.signUp' },
  { code: 'invalid_token', message: /^This reset link/, id: 'errors.invalid_token.reset' },
  { code: 'invalid_token', message: /^This confirmation link/, id: 'errors.invalid_token.confirmation' },
  { code: 'invalid_token', message: /from the Security page\.$/, id: 'errors.invalid_token.emailChange' },
  {
    code: 'weak_password',
    message: /^Use at least (\d+) characters?\.$/,
    id: 'errors.weak_password.tooShort',
    values: (m) => ({ count: Number(m[1]) }),
  },
  {
    code: 'weak_password',
    message: /^Use at most (\d+) characters?\.$/,
    id: 'errors.weak_password.tooLong',
    values: (m) => ({ count: Number(m[1]) }),
  },
  { code: 'weak_password', message: 'This password is too common; choose another.', id: 'errors.weak_password.common' },
  { code: 'weak_password', message: /^This password repeats itself/, id: 'errors.weak_password.predictable' },
  { code: 'weak_password', message: /your username in your password/, id: 'errors.weak_password.username' },
  { code: 'weak_password', message: /your email address in your password/, id: 'errors.weak_password.email' },
  { code: 'unprocessable_file', message: 'The file is empty.', id: 'errors.unprocessable_file.empty' },
  { code: 'unprocessable_file', message: /^The file is not a PDF, JPEG or PNG file/, id: 'errors.unprocessable_file.notAllowed' },
  { code: 'unprocessable_file', message: /^The file's content is /, id: 'errors.unprocessable_file.mismatch' },
  {
    code: 'change_cutoff_passed',
    message: /^Online changes close (\d+) hours? before the visit\. Call the clinic at (.+) to cancel or reschedule\.$/,
    id: 'errors.change_cutoff_passed.callAt',
    values: (m) => ({ hours: Number(m[1]), phone: m[2] }),
  },
  {
    code: 'change_cutoff_passed',
    message: /^Online changes close (\d+) hours? before the visit\./,
    id: 'errors.change_cutoff_passed.call',
    values: (m) => ({ hours: Number(m[1]) }),
  },
  { code: 'birth_date_mismatch', message: /The invitation is now locked/, id: 'errors.birth_date_mismatch.locked' },
  { code: 'patient_not_minor', field: 'childBirthDate', id: 'errors.patient_not_minor.child' },
  {
    code: 'too_young_for_account',
    message: /^Patients can have their own portal account from age (\d+) at (.+)\. Until then, /,
    id: 'errors.too_young_for_account.age',
    values: (m) => ({ age: Number(m[1]), organization: m[2] }),
  },
  { code: 'wrong_passcode', message: /The link is now locked/, id: 'errors.wrong_passcode.locked' },
  {
    code: 'wrong_passcode',
    message: /^That passcode is not right\. (\d+) (?:try is|tries are) left/,
    id: 'errors.wrong_passcode.left',
    values: (m) => ({ count: Number(m[1]) }),
  },
  { code: 'too_many_attempts', message: /^Too many tries to open shared records/, id: 'errors.too_many_attempts.sharedLink' },
  { code: 'offer_taken', message: 'This offer has expired.', id: 'errors.offer_taken.expired' },
  { code: 'offer_taken', message: /^The visit this offer would replace/, id: 'errors.offer_taken.notScheduled' },
  { code: 'conflict', message: 'Only a scheduled appointment can be changed.', id: 'errors.conflict.notScheduled' },
  { code: 'conflict', message: /^This visit cannot be rescheduled online/, id: 'errors.conflict.cannotReschedule' },
  // A phone number that is not one (phoneNumber in packages/shared: "Enter <what> as 7 to 15 digits; …").
  { code: 'validation_failed', message: /^Enter .+ as \d+ to \d+ digits; /, id: 'errors.validation.phone', namesField: true },
  ...(
    [
      ['Enter your username or email.', 'errors.validation.identifierRequired'],
      ['Enter your password.', 'errors.validation.passwordRequired'],
      ['Enter the 6-digit code from your app.', 'errors.validation.totpCode'],
      ['Write a message.', 'errors.validation.messageRequired'],
      ['Write a subject.', 'errors.validation.subjectRequired'],
      ['Choose at least one medication.', 'errors.validation.medicationRequired'],
      ['Choose a pharmacy from your list or add a new one.', 'errors.validation.pharmacyRequired'],
      ['Pick at least one section.', 'errors.validation.sectionRequired'],
      ['The start date must be on or before the end date.', 'errors.validation.dateOrder'],
      ['Review your medications.', 'errors.validation.medicationsReviewed'],
      ['Review your allergies.', 'errors.validation.allergiesReviewed'],
      ['Use letters, digits, dots, dashes or underscores.', 'errors.validation.usernameCharacters'],
      ['That is already your email address.', 'errors.validation.sameEmail'],
      ['Choose one of the clinics offered.', 'errors.validation.clinic'],
      ['This kind of visit cannot be booked online.', 'errors.validation.notBookable'],
      ['That time is not offered. Choose one of the open times.', 'errors.validation.timeNotOffered'],
      ['Choose one of the care teams you can write to.', 'errors.validation.careTeam'],
      ['Attach only files you uploaded for this message.', 'errors.validation.ownAttachments'],
      ['Only a scheduled visit that has not started can go on the waitlist.', 'errors.validation.waitlist'],
      ['That date does not exist. Check the day and the month.', 'errors.validation.searchDate'],
      ['Answer this question.', 'errors.validation.answerRequired'],
      ['Answer yes or no.', 'errors.validation.answerYesNo'],
      ['Answer this question in words.', 'errors.validation.answerInWords'],
      ['Sign this consent form.', 'errors.validation.consentRequired'],
      ['Sign only the forms of this visit.', 'errors.validation.consentUnknown'],
      ['Enter your mobile number to get text messages.', 'errors.validation.mobileRequired'],
      ['Choose at least one area.', 'errors.validation.areaRequired'],
      ['Invite someone else; this is the patient’s own email address.', 'errors.validation.ownEmail'],
      ['The date of birth is in the future.', 'errors.validation.birthDateFuture'],
      ['This patient’s date of birth is not the one in the request.', 'errors.validation.requestBirthDate'],
      ['The end date must be in the future.', 'errors.validation.endsAtPast'],
      ['The requester is this patient; choose the child’s record.', 'errors.validation.requesterIsPatient'],
      ['Say why.', 'errors.validation.reasonRequired'],
      ['That is not a valid NPI: check the 10 digits.', 'errors.validation.npi'],
    ] as const
  ).map(([message, id]): Situation => ({ code: 'validation_failed', message, id })),
];

/** The phrase for each field a form sends ("the subject"), for `errors.validation.field`. */
const fieldPhrases: Readonly<Record<string, MessageId>> = {
  identifier: 'errors.field.identifier',
  username: 'errors.field.username',
  email: 'errors.field.email',
  newEmail: 'errors.field.newEmail',
  password: 'errors.field.password',
  currentPassword: 'errors.field.currentPassword',
  newPassword: 'errors.field.newPassword',
  code: 'errors.field.code',
  activationCode: 'errors.field.activationCode',
  givenName: 'errors.field.givenName',
  familyName: 'errors.field.familyName',
  birthDate: 'errors.field.birthDate',
  mrn: 'errors.field.mrn',
  phone: 'errors.field.phone',
  mobilePhone: 'errors.field.mobilePhone',
  'newPharmacy.phone': 'errors.field.pharmacyPhone',
  'emergencyContact.phone': 'errors.field.contactPhone',
  subject: 'errors.field.subject',
  body: 'errors.field.body',
  topic: 'errors.field.topic',
  departmentId: 'errors.field.departmentId',
  clinicianId: 'errors.field.clinicianId',
  attachmentIds: 'errors.field.attachmentIds',
  medicationIds: 'errors.field.medicationIds',
  pharmacyId: 'errors.field.pharmacyId',
  newPharmacy: 'errors.field.newPharmacy',
  reason: 'errors.field.reason',
  note: 'errors.field.note',
  text: 'errors.field.text',
  from: 'errors.field.from',
  to: 'errors.field.to',
  sections: 'errors.field.sections',
  format: 'errors.field.format',
  visitTypeId: 'errors.field.visitTypeId',
  startAt: 'errors.field.startAt',
  appointmentId: 'errors.field.appointmentId',
  answers: 'errors.field.answers',
  insurance: 'errors.field.insurance',
  emergencyContact: 'errors.field.emergencyContact',
  preferences: 'errors.field.preferences',
  q: 'errors.field.q',
  until: 'errors.field.until',
};

/** The phrase of a field path (`newPharmacy.phone` falls back to `newPharmacy`), or undefined for one not listed. */
function fieldPhrase(field: string): MessageId | undefined {
  for (const key of [field, field.split('.')[0] ?? '']) {
    if (Object.hasOwn(fieldPhrases, key)) return fieldPhrases[key];
  }
  return undefined;
}

function matches(situation: Situation, facts: ErrorFacts, message: string): RegExpExecArray | true | null {
  if (situation.code !== facts.code) return null;
  if (situation.field !== undefined && situation.field !== facts.field) return null;
  if (situation.message === undefined) return true;
  if (typeof situation.message === 'string') return situation.message === message ? true : null;
  return situation.message.exec(message);
}

/**
 * The text to show for an API error, in the translator's language. Every code has its message (the id below is typed,
 * so a code without one does not compile); should a message still fail to format, the server's own text is shown.
 */
export function apiErrorText(t: Translator, facts: ErrorFacts): string {
  const { field } = facts;
  const message = field && facts.message.startsWith(`${field}: `) ? facts.message.slice(field.length + 2) : facts.message;
  try {
    for (const situation of situations) {
      const match = matches(situation, facts, message);
      if (match === null) continue;
      const values = match !== true && situation.values ? situation.values(match) : {};
      if (situation.namesField) values.field = t((field && fieldPhrase(field)) || 'errors.field.phone');
      return t(situation.id, values);
    }
    const phrase = facts.code === 'validation_failed' && field ? fieldPhrase(field) : undefined;
    if (phrase) return t('errors.validation.field', { field: t(phrase) });
    return t(`errors.${facts.code}`);
  } catch {
    return facts.message;
  }
}
