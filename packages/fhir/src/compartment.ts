/// <reference types="fhir" />
import { isJsonObject, type JsonObject } from './validate-datatypes.ts';

// The R4 Patient compartment (CompartmentDefinition/patient, 4.0.1): for each resource type, the search parameters that
// place a resource in a patient's compartment, written here as the element paths those parameters search. The first
// path of each type is the resource's own patient (subject, patient, beneficiary…). The others (performer, author,
// recorder…) usually name a practitioner; they count only when the reference is written as a Patient reference.

const compartmentPaths: Readonly<Record<string, readonly string[]>> = {
  Account: ['subject'],
  AdverseEvent: ['subject'],
  AllergyIntolerance: ['patient', 'recorder', 'asserter'],
  Appointment: ['participant.actor'],
  AppointmentResponse: ['actor'],
  AuditEvent: ['entity.what', 'agent.who'],
  Basic: ['subject', 'author'],
  BodyStructure: ['patient'],
  CarePlan: ['subject', 'activity.detail.performer'],
  CareTeam: ['subject', 'participant.member'],
  ChargeItem: ['subject'],
  Claim: ['patient', 'payee.party'],
  ClaimResponse: ['patient'],
  ClinicalImpression: ['subject'],
  Communication: ['subject', 'sender', 'recipient'],
  CommunicationRequest: ['subject', 'sender', 'recipient', 'requester'],
  Composition: ['subject', 'author', 'attester.party'],
  Condition: ['subject', 'asserter'],
  Consent: ['patient'],
  Coverage: ['beneficiary', 'policyHolder', 'subscriber', 'payor'],
  CoverageEligibilityRequest: ['patient'],
  CoverageEligibilityResponse: ['patient'],
  DetectedIssue: ['patient'],
  DeviceRequest: ['subject', 'performer'],
  DeviceUseStatement: ['subject'],
  DiagnosticReport: ['subject'],
  DocumentManifest: ['subject', 'author', 'recipient'],
  DocumentReference: ['subject', 'author'],
  Encounter: ['subject'],
  EnrollmentRequest: ['candidate'],
  EpisodeOfCare: ['patient'],
  ExplanationOfBenefit: ['patient', 'payee.party'],
  FamilyMemberHistory: ['patient'],
  Flag: ['subject'],
  Goal: ['subject'],
  Group: ['member.entity'],
  ImagingStudy: ['subject'],
  Immunization: ['patient'],
  ImmunizationEvaluation: ['patient'],
  ImmunizationRecommendation: ['patient'],
  Invoice: ['subject', 'recipient'],
  List: ['subject', 'source'],
  MeasureReport: ['subject'],
  Media: ['subject'],
  MedicationAdministration: ['subject', 'performer.actor'],
  MedicationDispense: ['subject', 'receiver'],
  MedicationRequest: ['subject'],
  MedicationStatement: ['subject'],
  MolecularSequence: ['patient'],
  NutritionOrder: ['patient'],
  Observation: ['subject', 'performer'],
  Person: ['link.target'],
  Procedure: ['subject', 'performer.actor'],
  Provenance: ['target'],
  QuestionnaireResponse: ['subject', 'author'],
  RelatedPerson: ['patient'],
  RequestGroup: ['subject', 'action.participant'],
  ResearchSubject: ['individual'],
  RiskAssessment: ['subject'],
  Schedule: ['actor'],
  ServiceRequest: ['subject', 'performer'],
  Specimen: ['subject'],
  SupplyDelivery: ['patient'],
  SupplyRequest: ['deliverTo'],
  VisionPrescription: ['patient'],
};

/** Types whose first element names any kind of resource: an untyped reference there is not assumed to be the patient. */
const ownElementNeedsType = new Set([
  'Account',
  'Appointment',
  'AppointmentResponse',
  'AuditEvent',
  'Basic',
  'Group',
  'Person',
  'Provenance',
  'Schedule',
]);

const splitPaths: ReadonlyMap<string, readonly (readonly string[])[]> = new Map(
  Object.entries(compartmentPaths).map(([type, paths]) => [type, paths.map((p) => p.split('.'))]),
);

/** True for resource types in the R4 Patient compartment (and Patient itself). */
export function isPatientCompartmentType(type: string): boolean {
  return type === 'Patient' || splitPaths.has(type);
}

/**
 * The reference string (exactly as written, e.g. 'urn:uuid:…' or 'Patient/123') naming the patient a resource belongs to,
 * following the R4 Patient CompartmentDefinition params (subject, patient, beneficiary, …); null for Patient itself and
 * for non-compartment types. The resource's own patient element wins unless its reference is typed as something else
 * (subject can be a Group); an untyped `urn:uuid:` there is the patient. The other elements (performer, author…) count
 * only when the reference says Patient (`Patient/…` or Reference.type).
 */
export function patientReferenceOf(resource: fhir4.Resource): string | null {
  const paths = splitPaths.get(resource.resourceType);
  if (paths === undefined) return null;
  // Read defensively: the element names come from the table above, the values from outside.
  const r = resource as unknown as JsonObject;
  const [own, ...others] = paths;
  const untypedCounts = !ownElementNeedsType.has(resource.resourceType);
  for (const reference of referencesAt(r, own!)) {
    const type = targetType(reference);
    if (type === 'Patient' || (type === null && untypedCounts)) return reference.reference;
  }
  for (const path of others) {
    for (const reference of referencesAt(r, path)) {
      if (targetType(reference) === 'Patient') return reference.reference;
    }
  }
  return null;
}

interface ReferenceValue {
  reference: string;
  type?: unknown;
}

/** References at a dotted path, through arrays at any step. */
function referencesAt(value: JsonObject, path: readonly string[]): ReferenceValue[] {
  let current: unknown[] = [value];
  for (const step of path) {
    const next: unknown[] = [];
    for (const item of current) {
      if (!isJsonObject(item)) continue;
      const child = item[step];
      if (Array.isArray(child)) next.push(...(child as unknown[]));
      else if (child !== undefined) next.push(child);
    }
    current = next;
  }
  return current.filter((item): item is ReferenceValue => isJsonObject(item) && typeof item.reference === 'string');
}

/** The resource type a reference names: Reference.type, else the `Type/id` (or `…/Type/id`) form; null when it does not say. */
function targetType(reference: ReferenceValue): string | null {
  if (typeof reference.type === 'string') return reference.type.replace(/^http:\/\/hl7\.org\/fhir\/StructureDefinition\//, '');
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(reference.reference);
  if (match) return match[1]!;
  const conditional = /^([A-Z][A-Za-z]+)\?/.exec(reference.reference);
  return conditional ? conditional[1]! : null;
}
