/**
 * More display text from FHIR R4 datatypes and resources: references, encounter classes, onsets, goal targets, blood
 * pressure panels and plain-text attachments. Like display.ts, every function accepts partial data and answers null
 * rather than inventing text.
 */
import { codeableText, decimalText, quantityUnit, quantityValueText } from './display.ts';

/** Where a Reference points: the resource type when the reference names one, and the logical id. */
export interface ReferenceTarget {
  type: string | null;
  id: string;
}

const relativeReference = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;
const uuidReference = /^urn:uuid:([0-9a-fA-F-]{36})$/;

/**
 * The target of a literal reference (FHIR R4 3.3.3 "Literal references"): `Practitioner/123`, an absolute URL ending in
 * `Type/id` (a version suffix is ignored), or a bundle-local `urn:uuid:` (type unknown). Null for contained (`#x`) and
 * logical-only references.
 */
export function referenceTarget(reference: fhir4.Reference | undefined): ReferenceTarget | null {
  const text = reference?.reference;
  if (!text || text.startsWith('#')) return null;
  const uuid = uuidReference.exec(text);
  if (uuid?.[1]) return { type: reference.type ?? null, id: uuid[1].toLowerCase() };
  const match = relativeReference.exec(text);
  if (match?.[1] && match[2]) return { type: match[1], id: match[2] };
  return null;
}

/** Encounter classes (v3 ActEncounterCode, the R4 binding of Encounter.class) in words. */
const encounterClasses: Record<string, string> = {
  AMB: 'ambulatory',
  EMER: 'emergency',
  FLD: 'field',
  HH: 'home health',
  IMP: 'inpatient',
  ACUTE: 'inpatient acute',
  NONAC: 'inpatient non-acute',
  OBSENC: 'observation',
  PRENC: 'pre-admission',
  SS: 'short stay',
  VR: 'virtual',
};

/** An Encounter.class as a person reads it: the known v3 ActCode meaning, else the coding's display, else its code. */
export function encounterClassText(coding: fhir4.Coding | undefined): string | null {
  if (!coding) return null;
  const known = coding.code ? encounterClasses[coding.code] : undefined;
  return known ?? coding.display ?? coding.code ?? null;
}

/** The code of a status concept (Condition.clinicalStatus, AllergyIntolerance.verificationStatus...), lower case. */
export function conceptCode(concept: fhir4.CodeableConcept | undefined): string | null {
  for (const coding of concept?.coding ?? []) if (coding.code) return coding.code.toLowerCase();
  return null;
}

/** When a Condition began, as FHIR wrote it: onsetDateTime, else the start of onsetPeriod. Ages and strings are not dates. */
export function conditionOnset(condition: Pick<fhir4.Condition, 'onsetDateTime' | 'onsetPeriod'>): string | null {
  return condition.onsetDateTime ?? condition.onsetPeriod?.start ?? null;
}

/** When a Condition ended, as FHIR wrote it: abatementDateTime, else the end (or start) of abatementPeriod. */
export function conditionAbatement(condition: Pick<fhir4.Condition, 'abatementDateTime' | 'abatementPeriod'>): string | null {
  return condition.abatementDateTime ?? condition.abatementPeriod?.end ?? condition.abatementPeriod?.start ?? null;
}

/** When a procedure was done: performedDateTime, else the start of performedPeriod. */
export function procedurePerformed(procedure: Pick<fhir4.Procedure, 'performedDateTime' | 'performedPeriod'>): string | null {
  return procedure.performedDateTime ?? procedure.performedPeriod?.start ?? null;
}

function quantityText(quantity: fhir4.Quantity | undefined): string | null {
  const value = quantityValueText(quantity);
  if (value === null) return null;
  const unit = quantityUnit(quantity);
  return unit ? `${value} ${unit}` : value;
}

function targetDetailText(target: fhir4.GoalTarget): string | null {
  if (target.detailQuantity) return quantityText(target.detailQuantity);
  if (target.detailRange) {
    const low = quantityText(target.detailRange.low);
    const high = quantityText(target.detailRange.high);
    if (low && high) return `${low} to ${high}`;
    if (low) return `>= ${low}`;
    if (high) return `<= ${high}`;
    return null;
  }
  if (target.detailCodeableConcept) return codeableText(target.detailCodeableConcept);
  if (target.detailString !== undefined) return target.detailString;
  if (target.detailBoolean !== undefined) return target.detailBoolean ? 'Yes' : 'No';
  if (target.detailInteger !== undefined) return String(target.detailInteger);
  if (target.detailRatio) {
    const n = quantityValueText(target.detailRatio.numerator);
    const d = quantityValueText(target.detailRatio.denominator);
    return n && d ? `${n}/${d}` : null;
  }
  return null;
}

/**
 * A Goal's targets in words, one per target joined by `; `: the measure, the wanted value and the due date
 * (`Hemoglobin A1c < 7 %, by 2026-09-01`). Null when no target says anything.
 */
export function goalTargetText(targets: fhir4.GoalTarget[] | undefined): string | null {
  const lines: string[] = [];
  for (const target of targets ?? []) {
    const measure = codeableText(target.measure);
    const detail = targetDetailText(target);
    const due = target.dueDate
      ? `by ${target.dueDate}`
      : target.dueDuration?.value !== undefined
        ? `within ${decimalText(target.dueDuration.value)} ${target.dueDuration.unit ?? target.dueDuration.code ?? ''}`.trimEnd()
        : null;
    const what = [measure, detail].filter((part): part is string => Boolean(part));
    const head = measure && detail && /^[<>=≤≥]/.test(detail) ? what.join(' ') : what.join(': ');
    const line = [head, due].filter(Boolean).join(', ');
    if (line) lines.push(line);
  }
  return lines.length > 0 ? lines.join('; ') : null;
}

/** LOINC codes of the systolic and diastolic components of a blood pressure panel (LOINC 85354-9, 55284-4). */
const systolicCodes = new Set(['8480-6']);
const diastolicCodes = new Set(['8462-4']);

function componentNumber(components: fhir4.ObservationComponent[], codes: Set<string>): number | null {
  for (const component of components) {
    if (!(component.code?.coding ?? []).some((c) => c.code !== undefined && codes.has(c.code))) continue;
    const value = component.valueQuantity?.value;
    return typeof value === 'number' ? value : null;
  }
  return null;
}

/** A blood pressure panel as people write it, `120/80`, rounded to whole mmHg; null when a component is missing. */
export function bloodPressureText(components: fhir4.ObservationComponent[] | undefined): string | null {
  const systolic = componentNumber(components ?? [], systolicCodes);
  const diastolic = componentNumber(components ?? [], diastolicCodes);
  if (systolic === null || diastolic === null) return null;
  return `${Math.round(systolic)}/${Math.round(diastolic)}`;
}

/** A measured number for a page: at most `decimals` places, without floating-point noise (`72.63598` → `72.6`). */
export function roundedText(value: number, decimals = 1): string {
  const factor = 10 ** decimals;
  return decimalText(Math.round(value * factor) / factor);
}

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Bytes of base64 text (RFC 4648, whitespace ignored), or null when it is not base64. */
function base64Bytes(data: string): number[] | null {
  const text = data.replace(/\s+/g, '').replace(/=+$/, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    const value = base64Alphabet.indexOf(char);
    if (value < 0) return null;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return bytes;
}

/** UTF-8 bytes as text, a sequence cut off at the end dropped; null when the bytes are not UTF-8. */
function utf8Text(bytes: number[]): string | null {
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = bytes[end - back] ?? 0;
    if ((byte & 0xc0) !== 0x80) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      if (needed > back) end -= back;
      break;
    }
  }
  try {
    return decodeURIComponent(
      bytes
        .slice(0, end)
        .map((b) => `%${b.toString(16).padStart(2, '0')}`)
        .join(''),
    );
  } catch {
    return null;
  }
}

/**
 * The words of a plain-text Attachment: `text/plain` data decoded from base64 as UTF-8, cut at about `maxChars`. Null
 * for other content types, for attachments held only by URL, and for data that is not base64 UTF-8 text.
 */
export function attachmentText(attachment: fhir4.Attachment | undefined, maxChars = 20_000): string | null {
  if (!attachment?.data) return null;
  const type = (attachment.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'text/plain') return null;
  const bytes = base64Bytes(attachment.data.slice(0, (maxChars + 3) * 4));
  const text = bytes ? utf8Text(bytes.slice(0, maxChars * 3)) : null;
  const trimmed = text?.trim().slice(0, maxChars) ?? '';
  return trimmed.length > 0 ? trimmed : null;
}
