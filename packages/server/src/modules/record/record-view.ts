/** Stored FHIR R4 resources → the record contract's display-ready items (packages/shared/src/api/record.ts). */
import type { z } from 'zod';
import {
  attachmentText,
  bloodPressureText,
  codeableText,
  conceptCode,
  conditionAbatement,
  conditionOnset,
  dosageText,
  encounterClassText,
  firstCodeableText,
  goalTargetText,
  hasCoding,
  humanNameText,
  medicationName,
  observedValue,
  procedurePerformed,
  referenceTarget,
  reportMemberIds,
  responsibleParticipant,
  roundedText,
} from '@portico/fhir';
import type {
  allergyItem,
  carePlanItem,
  goalItem,
  immunizationItem,
  measurementItem,
  medicationItem,
  problemItem,
  VisitItem,
} from '@portico/shared';

/** A fhir_resources row as the record reads it: the search columns and the resource. */
export interface StoredResource {
  id: string;
  resourceType: string;
  category: string | null;
  code: string | null;
  status: string | null;
  effectiveAt: Date | null;
  encounterId: string | null;
  resource: unknown;
}

/** Names of the resources references point at, by id (practitioners, places, medications, conditions). */
export type ReferencedNames = ReadonlyMap<string, string>;

type ProblemItem = z.infer<typeof problemItem>;
type AllergyItem = z.infer<typeof allergyItem>;
type MedicationItem = z.infer<typeof medicationItem>;
type ImmunizationItem = z.infer<typeof immunizationItem>;
type CarePlanItem = z.infer<typeof carePlanItem>;
type GoalItem = z.infer<typeof goalItem>;
type MeasurementItem = z.infer<typeof measurementItem>;

/** The resource as its FHIR type with every element optional: stored data may lack anything the spec allows to lack. */
function asResource<T>(value: unknown): Partial<T> {
  return typeof value === 'object' && value !== null ? value : {};
}

function list<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

function unique(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))];
}

const time = (row: StoredResource) => row.effectiveAt?.getTime() ?? Number.NEGATIVE_INFINITY;

/** Newest first by the effective column, rows without a date last, then by id so the order is stable. */
function newestFirst(a: StoredResource, b: StoredResource): number {
  return time(b) - time(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A reference's words: its display, else the name of the resource it points at. */
export function referenceName(reference: fhir4.Reference | undefined, names: ReferencedNames): string | null {
  if (reference?.display) return reference.display;
  const target = referenceTarget(reference);
  return target ? (names.get(target.id) ?? null) : null;
}

/** The name a resource goes by when something points at it. */
export function nameOfResource(resourceType: string, resource: unknown): string | null {
  switch (resourceType) {
    case 'Practitioner':
    case 'RelatedPerson':
      return humanNameText(asResource<fhir4.Practitioner>(resource).name);
    case 'PractitionerRole': {
      const role = asResource<fhir4.PractitionerRole>(resource);
      return role.practitioner?.display ?? codeableText(list(role.code)[0]);
    }
    case 'Organization':
    case 'Location':
    case 'HealthcareService':
      return asResource<fhir4.Organization>(resource).name ?? null;
    case 'Medication':
      return medicationName(asResource<fhir4.Medication>(resource).code)?.name ?? null;
    case 'Condition':
      return codeableText(asResource<fhir4.Condition>(resource).code);
    default:
      return null;
  }
}

/** References without a display that the mapping of this resource would name, so their targets can be looked up. */
export function referencesToName(row: StoredResource): fhir4.Reference[] {
  const refs: (fhir4.Reference | undefined)[] = [];
  switch (row.resourceType) {
    case 'MedicationRequest': {
      const m = asResource<fhir4.MedicationRequest>(row.resource);
      refs.push(m.medicationReference, m.requester, ...list(m.reasonReference));
      break;
    }
    case 'MedicationStatement': {
      const m = asResource<fhir4.MedicationStatement>(row.resource);
      refs.push(m.medicationReference, ...list(m.reasonReference));
      break;
    }
    case 'CarePlan':
      refs.push(...list(asResource<fhir4.CarePlan>(row.resource).addresses));
      break;
    case 'Encounter': {
      const e = asResource<fhir4.Encounter>(row.resource);
      refs.push(responsibleParticipant(e) ?? undefined, list(e.location)[0]?.location, e.serviceProvider, ...list(e.reasonReference));
      break;
    }
  }
  return refs.filter((r): r is fhir4.Reference => Boolean(r && !r.display && referenceTarget(r)));
}

const activeClinical = new Set(['active', 'recurrence', 'relapse']);
const problemListCategories = new Set(['problem-list-item', 'health-concern']);
const errorVerification = new Set(['entered-in-error', 'refuted']);

function conditionCategories(row: StoredResource, c: Partial<fhir4.Condition>): Set<string> {
  const codes = new Set<string>(row.category ? [row.category] : []);
  for (const concept of list(c.category)) for (const coding of list(concept.coding)) if (coding.code) codes.add(coding.code);
  return codes;
}

function clinicalStatusOf(c: Partial<fhir4.Condition>): string {
  return conceptCode(c.clinicalStatus) ?? (conditionAbatement(c) ? 'resolved' : 'unknown');
}

/** A problem-list entry from a Condition. */
export function toProblemItem(row: StoredResource, visibleVisits: ReadonlySet<string>): ProblemItem {
  const c = asResource<fhir4.Condition>(row.resource);
  return {
    id: row.id,
    name: codeableText(c.code) ?? 'Unnamed problem',
    clinicalStatus: clinicalStatusOf(c),
    onset: conditionOnset(c),
    resolved: conditionAbatement(c),
    visitId: row.encounterId && visibleVisits.has(row.encounterId) ? row.encounterId : null,
  };
}

/**
 * The problem list from Conditions: every problem-list item or health concern (resolved ones too, with their
 * abatement), and diagnoses (encounter-diagnosis or uncategorised, as Synthea writes them) only while still active.
 * Entered-in-error and refuted ones are left out. One entry per code: an active one before a resolved one, a
 * problem-list item before a diagnosis, then the newest. Active problems come first, each group newest first.
 */
export function selectProblems(rows: StoredResource[], visibleVisits: ReadonlySet<string>): ProblemItem[] {
  type Candidate = { row: StoredResource; item: ProblemItem; isActive: boolean; isListed: boolean };
  const candidates: Candidate[] = [];
  for (const row of rows) {
    const c = asResource<fhir4.Condition>(row.resource);
    const verification = conceptCode(c.verificationStatus);
    if (verification && errorVerification.has(verification)) continue;
    const categories = conditionCategories(row, c);
    const isListed = [...categories].some((code) => problemListCategories.has(code));
    const isDiagnosis = categories.size === 0 || categories.has('encounter-diagnosis');
    const item = toProblemItem(row, visibleVisits);
    const isActive = activeClinical.has(item.clinicalStatus);
    if (isListed || (isDiagnosis && isActive)) candidates.push({ row, item, isActive, isListed });
  }
  const rank = (x: Candidate, y: Candidate) =>
    Number(y.isActive) - Number(x.isActive) || Number(y.isListed) - Number(x.isListed) || newestFirst(x.row, y.row);
  const chosen = new Map<string, Candidate>();
  for (const candidate of candidates.sort(rank)) {
    const key = candidate.row.code ?? `text:${candidate.item.name.toLowerCase()}`;
    if (!chosen.has(key)) chosen.set(key, candidate);
  }
  return [...chosen.values()].sort((x, y) => Number(y.isActive) - Number(x.isActive) || newestFirst(x.row, y.row)).map((c) => c.item);
}

/** An allergy or intolerance with its reactions; null when it was entered in error or refuted. */
export function toAllergyItem(row: StoredResource): AllergyItem | null {
  const a = asResource<fhir4.AllergyIntolerance>(row.resource);
  const verification = conceptCode(a.verificationStatus);
  if (verification && errorVerification.has(verification)) return null;
  const reactions = list(a.reaction);
  return {
    id: row.id,
    substance: codeableText(a.code) ?? codeableText(reactions[0]?.substance) ?? 'Unnamed allergy',
    clinicalStatus: conceptCode(a.clinicalStatus) ?? 'unknown',
    criticality: a.criticality ?? null,
    category: list(a.category)[0] ?? null,
    reactions: reactions
      .map((r) => ({
        manifestation: unique(list(r.manifestation).map((m) => codeableText(m))).join(', ') || (r.description ?? ''),
        severity: r.severity ?? null,
      }))
      .filter((r) => r.manifestation !== ''),
    recorded: a.recordedDate ?? a.onsetDateTime ?? null,
  };
}

/** Allergies for the summary: active ones first, each group newest first. */
export function selectAllergies(rows: StoredResource[]): AllergyItem[] {
  const items = rows.flatMap((row) => {
    const item = toAllergyItem(row);
    return item ? [{ row, item }] : [];
  });
  const isActive = (item: AllergyItem) => item.clinicalStatus === 'active' || item.clinicalStatus === 'unknown';
  return items.sort((x, y) => Number(isActive(y.item)) - Number(isActive(x.item)) || newestFirst(x.row, y.row)).map((x) => x.item);
}

const currentMedicationStatuses = new Set(['active', 'on-hold']);

/**
 * A medication's names: ingredient, strength and form in plain words (medicationName, @portico/fhir) and the full coded
 * name beside it; a referenced Medication goes by its name; never a code.
 */
function medicationNames(
  concept: fhir4.CodeableConcept | undefined,
  reference: fhir4.Reference | undefined,
  names: ReferencedNames,
): { name: string; codedName: string | null } {
  const named = medicationName(concept);
  if (named) return named;
  return { name: referenceName(reference, names) ?? 'Unnamed medication', codedName: null };
}

/** A medication from a MedicationRequest or a MedicationStatement. */
export function toMedicationItem(row: StoredResource, names: ReferencedNames): MedicationItem {
  if (row.resourceType === 'MedicationStatement') {
    const s = asResource<fhir4.MedicationStatement>(row.resource);
    const status = s.status ?? row.status ?? 'unknown';
    return {
      id: row.id,
      ...medicationNames(s.medicationCodeableConcept, s.medicationReference, names),
      status,
      current: currentMedicationStatuses.has(status),
      directions: dosageText(s.dosage),
      prescriber: null,
      authoredOn: s.dateAsserted ?? s.effectiveDateTime ?? s.effectivePeriod?.start ?? null,
      reason: firstCodeableText(s.reasonCode) ?? firstReferenceName(s.reasonReference, names),
    };
  }
  const m = asResource<fhir4.MedicationRequest>(row.resource);
  const status = m.status ?? row.status ?? 'unknown';
  return {
    id: row.id,
    ...medicationNames(m.medicationCodeableConcept, m.medicationReference, names),
    status,
    current: currentMedicationStatuses.has(status),
    directions: dosageText(m.dosageInstruction),
    prescriber: referenceName(m.requester, names),
    authoredOn: m.authoredOn ?? null,
    reason: firstCodeableText(m.reasonCode) ?? firstReferenceName(m.reasonReference, names),
  };
}

function firstReferenceName(references: fhir4.Reference[] | undefined, names: ReferencedNames): string | null {
  for (const reference of list(references)) {
    const name = referenceName(reference, names);
    if (name) return name;
  }
  return null;
}

/**
 * The medication list: every current order (active, on-hold), newest first, then earlier ones newest first with one
 * entry per medicine and none repeating a current medicine (a renewed prescription is one medicine, not many).
 */
export function selectMedications(current: StoredResource[], past: StoredResource[], names: ReferencedNames): MedicationItem[] {
  const keyOf = (row: StoredResource, item: MedicationItem) => row.code ?? `text:${item.name.toLowerCase()}`;
  const seen = new Set<string>();
  const out: MedicationItem[] = [];
  for (const row of [...current].sort(newestFirst)) {
    const item = toMedicationItem(row, names);
    seen.add(keyOf(row, item));
    out.push(item);
  }
  for (const row of [...past].sort(newestFirst)) {
    const item = toMedicationItem(row, names);
    const key = keyOf(row, item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** An immunization. */
export function toImmunizationItem(row: StoredResource): ImmunizationItem {
  const i = asResource<fhir4.Immunization>(row.resource);
  return {
    id: row.id,
    vaccine: codeableText(i.vaccineCode) ?? 'Unnamed vaccine',
    date: i.occurrenceDateTime ?? i.occurrenceString ?? null,
    status: i.status ?? row.status ?? 'unknown',
  };
}

const assessPlanCategory = 'assess-plan';

/** A care plan with its activities and the problems it addresses. */
export function toCarePlanItem(row: StoredResource, names: ReferencedNames): CarePlanItem {
  const p = asResource<fhir4.CarePlan>(row.resource);
  const category = list(p.category).find((concept) => !hasCoding(concept, assessPlanCategory));
  return {
    id: row.id,
    title: p.title ?? codeableText(category) ?? p.description ?? 'Care plan',
    status: p.status ?? row.status ?? 'unknown',
    start: p.period?.start ?? null,
    end: p.period?.end ?? null,
    activities: unique(list(p.activity).map((a) => codeableText(a.detail?.code) ?? a.detail?.description ?? a.reference?.display ?? null)),
    addresses: unique(list(p.addresses).map((ref) => referenceName(ref, names))),
  };
}

const liveGoalStatuses = new Set(['proposed', 'planned', 'accepted', 'active', 'on-hold']);

/** A goal with its target in words. */
export function toGoalItem(row: StoredResource): GoalItem {
  const g = asResource<fhir4.Goal>(row.resource);
  return {
    id: row.id,
    description: codeableText(g.description) ?? 'Goal',
    lifecycleStatus: g.lifecycleStatus ?? row.status ?? 'unknown',
    target: goalTargetText(list(g.target)),
  };
}

/** Goals for the summary: ones still being worked on first, each group newest first. */
export function selectGoals(rows: StoredResource[]): GoalItem[] {
  const live = (row: StoredResource) => liveGoalStatuses.has(toGoalItem(row).lifecycleStatus);
  return [...rows].sort((x, y) => Number(live(y)) - Number(live(x)) || newestFirst(x, y)).map(toGoalItem);
}

/** Care plans for the summary: active ones first, each group newest first. */
export function selectCarePlans(rows: StoredResource[], names: ReferencedNames): CarePlanItem[] {
  const items = rows.map((row) => ({ row, item: toCarePlanItem(row, names) }));
  const isActive = (item: CarePlanItem) => item.status === 'active' || item.status === 'on-hold';
  return items.sort((x, y) => Number(isActive(y.item)) - Number(isActive(x.item)) || newestFirst(x.row, y.row)).map((x) => x.item);
}

/** A visit as the list shows it, from an Encounter; `appointmentId` is the booked appointment it was, when known. */
export function toVisitItem(row: StoredResource, names: ReferencedNames, appointmentId: string | null = null): VisitItem {
  const e = asResource<fhir4.Encounter>(row.resource);
  const setting = encounterClassText(e.class);
  return {
    id: row.id,
    start: e.period?.start ?? null,
    end: e.period?.end ?? null,
    type:
      firstCodeableText(e.type) ??
      codeableText(e.serviceType) ??
      (setting ? `${setting[0]?.toUpperCase()}${setting.slice(1)} visit` : 'Visit'),
    setting,
    status: e.status ?? row.status ?? 'unknown',
    reason: firstCodeableText(e.reasonCode) ?? firstReferenceName(e.reasonReference, names),
    clinician: referenceName(responsibleParticipant(e) ?? undefined, names),
    location: referenceName(list(e.location)[0]?.location, names) ?? referenceName(e.serviceProvider, names),
    appointmentId,
  };
}

/** A vital sign: blood pressure as `120/80 mmHg`, other values rounded to one decimal; null when it has no value. */
export function toMeasurementItem(row: StoredResource): MeasurementItem | null {
  const o = asResource<fhir4.Observation>(row.resource);
  const name = codeableText(o.code) ?? 'Measurement';
  const pressure = bloodPressureText(o.component);
  if (pressure) return { id: row.id, name, value: pressure, unit: 'mmHg' };
  const observed = observedValue(o);
  const value = observed.number !== null && !o.valueQuantity?.comparator ? roundedText(observed.number) : observed.text;
  if (!value) return null;
  return { id: row.id, name, value, unit: observed.unit };
}

/** Whether an Observation is a vital sign (the category column, or any of its categories). */
export function isVitalSign(row: StoredResource): boolean {
  if (row.category === 'vital-signs') return true;
  return list(asResource<fhir4.Observation>(row.resource).category).some((c) => hasCoding(c, 'vital-signs'));
}

/** The ids of the Observations a DiagnosticReport lists as its results (they show through the report). */
export function memberIdsOf(row: StoredResource): string[] {
  return reportMemberIds(asResource<fhir4.DiagnosticReport>(row.resource));
}

/** A result link: the test or report name. */
export function toResultLink(row: StoredResource): { id: string; name: string } {
  const r = asResource<fhir4.Observation>(row.resource);
  return { id: row.id, name: codeableText(r.code) ?? (row.resourceType === 'DiagnosticReport' ? 'Report' : 'Result') };
}

/** A diagnosis made at a visit, from a Condition. */
export function toDiagnosis(row: StoredResource): { id: string; name: string } | null {
  const c = asResource<fhir4.Condition>(row.resource);
  const verification = conceptCode(c.verificationStatus);
  if (verification && errorVerification.has(verification)) return null;
  return { id: row.id, name: codeableText(c.code) ?? 'Unnamed diagnosis' };
}

/** A procedure done at a visit. */
export function toProcedure(row: StoredResource): { id: string; name: string; date: string | null } {
  const p = asResource<fhir4.Procedure>(row.resource);
  return { id: row.id, name: codeableText(p.code) ?? 'Procedure', date: procedurePerformed(p) };
}

/** A medication started at a visit. */
export function toMedicationStarted(
  row: StoredResource,
  names: ReferencedNames,
): { id: string; name: string; codedName: string | null; directions: string | null } {
  const item = toMedicationItem(row, names);
  return { id: item.id, name: item.name, codedName: item.codedName, directions: item.directions };
}

/**
 * Document types written for the patient to take home (LOINC): 69730-0 Instructions, 8653-8 Hospital discharge
 * instructions, 34895-3 Education note. Clinicians' own notes (progress notes, H&P) are not after-visit information.
 */
const patientDocumentTypes = new Set(['69730-0', '8653-8', '34895-3']);

/** The text of an after-visit note: a current DocumentReference of a patient-facing type; null for any other. */
export function afterVisitNoteText(row: StoredResource): string | null {
  const d = asResource<fhir4.DocumentReference>(row.resource);
  if ((d.status ?? row.status) !== 'current' || d.docStatus === 'entered-in-error' || d.docStatus === 'preliminary') return null;
  if (!list(d.type?.coding).some((c) => c.code !== undefined && patientDocumentTypes.has(c.code))) return null;
  for (const content of list(d.content)) {
    const text = attachmentText(content.attachment);
    if (text) return text;
  }
  return d.description ?? null;
}
