/**
 * Display text for test results: Observations and DiagnosticReports (FHIR R4). Like display.ts, every function accepts
 * partial data and answers null (or an empty list) rather than inventing text.
 */
import { codeableText, firstCodeableText, observedValue, type ObservedValue } from './display.ts';
import { attachmentText, referenceTarget } from './display-more.ts';

/**
 * An Observation's value as text, its number and unit; an Observation that carries its values only in components
 * (FHIR R4 Observation.component) reads as `Name: value unit; ...` and has no single number.
 */
export function resultValue(observation: fhir4.Observation): ObservedValue {
  const own = observedValue(observation);
  if (own.text !== null) return own;
  const parts: string[] = [];
  for (const component of observation.component ?? []) {
    const value = observedValue(component);
    if (value.text === null) continue;
    const name = codeableText(component.code);
    const withUnit = value.unit ? `${value.text} ${value.unit}` : value.text;
    parts.push(name ? `${name}: ${withUnit}` : withUnit);
  }
  return { text: parts.length > 0 ? parts.join('; ') : null, number: null, unit: null };
}

/** When a result was collected or observed, as FHIR wrote it: effectiveDateTime, effectiveInstant or the period's start. */
export function resultEffective(
  resource:
    | Pick<fhir4.Observation, 'effectiveDateTime' | 'effectiveInstant' | 'effectivePeriod'>
    | Pick<fhir4.DiagnosticReport, 'effectiveDateTime' | 'effectivePeriod'>,
): string | null {
  if (resource.effectiveDateTime) return resource.effectiveDateTime;
  if ('effectiveInstant' in resource && resource.effectiveInstant) return resource.effectiveInstant;
  return resource.effectivePeriod?.start ?? null;
}

/** The interpretation in words (`High`, `Abnormal`), from the first concept that has any. */
export function interpretationText(interpretation: fhir4.CodeableConcept[] | undefined): string | null {
  return firstCodeableText(interpretation);
}

/** The text of each note (FHIR Annotation), empty ones left out. */
export function annotationTexts(notes: fhir4.Annotation[] | undefined): string[] {
  return (notes ?? []).flatMap((n) => (typeof n.text === 'string' && n.text.trim() ? [n.text.trim()] : []));
}

/** The logical ids a DiagnosticReport names as its member results (`result[]`), in the report's order. */
export function reportMemberIds(report: Pick<fhir4.DiagnosticReport, 'result'>): string[] {
  const ids: string[] = [];
  for (const reference of report.result ?? []) {
    const target = referenceTarget(reference);
    if (target && (target.type === null || target.type === 'Observation') && !ids.includes(target.id)) ids.push(target.id);
  }
  return ids;
}

/** A report's conclusion: its `conclusion` text, else the words of its coded conclusions joined by `; `. */
export function reportConclusion(report: Pick<fhir4.DiagnosticReport, 'conclusion' | 'conclusionCode'>): string | null {
  if (report.conclusion?.trim()) return report.conclusion.trim();
  const coded = (report.conclusionCode ?? []).map((c) => codeableText(c)).filter((t): t is string => Boolean(t));
  return coded.length > 0 ? coded.join('; ') : null;
}

/** The full text of a report as the source system presented it: the first plain-text `presentedForm`. */
export function reportPresentedText(report: Pick<fhir4.DiagnosticReport, 'presentedForm'>): string | null {
  for (const form of report.presentedForm ?? []) {
    const text = attachmentText(form);
    if (text) return text;
  }
  return null;
}

/** Participant types that name who was responsible for a visit (v3 ParticipationType: primary performer, attender). */
const responsibleParticipantTypes = ['PPRF', 'ATND', 'PART'];

/** The Encounter participant who was responsible for the visit, else the first participant who names a person. */
export function responsibleParticipant(encounter: Pick<fhir4.Encounter, 'participant'>): fhir4.Reference | null {
  const people = (encounter.participant ?? []).filter((p) => p.individual);
  for (const type of responsibleParticipantTypes) {
    const found = people.find((p) => (p.type ?? []).some((t) => (t.coding ?? []).some((c) => c.code === type)));
    if (found?.individual) return found.individual;
  }
  return people[0]?.individual ?? null;
}
