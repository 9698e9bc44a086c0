import { defaultLocale, type MessageId, type MessageValues } from '@portico/shared/i18n';
import { loadedTranslator } from '../../i18n/catalogues.ts';

/** Words for the record's FHIR codes, so a patient reads "Final" and what it means, never a bare code. */

/** The translator as useT() gives it. */
export type Translate = (id: MessageId, values?: MessageValues) => string;

/** Catalogue words for the codes of one FHIR field; a code not listed reads as codeToWords() gives it. */
export type CodeWords = Readonly<Partial<Record<string, MessageId>>>;

/** A FHIR code as a sentence-case word: `entered-in-error` → "Entered in error". */
export function codeToWords(code: string): string {
  const words = code.replaceAll(/[-_]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The catalogue's message for a code, or undefined for a code it does not know. */
export function codeMessage(words: CodeWords, code: string): MessageId | undefined {
  return Object.hasOwn(words, code) ? words[code] : undefined;
}

/** A code in words, translated; a code the catalogue does not know reads as codeToWords() gives it. */
export function codeLabel(t: Translate, words: CodeWords, code: string): string {
  const id = codeMessage(words, code);
  return id ? t(id) : codeToWords(code);
}

/** Problem clinical statuses (FHIR condition-clinical). */
export const problemStatusWords: CodeWords = {
  active: 'record.code.problemStatus.active',
  recurrence: 'record.code.problemStatus.recurrence',
  relapse: 'record.code.problemStatus.relapse',
  inactive: 'record.code.problemStatus.inactive',
  remission: 'record.code.problemStatus.remission',
  resolved: 'record.code.problemStatus.resolved',
};

/** Allergy categories (FHIR allergy-intolerance-category). */
export const allergyCategoryWords: CodeWords = {
  food: 'record.code.allergyCategory.food',
  medication: 'record.code.allergyCategory.medication',
  environment: 'record.code.allergyCategory.environment',
  biologic: 'record.code.allergyCategory.biologic',
};

/** Allergy criticality as a risk (FHIR allergy-intolerance-criticality): "High risk". */
export const allergyRiskWords: CodeWords = {
  low: 'record.code.allergyRisk.low',
  high: 'record.code.allergyRisk.high',
  'unable-to-assess': 'record.code.allergyRisk.unableToAssess',
};

/** Reaction severities (FHIR reaction-event-severity), lower case as they read in brackets: "Hives (moderate)". */
export const reactionSeverityWords: CodeWords = {
  mild: 'record.code.reactionSeverity.mild',
  moderate: 'record.code.reactionSeverity.moderate',
  severe: 'record.code.reactionSeverity.severe',
};

/** Patient sex (FHIR administrative-gender), lower case as the chart header shows it. */
export const sexWords: CodeWords = {
  male: 'record.code.sex.male',
  female: 'record.code.sex.female',
  other: 'record.code.sex.other',
  unknown: 'record.code.sex.unknown',
};

/** Allergy clinical statuses (FHIR allergyintolerance-clinical). */
export const allergyStatusWords: CodeWords = {
  active: 'record.code.allergyStatus.active',
  inactive: 'record.code.allergyStatus.inactive',
  resolved: 'record.code.allergyStatus.resolved',
};

/** Medication statuses (FHIR medicationrequest-status and medication-statement-status). */
export const medicationStatusWords: CodeWords = {
  active: 'record.code.medicationStatus.active',
  'on-hold': 'record.code.medicationStatus.onHold',
  cancelled: 'record.code.medicationStatus.cancelled',
  completed: 'record.code.medicationStatus.completed',
  'entered-in-error': 'record.code.medicationStatus.enteredInError',
  stopped: 'record.code.medicationStatus.stopped',
  draft: 'record.code.medicationStatus.draft',
  unknown: 'record.code.medicationStatus.unknown',
  intended: 'record.code.medicationStatus.intended',
  'not-taken': 'record.code.medicationStatus.notTaken',
};

/** Immunization statuses (FHIR immunization-status); `not-done` reads "Not given". */
export const immunizationStatusWords: CodeWords = {
  completed: 'record.code.immunizationStatus.completed',
  'entered-in-error': 'record.code.immunizationStatus.enteredInError',
  'not-done': 'record.code.immunizationStatus.notDone',
};

/** Care plan statuses (FHIR request-status). */
export const carePlanStatusWords: CodeWords = {
  draft: 'record.code.carePlanStatus.draft',
  active: 'record.code.carePlanStatus.active',
  'on-hold': 'record.code.carePlanStatus.onHold',
  revoked: 'record.code.carePlanStatus.revoked',
  completed: 'record.code.carePlanStatus.completed',
  'entered-in-error': 'record.code.carePlanStatus.enteredInError',
  unknown: 'record.code.carePlanStatus.unknown',
};

/** Goal lifecycle statuses (FHIR goal-status). */
export const goalStatusWords: CodeWords = {
  proposed: 'record.code.goalStatus.proposed',
  planned: 'record.code.goalStatus.planned',
  accepted: 'record.code.goalStatus.accepted',
  active: 'record.code.goalStatus.active',
  'on-hold': 'record.code.goalStatus.onHold',
  completed: 'record.code.goalStatus.completed',
  cancelled: 'record.code.goalStatus.cancelled',
  'entered-in-error': 'record.code.goalStatus.enteredInError',
  rejected: 'record.code.goalStatus.rejected',
};

/** Visit settings: Encounter.class in the words the server gives it (encounterClassText in @portico/fhir). */
export const visitSettingWords: CodeWords = {
  ambulatory: 'record.code.visitSetting.ambulatory',
  emergency: 'record.code.visitSetting.emergency',
  field: 'record.code.visitSetting.field',
  'home health': 'record.code.visitSetting.homeHealth',
  inpatient: 'record.code.visitSetting.inpatient',
  'inpatient acute': 'record.code.visitSetting.inpatientAcute',
  'inpatient non-acute': 'record.code.visitSetting.inpatientNonAcute',
  observation: 'record.code.visitSetting.observation',
  'pre-admission': 'record.code.visitSetting.preAdmission',
  'short stay': 'record.code.visitSetting.shortStay',
  virtual: 'record.code.visitSetting.virtual',
};

/** Visit statuses (FHIR encounter-status). */
export const visitStatusWords: CodeWords = {
  planned: 'record.code.visitStatus.planned',
  arrived: 'record.code.visitStatus.arrived',
  triaged: 'record.code.visitStatus.triaged',
  'in-progress': 'record.code.visitStatus.inProgress',
  onleave: 'record.code.visitStatus.onleave',
  finished: 'record.code.visitStatus.finished',
  cancelled: 'record.code.visitStatus.cancelled',
  'entered-in-error': 'record.code.visitStatus.enteredInError',
  unknown: 'record.code.visitStatus.unknown',
};

/** Result statuses (FHIR ObservationStatus / DiagnosticReportStatus) in a word, e.g. "Preliminary". */
export const resultStatusWords: CodeWords = {
  registered: 'record.code.resultStatus.registered',
  partial: 'record.code.resultStatus.partial',
  preliminary: 'record.code.resultStatus.preliminary',
  final: 'record.code.resultStatus.final',
  amended: 'record.code.resultStatus.amended',
  corrected: 'record.code.resultStatus.corrected',
  appended: 'record.code.resultStatus.appended',
  cancelled: 'record.code.resultStatus.cancelled',
  'entered-in-error': 'record.code.resultStatus.enteredInError',
  unknown: 'record.code.resultStatus.unknown',
};

/** Result statuses explained for the patient. */
const resultStatusMeaning: CodeWords = {
  registered: 'record.code.resultStatusMeaning.registered',
  partial: 'record.code.resultStatusMeaning.partial',
  preliminary: 'record.code.resultStatusMeaning.preliminary',
  final: 'record.code.resultStatusMeaning.final',
  amended: 'record.code.resultStatusMeaning.amended',
  corrected: 'record.code.resultStatusMeaning.corrected',
  appended: 'record.code.resultStatusMeaning.appended',
  cancelled: 'record.code.resultStatusMeaning.cancelled',
  'entered-in-error': 'record.code.resultStatusMeaning.enteredInError',
  unknown: 'record.code.resultStatusMeaning.unknown',
};

/** What a result status means, in a sentence; null for codes we do not know. */
export function resultStatusMeaningOf(t: Translate, status: string): string | null {
  const id = codeMessage(resultStatusMeaning, status);
  return id ? t(id) : null;
}

/** Problem statuses that mean the patient has the problem now (FHIR condition-clinical). */
const activeProblemStatuses: ReadonlySet<string> = new Set(['active', 'recurrence', 'relapse']);

/** Whether a problem's clinical status means it is current. */
export function isActiveProblem(clinicalStatus: string): boolean {
  return activeProblemStatuses.has(clinicalStatus);
}

/** Staff roles as the patient reads them beside a comment. */
export const roleWords: CodeWords = {
  clinician: 'record.role.clinician',
  nurse: 'record.role.nurse',
  front_desk: 'record.role.frontDesk',
  billing: 'record.role.billing',
  admin: 'record.role.admin',
};

/**
 * A comment author's role in words, in the page's language when given its translator (`useT()`); without one, in
 * English, for callers not yet converted to the catalogue.
 */
export function roleLabel(role: string, t: Translate = loadedTranslator(defaultLocale)): string {
  return codeLabel(t, roleWords, role);
}
