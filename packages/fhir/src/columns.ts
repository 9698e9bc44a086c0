/// <reference types="fhir" />
import { isJsonObject, parseFhirDate, type JsonObject } from './validate-datatypes.ts';

/** The search columns stored beside a resource: what the record pages filter and sort by without reading the JSON. */
export interface SearchColumns {
  category: string | null;
  code: string | null;
  effectiveAt: Date | null;
  status: string | null;
  encounterReference: string | null;
  identifiers: string[];
}

/**
 * The search columns stored beside a resource. Fields are read defensively as unknown: a missing or oddly shaped
 * element gives null, never an exception.
 */
export function searchColumns(resource: fhir4.Resource): SearchColumns {
  // The resource has passed validateResource; its fields are still read as unknown rather than trusted.
  const r = resource as unknown as JsonObject;
  return {
    category: categoryOf(r),
    code: codeOf(r),
    effectiveAt: effectiveAtOf(r),
    status: statusOf(r),
    encounterReference: encounterReferenceOf(r),
    identifiers: identifiersOf(r.identifier),
  };
}

const assessPlan = 'assess-plan';

function codeOf(r: JsonObject): string | null {
  switch (r.resourceType) {
    case 'MedicationRequest':
    case 'MedicationStatement':
    case 'MedicationAdministration':
    case 'MedicationDispense':
      return firstCoding(r.medicationCodeableConcept);
    case 'Immunization':
      return firstCoding(r.vaccineCode);
    case 'Encounter':
      return firstCoding(r.type);
    case 'CarePlan':
      // US Core gives every CarePlan the generic category assess-plan; the other category says what the plan is for.
      return firstCoding(r.category, assessPlan) ?? firstCoding(r.category);
    case 'Goal':
      return firstCoding(r.description);
    case 'Claim':
    case 'ExplanationOfBenefit':
    case 'Coverage':
    case 'DocumentReference':
      return firstCoding(r.type);
    default:
      return firstCoding(r.code);
  }
}

function categoryOf(r: JsonObject): string | null {
  switch (r.resourceType) {
    case 'Encounter':
      return isJsonObject(r.class) && typeof r.class.code === 'string' ? r.class.code : null;
    case 'AllergyIntolerance':
      return Array.isArray(r.category) && typeof r.category[0] === 'string' ? r.category[0] : null;
    default:
      return firstCode(r.category);
  }
}

function effectiveAtOf(r: JsonObject): Date | null {
  switch (r.resourceType) {
    case 'Observation':
    case 'DiagnosticReport':
      return choiceDate(r, 'effective') ?? date(r.issued);
    case 'Condition':
      return date(r.onsetDateTime) ?? periodStart(r.onsetPeriod) ?? date(r.recordedDate);
    case 'Encounter':
      return periodStart(r.period);
    case 'MedicationRequest':
      return date(r.authoredOn);
    case 'MedicationStatement':
      return choiceDate(r, 'effective') ?? date(r.dateAsserted);
    case 'ServiceRequest':
      return choiceDate(r, 'occurrence') ?? date(r.authoredOn);
    case 'Immunization':
      return date(r.occurrenceDateTime);
    case 'Procedure':
      return date(r.performedDateTime) ?? periodStart(r.performedPeriod);
    case 'AllergyIntolerance':
      return date(r.onsetDateTime) ?? date(r.recordedDate);
    case 'CarePlan':
      return periodStart(r.period) ?? date(r.created);
    case 'Goal':
      return date(r.startDate) ?? date(r.statusDate);
    case 'Claim':
    case 'ExplanationOfBenefit':
      return periodStart(r.billablePeriod) ?? date(r.created);
    case 'ImagingStudy':
      return date(r.started);
    case 'DocumentReference':
      return date(r.date);
    default:
      return null;
  }
}

function statusOf(r: JsonObject): string | null {
  if (typeof r.status === 'string') return r.status;
  switch (r.resourceType) {
    case 'Condition':
    case 'AllergyIntolerance':
      return isJsonObject(r.clinicalStatus) ? firstCode(r.clinicalStatus) : null;
    case 'Goal':
      return typeof r.lifecycleStatus === 'string' ? r.lifecycleStatus : null;
    default:
      return null;
  }
}

/** R4 names the visit `encounter`; STU3-style resources call it `context`; DocumentReference lists it in context.encounter. */
function encounterReferenceOf(r: JsonObject): string | null {
  const direct = referenceString(r.encounter);
  if (direct !== null) return direct;
  const context = r.context;
  if (!isJsonObject(context)) return null;
  if (Array.isArray(context.encounter)) return referenceString(context.encounter[0]);
  return referenceString(context);
}

function identifiersOf(value: unknown): string[] {
  const out: string[] = [];
  for (const identifier of Array.isArray(value) ? value : [value]) {
    if (!isJsonObject(identifier) || typeof identifier.value !== 'string') continue;
    out.push(`${typeof identifier.system === 'string' ? identifier.system : ''}|${identifier.value}`);
  }
  return out;
}

function referenceString(value: unknown): string | null {
  return isJsonObject(value) && typeof value.reference === 'string' ? value.reference : null;
}

/** The first coding with a code, as `system|code`, of a CodeableConcept or a list of them; `skip` passes over one code. */
function firstCoding(value: unknown, skip?: string): string | null {
  for (const concept of Array.isArray(value) ? value : [value]) {
    if (!isJsonObject(concept) || !Array.isArray(concept.coding)) continue;
    for (const coding of concept.coding) {
      if (!isJsonObject(coding) || typeof coding.code !== 'string' || coding.code === skip) continue;
      return `${typeof coding.system === 'string' ? coding.system : ''}|${coding.code}`;
    }
  }
  return null;
}

/** The first coding's code of a CodeableConcept or a list of them. */
function firstCode(value: unknown): string | null {
  for (const concept of Array.isArray(value) ? value : [value]) {
    if (!isJsonObject(concept) || !Array.isArray(concept.coding)) continue;
    for (const coding of concept.coding) {
      if (isJsonObject(coding) && typeof coding.code === 'string') return coding.code;
    }
  }
  return null;
}

/** effective[x]/occurrence[x]: the dateTime or instant, or the start of the Period. */
function choiceDate(r: JsonObject, base: string): Date | null {
  return date(r[`${base}DateTime`]) ?? date(r[`${base}Instant`]) ?? periodStart(r[`${base}Period`]);
}

function periodStart(value: unknown): Date | null {
  return isJsonObject(value) ? date(value.start) : null;
}

/** A FHIR date, dateTime or instant as the instant it starts (partial dates start in UTC); null when absent or invalid. */
function date(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const parsed = parseFhirDate(value);
  return parsed === null ? null : new Date(parsed.start);
}
