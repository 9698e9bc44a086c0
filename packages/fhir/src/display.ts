/**
 * Display text from FHIR R4 datatypes, for pages, PDFs and emails to staff. Every function accepts what a real feed may
 * send (missing elements, partial data) and answers null rather than inventing text.
 */

/** A CodeableConcept's words: its text, else the first coding's display, else the first code. */
export function codeableText(concept: fhir4.CodeableConcept | undefined): string | null {
  if (!concept) return null;
  if (concept.text) return concept.text;
  for (const coding of concept.coding ?? []) if (coding.display) return coding.display;
  return concept.coding?.[0]?.code ?? null;
}

/** The first non-empty text among several concepts (e.g. `reasonCode`). */
export function firstCodeableText(concepts: fhir4.CodeableConcept[] | undefined): string | null {
  for (const concept of concepts ?? []) {
    const text = codeableText(concept);
    if (text) return text;
  }
  return null;
}

/** Whether a concept carries a coding with this code (any system when `system` is omitted). */
export function hasCoding(concept: fhir4.CodeableConcept | undefined, code: string, system?: string): boolean {
  return (concept?.coding ?? []).some((c) => c.code === code && (system === undefined || c.system === system));
}

/** A Reference as a person reads it: its display text; null when only an id is known. */
export function referenceText(reference: fhir4.Reference | undefined): string | null {
  return reference?.display ?? null;
}

/** A person's name: `text`, else prefix, given and family names joined (`Dr. Sarah Chen`). */
export function humanNameText(names: fhir4.HumanName[] | undefined): string | null {
  const name = names?.find((n) => n.use === 'official') ?? names?.find((n) => n.use !== 'old') ?? names?.[0];
  if (!name) return null;
  if (name.text) return name.text;
  const parts = [...(name.prefix ?? []), ...(name.given ?? []), ...(name.family ? [name.family] : [])];
  return parts.length > 0 ? parts.join(' ') : null;
}

/** A number as FHIR wrote it, without binary floating-point noise (`0.30000000000000004` becomes `0.3`). */
export function decimalText(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

/** A Quantity's value with its comparator, without the unit (`< 5`, `7.2`). */
export function quantityValueText(quantity: fhir4.Quantity | undefined): string | null {
  if (quantity?.value === undefined) return null;
  return `${quantity.comparator ? `${quantity.comparator} ` : ''}${decimalText(quantity.value)}`;
}

/** A Quantity's human unit: `unit`, else its UCUM `code`. */
export function quantityUnit(quantity: fhir4.Quantity | undefined): string | null {
  return quantity?.unit ?? quantity?.code ?? null;
}

/** An observed value as text, its number when numeric, and its unit. */
export interface ObservedValue {
  text: string | null;
  number: number | null;
  unit: string | null;
}

/** The parts of Observation (and Observation.component) that carry a value. */
type Valued = Pick<
  fhir4.Observation,
  | 'valueQuantity'
  | 'valueCodeableConcept'
  | 'valueString'
  | 'valueBoolean'
  | 'valueInteger'
  | 'valueRange'
  | 'valueRatio'
  | 'valueTime'
  | 'valueDateTime'
  | 'valuePeriod'
>;

/** The value of an Observation or one of its components, whichever value[x] it uses. */
export function observedValue(o: Valued): ObservedValue {
  if (o.valueQuantity) {
    const number = o.valueQuantity.comparator ? null : (o.valueQuantity.value ?? null);
    return { text: quantityValueText(o.valueQuantity), number, unit: quantityUnit(o.valueQuantity) };
  }
  if (o.valueInteger !== undefined) return { text: String(o.valueInteger), number: o.valueInteger, unit: null };
  if (o.valueCodeableConcept) return { text: codeableText(o.valueCodeableConcept), number: null, unit: null };
  if (o.valueString !== undefined) return { text: o.valueString, number: null, unit: null };
  if (o.valueBoolean !== undefined) return { text: o.valueBoolean ? 'Yes' : 'No', number: null, unit: null };
  if (o.valueRange) {
    const low = quantityValueText(o.valueRange.low);
    const high = quantityValueText(o.valueRange.high);
    return { text: `${low ?? ''}–${high ?? ''}`, number: null, unit: quantityUnit(o.valueRange.low ?? o.valueRange.high) };
  }
  if (o.valueRatio) {
    const n = quantityValueText(o.valueRatio.numerator);
    const d = quantityValueText(o.valueRatio.denominator);
    return { text: n && d ? `${n}/${d}` : null, number: null, unit: null };
  }
  if (o.valueTime) return { text: o.valueTime, number: null, unit: null };
  if (o.valueDateTime) return { text: o.valueDateTime, number: null, unit: null };
  if (o.valuePeriod) return { text: `${o.valuePeriod.start ?? ''}–${o.valuePeriod.end ?? ''}`, number: null, unit: null };
  return { text: null, number: null, unit: null };
}

/** A reference range's bounds and its words (`3.5-5.1`, `>= 60`, or the range's own text). */
export interface RangeView {
  low: number | null;
  high: number | null;
  text: string | null;
}

/** The first reference range of an Observation. */
export function referenceRangeOf(ranges: fhir4.ObservationReferenceRange[] | undefined): RangeView {
  const range = ranges?.[0];
  const low = range?.low?.value ?? null;
  const high = range?.high?.value ?? null;
  const text =
    range?.text ??
    (low !== null && high !== null
      ? `${decimalText(low)}-${decimalText(high)}`
      : low !== null
        ? `>= ${decimalText(low)}`
        : high !== null
          ? `<= ${decimalText(high)}`
          : null);
  return { low, high, text };
}

const highCodes = new Set(['H', 'HH', 'HU', '>']);
const lowCodes = new Set(['L', 'LL', 'LU', '<']);
const abnormalCodes = new Set(['A', 'AA', 'POS', 'DET', 'R', 'IND', 'W', 'CAR']);

/**
 * High, low or abnormal: from the v3 ObservationInterpretation codes when present, else by comparing a number with the
 * range. Null means normal or unknown.
 */
export function resultFlag(
  interpretation: fhir4.CodeableConcept[] | undefined,
  value: number | null,
  range: Pick<RangeView, 'low' | 'high'>,
): 'H' | 'L' | 'A' | null {
  for (const concept of interpretation ?? []) {
    for (const coding of concept.coding ?? []) {
      const code = coding.code ?? '';
      if (highCodes.has(code)) return 'H';
      if (lowCodes.has(code)) return 'L';
      if (abnormalCodes.has(code)) return 'A';
      if (code === 'N' || code === 'NEG' || code === 'ND') return null;
    }
  }
  if (value === null) return null;
  if (range.high !== null && value > range.high) return 'H';
  if (range.low !== null && value < range.low) return 'L';
  return null;
}

/** Medication directions: each Dosage's text, else its timing and dose in words (`1 tablet, 2 times a day, by mouth`). */
export function dosageText(dosages: fhir4.Dosage[] | undefined): string | null {
  const lines: string[] = [];
  for (const dosage of dosages ?? []) {
    if (dosage.text) {
      lines.push(dosage.text);
      continue;
    }
    const parts: string[] = [];
    const dose = dosage.doseAndRate?.[0]?.doseQuantity;
    if (dose?.value !== undefined) parts.push([decimalText(dose.value), quantityUnit(dose)].filter(Boolean).join(' '));
    const repeat = dosage.timing?.repeat;
    if (repeat?.frequency !== undefined && repeat.period !== undefined && repeat.periodUnit) {
      parts.push(timingText(repeat.frequency, repeat.period, repeat.periodUnit));
    } else {
      const timing = codeableText(dosage.timing?.code);
      if (timing) parts.push(timing);
    }
    if (dosage.asNeededBoolean) parts.push('as needed');
    const asNeededFor = codeableText(dosage.asNeededCodeableConcept);
    if (asNeededFor) parts.push(`as needed for ${asNeededFor}`);
    const route = codeableText(dosage.route);
    if (route) parts.push(route.toLowerCase());
    if (dosage.patientInstruction) parts.push(dosage.patientInstruction);
    if (parts.length > 0) lines.push(parts.join(', '));
  }
  return lines.length > 0 ? lines.join('; ') : null;
}

const periodUnits: Record<string, [string, string]> = {
  s: ['second', 'seconds'],
  min: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  wk: ['week', 'weeks'],
  mo: ['month', 'months'],
  a: ['year', 'years'],
};

function timingText(frequency: number, period: number, unit: string): string {
  const [one, many] = periodUnits[unit] ?? [unit, unit];
  const times = frequency === 1 ? 'once' : frequency === 2 ? 'twice' : `${frequency} times`;
  return period === 1 ? `${times} a ${one}` : `${times} every ${decimalText(period)} ${many}`;
}
