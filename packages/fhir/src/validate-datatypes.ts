import type { IssueCode } from './outcome.ts';

/** A parsed JSON object, read field by field as unknown. */
export type JsonObject = { [key: string]: unknown };

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where invariants report problems; the validator's context implements it. */
export interface IssueSink {
  /** Reports an issue at the current object, or at one of its elements when `element` is given. */
  report(code: IssueCode, diagnostics: string, element?: string): void;
  /** Remembers a `#id` reference so it can be checked against the contained resources (R4 ref-1). */
  noteLocalReference(id: string): void;
}

/** A rule that needs more than one element (an R4 invariant such as per-1). */
export type Invariant = (value: JsonObject, sink: IssueSink) => void;

/** One element of a datatype, resource or backbone element. */
export interface ElementDef {
  /** JSON property name, e.g. `effectiveDateTime`. */
  readonly key: string;
  /** A primitive or datatype name, 'Resource', or an inline backbone definition. */
  readonly type: string | ComplexDef;
  readonly array: boolean;
  /** Codes allowed by a required binding (code elements only). */
  readonly codes?: ReadonlySet<string>;
}

/** An element that must be present. */
export interface RequiredElement {
  readonly keys: readonly string[];
  /** Name for people, e.g. `medication[x]`. */
  readonly label: string;
  /** Where the issue points: the key, or the choice's base name. */
  readonly element: string;
}

/** A group of `[x]` variants of which at most one may appear. */
export interface ChoiceGroup {
  readonly base: string;
  readonly keys: readonly string[];
  readonly types: readonly string[];
}

/** The shape of a datatype, resource or backbone element. */
export interface ComplexDef {
  readonly name: string;
  readonly elements: ReadonlyMap<string, ElementDef>;
  /** Elements with min cardinality 1: the keys of which one must be present (one key, or the variants of a choice). */
  readonly required: readonly RequiredElement[];
  readonly choices: readonly ChoiceGroup[];
  /** Closed definitions refuse unknown elements (datatypes, whose element lists are complete here). */
  readonly closed: boolean;
  readonly invariants: readonly Invariant[];
}

/** A code element with a required binding. */
export interface CodeSpec {
  readonly codes: readonly string[];
  readonly card: Cardinality;
}

/** An inline backbone element. */
export interface BackboneSpec {
  readonly backbone: Spec;
  readonly card: Cardinality;
  readonly invariants: readonly Invariant[];
}

/** '' = 0..1, '!' = 1..1, '[]' = 0..*, '[]!' = 1..*. */
export type Cardinality = '' | '!' | '[]' | '[]!';

/** Element specs: 'Type', 'Type!', 'Type[]', 'Type[]!'; a list of types for `name[x]` (key 'name[x]!' when required); codes(); backbone(). */
export type Spec = { readonly [key: string]: string | readonly string[] | CodeSpec | BackboneSpec };

/** A code element bound (required strength) to the listed codes. */
export function codes(list: string, card: Cardinality = ''): CodeSpec {
  return { codes: list.split(' '), card };
}

/** An inline backbone element. */
export function backbone(spec: Spec, card: Cardinality = '', invariants: readonly Invariant[] = []): BackboneSpec {
  return { backbone: spec, card, invariants };
}

const commonElements: Spec = { id: 'string', extension: 'Extension[]' };

/** Builds a definition from a spec; `name` (e.g. `Observation.component`) names it in diagnostics. */
export function defineComplex(
  name: string,
  spec: Spec,
  options: { closed?: boolean; backbone?: boolean; base?: Spec; invariants?: readonly Invariant[] } = {},
): ComplexDef {
  const elements = new Map<string, ElementDef>();
  const required: RequiredElement[] = [];
  const choices: ChoiceGroup[] = [];
  const all: Spec = { ...commonElements, ...(options.backbone ? { modifierExtension: 'Extension[]' } : {}), ...options.base, ...spec };
  for (const [rawKey, value] of Object.entries(all)) {
    const isRequiredChoice = rawKey.endsWith('[x]!');
    if (Array.isArray(value) || rawKey.endsWith('[x]') || isRequiredChoice) {
      const base = rawKey.slice(0, rawKey.indexOf('['));
      const types = value as readonly string[];
      const keys = types.map((t) => base + t.charAt(0).toUpperCase() + t.slice(1));
      types.forEach((t, i) => elements.set(keys[i]!, { key: keys[i]!, type: t, array: false }));
      choices.push({ base, keys, types });
      if (isRequiredChoice) required.push({ keys, label: `${base}[x]`, element: base });
      continue;
    }
    const label = `${name}.${rawKey}`;
    let card: Cardinality;
    let def: ElementDef;
    if (typeof value === 'string') {
      const match = /^([A-Za-z0-9]+)(\[\])?(!)?$/.exec(value);
      if (!match) throw new Error(`Bad element spec ${label}: ${value}`);
      card = `${match[2] ?? ''}${match[3] ?? ''}` as Cardinality;
      def = { key: rawKey, type: match[1]!, array: match[2] !== undefined };
    } else if ('codes' in value) {
      card = value.card;
      def = { key: rawKey, type: 'code', array: card.startsWith('[]'), codes: new Set(value.codes) };
    } else {
      const inner = value as BackboneSpec;
      card = inner.card;
      const nested = defineComplex(label, inner.backbone, {
        backbone: true,
        closed: options.closed ?? false,
        invariants: inner.invariants,
      });
      def = { key: rawKey, type: nested, array: card.startsWith('[]') };
    }
    elements.set(rawKey, def);
    if (card.endsWith('!')) required.push({ keys: [rawKey], label: rawKey, element: rawKey });
  }
  return { name, elements, required, choices, closed: options.closed ?? false, invariants: options.invariants ?? [] };
}

// ---------------------------------------------------------------------------------------------------------------------
// Dates (R4 datatypes.html: date, dateTime, instant).

const dateTimePattern = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** A parsed date: the instant it starts (UTC; date-only values are read as UTC) and the instant after its precision ends. */
export interface FhirInstantRange {
  readonly start: number;
  readonly end: number;
  readonly hasTime: boolean;
}

function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

/** Parses an R4 date, dateTime or instant string; null when it does not match the R4 format or names an impossible day. */
export function parseFhirDate(value: string): FhirInstantRange | null {
  const m = dateTimePattern.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  if (year === 0) return null;
  if (m[2] === undefined) return { start: utc(year, 0, 1), end: utc(year + 1, 0, 1), hasTime: false };
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  if (m[3] === undefined) return { start: utc(year, month - 1, 1), end: utc(year, month, 1), hasTime: false };
  const day = Number(m[3]);
  if (day < 1 || day > new Date(Date.UTC(2000, month, 0)).getUTCDate() || (month === 2 && day === 29 && !isLeapYear(year))) return null;
  if (m[4] === undefined) return { start: utc(year, month - 1, day), end: utc(year, month - 1, day + 1), hasTime: false };
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (hour > 23 || minute > 59 || second > 60) return null;
  const zone = m[8]!;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const zoneHours = Number(zone.slice(1, 3));
    const zoneMinutes = Number(zone.slice(4, 6));
    if (zoneMinutes > 59 || zoneHours > 14 || (zoneHours === 14 && zoneMinutes > 0)) return null;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
  const start = utc(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  return { start, end: start + (m[7] === undefined ? 1000 : 1), hasTime: true };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

// ---------------------------------------------------------------------------------------------------------------------
// Primitive types: 0 = valid, 1 = wrong JSON type, 2 = wrong format.

/** Result of a primitive check: 0 valid, 1 wrong JSON type, 2 string or number in the wrong format. */
export type PrimitiveResult = 0 | 1 | 2;

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;
const codePattern = /^[^\s]+(\s[^\s]+)*$/;
const whitespacePattern = /\s/;
const oidPattern = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/;
const uuidPattern = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const timePattern = /^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?$/;
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

const isString = (v: unknown): PrimitiveResult => (typeof v === 'string' ? 0 : 1);
const uriCheck = (v: unknown): PrimitiveResult => (typeof v !== 'string' ? 1 : whitespacePattern.test(v) ? 2 : 0);
const dateCheck =
  (kind: 'date' | 'dateTime' | 'instant') =>
  (v: unknown): PrimitiveResult => {
    if (typeof v !== 'string') return 1;
    const parsed = parseFhirDate(v);
    if (!parsed) return 2;
    if (kind === 'date' && parsed.hasTime) return 2;
    if (kind === 'instant' && !parsed.hasTime) return 2;
    return 0;
  };
const integerCheck =
  (min: number) =>
  (v: unknown): PrimitiveResult =>
    typeof v !== 'number' ? 1 : Number.isInteger(v) && v >= min && v <= 2147483647 ? 0 : 2;

/** Checks for each R4 primitive type, by name (R4 datatypes.html#primitive). */
export const primitiveChecks: ReadonlyMap<string, (value: unknown) => PrimitiveResult> = new Map<
  string,
  (value: unknown) => PrimitiveResult
>([
  ['boolean', (v) => (typeof v === 'boolean' ? 0 : 1)],
  ['integer', integerCheck(-2147483648)],
  ['unsignedInt', integerCheck(0)],
  ['positiveInt', integerCheck(1)],
  ['decimal', (v) => (typeof v !== 'number' ? 1 : Number.isFinite(v) ? 0 : 2)],
  ['string', isString],
  ['markdown', isString],
  ['code', (v) => (typeof v !== 'string' ? 1 : codePattern.test(v) ? 0 : 2)],
  ['id', (v) => (typeof v !== 'string' ? 1 : idPattern.test(v) ? 0 : 2)],
  ['uri', uriCheck],
  ['url', uriCheck],
  ['canonical', uriCheck],
  ['oid', (v) => (typeof v !== 'string' ? 1 : oidPattern.test(v) ? 0 : 2)],
  ['uuid', (v) => (typeof v !== 'string' ? 1 : uuidPattern.test(v) ? 0 : 2)],
  [
    'base64Binary',
    (v) => (typeof v !== 'string' ? 1 : base64Pattern.test(v.replace(/\s+/g, '')) && v.replace(/\s+/g, '').length % 4 === 0 ? 0 : 2),
  ],
  ['date', dateCheck('date')],
  ['dateTime', dateCheck('dateTime')],
  ['instant', dateCheck('instant')],
  ['time', (v) => (typeof v !== 'string' ? 1 : timePattern.test(v) ? 0 : 2)],
  ['xhtml', isString],
]);

/** What each format looks like, for diagnostics. */
export const primitiveHints: ReadonlyMap<string, string> = new Map([
  ['date', 'YYYY, YYYY-MM or YYYY-MM-DD'],
  ['dateTime', 'YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a time zone (Z or +hh:mm)'],
  ['instant', 'YYYY-MM-DDThh:mm:ss with a time zone (Z or +hh:mm)'],
  ['time', 'hh:mm:ss'],
  ['id', '1 to 64 letters, digits, "-" or "."'],
  ['code', 'no leading, trailing or repeated whitespace'],
  ['uri', 'no whitespace'],
  ['url', 'no whitespace'],
  ['canonical', 'no whitespace'],
  ['oid', 'urn:oid:1.2.3'],
  ['uuid', 'urn:uuid: and a lower-case UUID'],
  ['integer', 'a whole number between -2147483648 and 2147483647'],
  ['unsignedInt', 'a whole number from 0 to 2147483647'],
  ['positiveInt', 'a whole number from 1 to 2147483647'],
  ['decimal', 'a finite number'],
  ['base64Binary', 'base64 text'],
]);

/** The JSON type each primitive is written as (R4 json.html: booleans and numbers unquoted). */
export function jsonTypeOf(primitive: string): string {
  if (primitive === 'boolean') return 'a JSON boolean (true or false)';
  if (primitive === 'integer' || primitive === 'unsignedInt' || primitive === 'positiveInt' || primitive === 'decimal')
    return 'a JSON number';
  return 'a JSON string';
}

// ---------------------------------------------------------------------------------------------------------------------
// Complex datatypes (R4 datatypes.html). Their element lists are complete, so they are closed.

/** The types allowed for Extension.value[x] (R4 "open" type list). */
export const openTypes = [
  'base64Binary boolean canonical code date dateTime decimal id instant integer markdown oid positiveInt string time unsignedInt uri url uuid',
  'Address Age Annotation Attachment CodeableConcept Coding ContactPoint Count Distance Duration HumanName Identifier Money Period Quantity',
  'Range Ratio Reference SampledData Signature Timing ContactDetail Contributor DataRequirement Expression ParameterDefinition RelatedArtifact',
  'TriggerDefinition UsageContext Dosage Meta',
]
  .join(' ')
  .split(' ');

const unitsOfTime = 's min h d wk mo a';

const periodOrder: Invariant = (period, sink) => {
  if (typeof period.start !== 'string' || typeof period.end !== 'string') return;
  const start = parseFhirDate(period.start);
  const end = parseFhirDate(period.end);
  if (start && end && start.start >= end.end)
    sink.report('invalid', `Period end (${period.end}) is before its start (${period.start})`, 'end');
};

const quantityUnit: Invariant = (quantity, sink) => {
  if (quantity.code !== undefined && quantity.system === undefined)
    sink.report('required', 'Quantity.system is required when Quantity.code is present (R4 qty-3)', 'system');
};

const extensionShape: Invariant = (extension, sink) => {
  let hasValue = false;
  for (const key in extension) {
    if (key.startsWith('value')) hasValue = true;
  }
  if (hasValue && extension.extension !== undefined)
    sink.report('invalid', 'An extension has either a value[x] or nested extensions, not both (R4 ext-1)');
  if (!hasValue && extension.extension === undefined)
    sink.report('required', 'An extension needs a value[x] or nested extensions (R4 ext-1)');
};

const referenceTarget: Invariant = (reference, sink) => {
  const target = reference.reference;
  if (typeof target === 'string' && target.startsWith('#') && target.length > 1) sink.noteLocalReference(target.slice(1));
};

const contactPointSystem: Invariant = (point, sink) => {
  if (point.value !== undefined && point.system === undefined)
    sink.report('required', 'ContactPoint.system is required when a value is given (R4 cpt-2)', 'system');
};

const attachmentType: Invariant = (attachment, sink) => {
  if (attachment.data !== undefined && attachment.contentType === undefined) {
    sink.report('required', 'Attachment.contentType is required when data is present (R4 att-1)', 'contentType');
  }
};

const narrativeDiv: Invariant = (narrative, sink) => {
  const div = narrative.div;
  if (typeof div !== 'string' || div === '') return;
  if (!/^\s*<div[\s>]/.test(div) || !div.includes('http://www.w3.org/1999/xhtml')) {
    sink.report('value', 'Narrative.div must be an XHTML <div> element in the http://www.w3.org/1999/xhtml namespace', 'div');
  } else if (unsafeMarkup.test(div)) {
    sink.report(
      'security',
      'Narrative.div contains active content (script, frames, forms, event handlers or javascript: links), which FHIR narrative forbids (R4 txt-1)',
      'div',
    );
  }
};

/** Elements, event-handler attributes and script URLs that FHIR narrative may not carry; only markup is looked at, not text. */
const unsafeMarkup =
  /<\s*\/?\s*(script|iframe|frame|frameset|object|embed|applet|form|input|button|style|link|meta|base)\b|<[^>]*\son[a-z]+\s*=|<[^>]*=\s*["']?\s*(javascript|vbscript)\s*:/i;

const quantitySpec: Spec = { value: 'decimal', comparator: codes('< <= >= >'), unit: 'string', system: 'uri', code: 'code' };

const datatypeList: ComplexDef[] = [
  defineComplex('Element', {}, { closed: true }),
  defineComplex('Extension', { url: 'uri!', 'value[x]': openTypes }, { closed: true, invariants: [extensionShape] }),
  defineComplex('Coding', { system: 'uri', version: 'string', code: 'code', display: 'string', userSelected: 'boolean' }, { closed: true }),
  defineComplex('CodeableConcept', { coding: 'Coding[]', text: 'string' }, { closed: true }),
  defineComplex('Quantity', quantitySpec, { closed: true, invariants: [quantityUnit] }),
  defineComplex('Money', { value: 'decimal', currency: 'code' }, { closed: true }),
  defineComplex('Period', { start: 'dateTime', end: 'dateTime' }, { closed: true, invariants: [periodOrder] }),
  defineComplex('Range', { low: 'Quantity', high: 'Quantity' }, { closed: true }),
  defineComplex('Ratio', { numerator: 'Quantity', denominator: 'Quantity' }, { closed: true }),
  defineComplex(
    'Identifier',
    {
      use: codes('usual official temp secondary old'),
      type: 'CodeableConcept',
      system: 'uri',
      value: 'string',
      period: 'Period',
      assigner: 'Reference',
    },
    { closed: true },
  ),
  defineComplex(
    'Reference',
    { reference: 'string', type: 'uri', identifier: 'Identifier', display: 'string' },
    { closed: true, invariants: [referenceTarget] },
  ),
  defineComplex(
    'HumanName',
    {
      use: codes('usual official temp nickname anonymous old maiden'),
      text: 'string',
      family: 'string',
      given: 'string[]',
      prefix: 'string[]',
      suffix: 'string[]',
      period: 'Period',
    },
    { closed: true },
  ),
  defineComplex(
    'Address',
    {
      use: codes('home work temp old billing'),
      type: codes('postal physical both'),
      text: 'string',
      line: 'string[]',
      city: 'string',
      district: 'string',
      state: 'string',
      postalCode: 'string',
      country: 'string',
      period: 'Period',
    },
    { closed: true },
  ),
  defineComplex(
    'ContactPoint',
    {
      system: codes('phone fax email pager url sms other'),
      value: 'string',
      use: codes('home work temp old mobile'),
      rank: 'positiveInt',
      period: 'Period',
    },
    { closed: true, invariants: [contactPointSystem] },
  ),
  defineComplex(
    'Attachment',
    {
      contentType: 'code',
      language: 'code',
      data: 'base64Binary',
      url: 'url',
      size: 'unsignedInt',
      hash: 'base64Binary',
      title: 'string',
      creation: 'dateTime',
    },
    { closed: true, invariants: [attachmentType] },
  ),
  defineComplex('Annotation', { 'author[x]': ['Reference', 'string'], time: 'dateTime', text: 'markdown!' }, { closed: true }),
  defineComplex(
    'Meta',
    { versionId: 'id', lastUpdated: 'instant', source: 'uri', profile: 'canonical[]', security: 'Coding[]', tag: 'Coding[]' },
    { closed: true },
  ),
  defineComplex(
    'Narrative',
    { status: codes('generated extensions additional empty', '!'), div: 'xhtml!' },
    { closed: true, invariants: [narrativeDiv] },
  ),
  defineComplex(
    'Timing',
    {
      event: 'dateTime[]',
      repeat: backbone({
        'bounds[x]': ['Duration', 'Range', 'Period'],
        count: 'positiveInt',
        countMax: 'positiveInt',
        duration: 'decimal',
        durationMax: 'decimal',
        durationUnit: codes(unitsOfTime),
        frequency: 'positiveInt',
        frequencyMax: 'positiveInt',
        period: 'decimal',
        periodMax: 'decimal',
        periodUnit: codes(unitsOfTime),
        dayOfWeek: codes('mon tue wed thu fri sat sun', '[]'),
        timeOfDay: 'time[]',
        when: 'code[]',
        offset: 'unsignedInt',
      }),
      code: 'CodeableConcept',
    },
    { closed: true, backbone: true },
  ),
  defineComplex(
    'Dosage',
    {
      sequence: 'integer',
      text: 'string',
      additionalInstruction: 'CodeableConcept[]',
      patientInstruction: 'string',
      timing: 'Timing',
      'asNeeded[x]': ['boolean', 'CodeableConcept'],
      site: 'CodeableConcept',
      route: 'CodeableConcept',
      method: 'CodeableConcept',
      doseAndRate: backbone({ type: 'CodeableConcept', 'dose[x]': ['Range', 'Quantity'], 'rate[x]': ['Ratio', 'Range', 'Quantity'] }, '[]'),
      maxDosePerPeriod: 'Ratio',
      maxDosePerAdministration: 'Quantity',
      maxDosePerLifetime: 'Quantity',
    },
    { closed: true, backbone: true },
  ),
];

const quantityDef = datatypeList.find((d) => d.name === 'Quantity')!;

/** Complex datatypes by name; the Quantity profiles (Age, Duration…) share Quantity's rules. */
export const datatypes: ReadonlyMap<string, ComplexDef> = new Map([
  ...datatypeList.map((d): [string, ComplexDef] => [d.name, d]),
  ...['Age', 'Count', 'Distance', 'Duration', 'SimpleQuantity', 'MoneyQuantity'].map((n): [string, ComplexDef] => [n, quantityDef]),
]);

/** The elements every resource has (R4 Resource and DomainResource). */
export const resourceBase: Spec = {
  id: 'id',
  meta: 'Meta',
  implicitRules: 'uri',
  language: 'code',
  text: 'Narrative',
  contained: 'Resource[]',
  extension: 'Extension[]',
  modifierExtension: 'Extension[]',
};
