/** Words for the record's FHIR codes, so a patient reads "Final" and what it means, never a bare code. */

/** A FHIR code as a sentence-case word: `entered-in-error` → "Entered in error". */
export function codeToWords(code: string): string {
  const words = code.replaceAll(/[-_]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Result statuses (FHIR ObservationStatus / DiagnosticReportStatus) explained for the patient. */
const resultStatusMeaning: Record<string, string> = {
  registered: 'The test is ordered or the sample is in, but there is no result yet.',
  partial: 'Some parts of the result are ready; more is to come.',
  preliminary: 'An early result. It may change when the test is complete.',
  final: 'The result is complete and checked.',
  amended: 'The result was changed after it was first reported as final.',
  corrected: 'The lab corrected an error in an earlier version of this result.',
  appended: 'Information was added after the result was reported as final.',
  cancelled: 'The test was cancelled, so there is no result.',
  'entered-in-error': 'This result was recorded by mistake and should be ignored.',
  unknown: 'The lab did not say how complete this result is.',
};

/** A result status in a word, e.g. "Preliminary". */
export function resultStatusLabel(status: string): string {
  return codeToWords(status);
}

/** What a result status means, in a sentence; null for codes we do not know. */
export function resultStatusMeaningOf(status: string): string | null {
  return resultStatusMeaning[status] ?? null;
}

/** Problem statuses that mean the patient has the problem now (FHIR condition-clinical). */
const activeProblemStatuses: ReadonlySet<string> = new Set(['active', 'recurrence', 'relapse']);

/** Whether a problem's clinical status means it is current. */
export function isActiveProblem(clinicalStatus: string): boolean {
  return activeProblemStatuses.has(clinicalStatus);
}

/** Staff roles as the patient reads them beside a comment. */
const roleWords: Record<string, string> = {
  clinician: 'Clinician',
  nurse: 'Nurse',
  front_desk: 'Front desk',
  billing: 'Billing',
  admin: 'Administrator',
};

/** A comment author's role in words. */
export function roleLabel(role: string): string {
  return roleWords[role] ?? codeToWords(role);
}
