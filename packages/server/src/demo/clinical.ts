/** Builds FHIR R4 resources and their fhir_resources rows (search columns extracted beside the JSON). */
import { allergyDef, reactions, type AllergyKey } from './codes-allergies.ts';
import { conditionDef, type ConditionKey } from './codes-problems.ts';
import { medicationDef, routes, systems, vaccines, type MedicationKey, type VaccineKey } from './codes-medications.ts';
import { labDef, vitalCodes, type LabKey } from './codes-observations.ts';
import { interpret } from './measurements.ts';
import type { FhirResource, FhirRow, StaffRecord } from './model.ts';
import type { Visit } from './visits.ts';
import { visitKinds } from './visits.ts';
import { daysAfter, fhirDateTime } from './zoned-time.ts';

/** Labels sensitive resources: v3 ActCode PSY (psychiatry information sensitivity), per DESIGN.md's sensitive categories. */
const psychiatrySecurityLabel = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  code: 'PSY',
  display: 'psychiatry disorder information sensitivity',
};

/** Where every row's shared columns come from. */
interface RowFields {
  patientId: string;
  category: string | null;
  code: string | null;
  effectiveAt: Date;
  status: string;
  isSensitive: boolean;
  /** When the source system last changed it; never after the seed's `now`. */
  lastUpdated: Date;
  /** The Encounter (visit) the resource was recorded in: the row's `encounter_id`, matching its `encounter` reference. */
  encounterId: string | null;
}

/** The fhir_resources row of a demo resource, with its search columns and meta (version 1, last updated). */
export function toRow(resource: FhirResource, fields: RowFields): FhirRow {
  const meta: Record<string, unknown> = { versionId: '1', lastUpdated: fhirDateTime(fields.lastUpdated) };
  if (fields.isSensitive) meta.security = [psychiatrySecurityLabel];
  const { resourceType, id, ...elements } = resource;
  return {
    id: resource.id,
    patientId: fields.patientId,
    resourceType: resource.resourceType,
    category: fields.category,
    code: fields.code,
    effectiveAt: fields.effectiveAt,
    status: fields.status,
    encounterId: fields.encounterId,
    isSensitive: fields.isSensitive,
    versionId: 1,
    lastUpdated: fields.lastUpdated,
    resource: { resourceType, id, meta, ...elements },
  };
}

/** The earlier of two instants. */
export function earlier(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

/** A CodeableConcept with one coding and its text. */
export function codeable(system: string, code: string, display: string, text = display) {
  return { coding: [{ system, code, display }], text };
}

/** A reference to the patient. */
export function patientRef(patientId: string) {
  return { reference: `Patient/${patientId}` };
}

/** A problem-list Condition (US Core problems and health concerns). */
export function buildCondition(input: {
  id: string;
  patientId: string;
  key: ConditionKey;
  onset: Date;
  abatement: Date | null;
  encounterId: string | null;
  recorder: StaffRecord;
  now: Date;
}): FhirRow {
  const def = conditionDef(input.key);
  const status = input.abatement ? 'resolved' : 'active';
  const resource: FhirResource = {
    resourceType: 'Condition',
    id: input.id,
    clinicalStatus: codeable(
      'http://terminology.hl7.org/CodeSystem/condition-clinical',
      status,
      status === 'active' ? 'Active' : 'Resolved',
    ),
    verificationStatus: codeable('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed', 'Confirmed'),
    category: [codeable('http://terminology.hl7.org/CodeSystem/condition-category', 'problem-list-item', 'Problem List Item')],
    code: {
      coding: [
        { system: systems.snomed, code: def.snomed, display: def.snomedDisplay },
        { system: systems.icd10cm, code: def.icd10, display: def.icd10Display },
      ],
      text: def.text,
    },
    subject: patientRef(input.patientId),
    ...(input.encounterId ? { encounter: { reference: `Encounter/${input.encounterId}` } } : {}),
    onsetDateTime: fhirDateTime(input.onset),
    ...(input.abatement ? { abatementDateTime: fhirDateTime(input.abatement) } : {}),
    recordedDate: fhirDateTime(input.onset),
    recorder: { display: input.recorder.signature },
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: 'problem-list-item',
    code: `${systems.snomed}|${def.snomed}`,
    effectiveAt: input.onset,
    status,
    isSensitive: def.sensitive,
    lastUpdated: earlier(input.abatement ?? input.onset, input.now),
    encounterId: input.encounterId,
  });
}

/** An AllergyIntolerance with its reactions. */
export function buildAllergy(input: { id: string; patientId: string; key: AllergyKey; recorded: Date; recorder: StaffRecord }): FhirRow {
  const def = allergyDef(input.key);
  const system = def.system === 'rxnorm' ? systems.rxnorm : systems.snomed;
  const resource: FhirResource = {
    resourceType: 'AllergyIntolerance',
    id: input.id,
    clinicalStatus: codeable('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'active', 'Active'),
    verificationStatus: codeable('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', 'confirmed', 'Confirmed'),
    type: 'allergy',
    category: [def.category],
    criticality: def.criticality,
    code: codeable(system, def.code, def.display, def.text),
    patient: patientRef(input.patientId),
    recordedDate: fhirDateTime(input.recorded),
    recorder: { display: input.recorder.signature },
    reaction: def.reactions.map((r) => {
      const reaction = reactions[r.reaction];
      return { manifestation: [codeable(systems.snomed, reaction.code, reaction.display, reaction.text)], severity: r.severity };
    }),
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: def.category,
    code: `${system}|${def.code}`,
    effectiveAt: input.recorded,
    status: 'active',
    isSensitive: false,
    lastUpdated: input.recorded,
    encounterId: null,
  });
}

/** An outpatient MedicationRequest with a patient-readable sig and refill terms. */
export function buildMedicationRequest(input: {
  id: string;
  patientId: string;
  key: MedicationKey;
  status: 'active' | 'stopped' | 'completed';
  authoredOn: Date;
  /** When a stopped or completed prescription ended. */
  ended: Date | null;
  requester: StaffRecord;
  reason: { conditionId: string; key: ConditionKey } | null;
  encounterId: string | null;
  isSensitive: boolean;
  now: Date;
}): FhirRow {
  const med = medicationDef(input.key);
  const route = routes[med.route];
  const validityEnd = input.ended ?? daysAfter(input.authoredOn, 365);
  const resource: FhirResource = {
    resourceType: 'MedicationRequest',
    id: input.id,
    status: input.status,
    ...(input.status === 'stopped' ? { statusReason: { text: 'Dose changed' } } : {}),
    intent: 'order',
    category: [codeable('http://terminology.hl7.org/CodeSystem/medicationrequest-category', 'outpatient', 'Outpatient')],
    medicationCodeableConcept: codeable(systems.rxnorm, med.rxnorm, med.display),
    subject: patientRef(input.patientId),
    ...(input.encounterId ? { encounter: { reference: `Encounter/${input.encounterId}` } } : {}),
    authoredOn: fhirDateTime(input.authoredOn),
    requester: { display: input.requester.signature },
    ...(input.reason
      ? { reasonReference: [{ reference: `Condition/${input.reason.conditionId}`, display: conditionDef(input.reason.key).text }] }
      : {}),
    dosageInstruction: [
      {
        sequence: 1,
        text: med.instruction,
        ...(med.asNeeded ? { asNeededBoolean: true } : {}),
        ...(med.perDay > 0 ? { timing: { repeat: { frequency: med.perDay, period: 1, periodUnit: 'd' } } } : {}),
        route: codeable(systems.snomed, route.code, route.display),
        doseAndRate: [{ doseQuantity: { value: med.dose.value, unit: med.dose.unit, system: systems.ucum, code: med.dose.code } }],
      },
    ],
    dispenseRequest: {
      validityPeriod: { start: fhirDateTime(input.authoredOn), end: fhirDateTime(validityEnd) },
      numberOfRepeatsAllowed: med.dispense.refills,
      quantity: { value: med.dispense.quantity, unit: med.dispense.unit, system: systems.ucum, code: med.dispense.code },
      expectedSupplyDuration: { value: med.dispense.days, unit: 'days', system: systems.ucum, code: 'd' },
    },
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: 'outpatient',
    code: `${systems.rxnorm}|${med.rxnorm}`,
    effectiveAt: input.authoredOn,
    status: input.status,
    isSensitive: input.isSensitive,
    lastUpdated: earlier(input.ended ?? input.authoredOn, input.now),
    encounterId: input.encounterId,
  });
}

/** A completed Immunization. */
export function buildImmunization(input: {
  id: string;
  patientId: string;
  key: VaccineKey;
  occurrence: Date;
  lotNumber: string;
  performer: StaffRecord | null;
}): FhirRow {
  const vaccine = vaccines[input.key];
  const resource: FhirResource = {
    resourceType: 'Immunization',
    id: input.id,
    status: 'completed',
    vaccineCode: codeable(systems.cvx, vaccine.cvx, vaccine.display, vaccine.text),
    patient: patientRef(input.patientId),
    occurrenceDateTime: fhirDateTime(input.occurrence),
    primarySource: true,
    lotNumber: input.lotNumber,
    route: codeable('http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration', 'IM', 'Injection, intramuscular'),
    ...(input.performer ? { performer: [{ actor: { display: input.performer.signature } }] } : {}),
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: null,
    code: `${systems.cvx}|${vaccine.cvx}`,
    effectiveAt: input.occurrence,
    status: 'completed',
    isSensitive: false,
    lastUpdated: input.occurrence,
    encounterId: null,
  });
}

/** A finished ambulatory or virtual Encounter. */
export function buildEncounter(input: { visit: Visit; patientId: string; organizationName: string; isSensitive: boolean }): FhirRow {
  const { visit } = input;
  const kind = visitKinds[visit.kind];
  // A sensitive problem is named only on an encounter that is itself marked sensitive, so it never leaks through a routine visit.
  const reasons = [...new Set([...visit.diagnoses, ...visit.reasons])].filter((key) => input.isSensitive || !conditionDef(key).sensitive);
  const resource: FhirResource = {
    resourceType: 'Encounter',
    id: visit.id,
    status: 'finished',
    class: {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: kind.encounterClass,
      display: kind.encounterClass === 'AMB' ? 'ambulatory' : 'virtual',
    },
    type: [codeable(systems.snomed, kind.snomed, kind.display, kind.visitType)],
    subject: patientRef(input.patientId),
    participant: [
      {
        type: [codeable('http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'PPRF', 'primary performer')],
        individual: { display: visit.clinician.signature },
      },
    ],
    period: { start: fhirDateTime(visit.start), end: fhirDateTime(visit.end) },
    ...(reasons.length > 0
      ? {
          reasonCode: reasons.map((key) => {
            const def = conditionDef(key);
            return codeable(systems.snomed, def.snomed, def.snomedDisplay, def.text);
          }),
        }
      : {}),
    location: [{ location: { display: `${visit.department.name}, ${visit.department.address}` } }],
    serviceProvider: { display: `${input.organizationName} ${visit.department.name}` },
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: kind.encounterClass,
    code: `${systems.snomed}|${kind.snomed}`,
    effectiveAt: visit.start,
    status: 'finished',
    isSensitive: input.isSensitive,
    lastUpdated: visit.end,
    encounterId: null,
  });
}

function observationCategory(code: 'laboratory' | 'vital-signs') {
  return [
    codeable('http://terminology.hl7.org/CodeSystem/observation-category', code, code === 'laboratory' ? 'Laboratory' : 'Vital Signs'),
  ];
}

function quantity(value: number, unit: string, code: string) {
  return { value, unit, system: systems.ucum, code };
}

const interpretationDisplay = { H: 'High', L: 'Low', N: 'Normal' } as const;

/** A final laboratory Observation with its reference range and H/L/N interpretation. */
export function buildLabObservation(input: {
  id: string;
  patientId: string;
  key: LabKey;
  value: number;
  sex: 'female' | 'male';
  age: number;
  effective: Date;
  issued: Date;
  encounterId: string;
}): FhirRow {
  const lab = labDef(input.key);
  const range = lab.range(input.sex, input.age);
  const flag = interpret(input.value, range);
  const resource: FhirResource = {
    resourceType: 'Observation',
    id: input.id,
    status: 'final',
    category: observationCategory('laboratory'),
    code: codeable(systems.loinc, lab.loinc, lab.display, lab.text),
    subject: patientRef(input.patientId),
    encounter: { reference: `Encounter/${input.encounterId}` },
    effectiveDateTime: fhirDateTime(input.effective),
    issued: fhirDateTime(input.issued),
    valueQuantity: quantity(input.value, lab.unit, lab.ucum),
    interpretation: [codeable('http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', flag, interpretationDisplay[flag])],
    referenceRange: [
      {
        ...(range.low !== undefined ? { low: quantity(range.low, lab.unit, lab.ucum) } : {}),
        ...(range.high !== undefined ? { high: quantity(range.high, lab.unit, lab.ucum) } : {}),
      },
    ],
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: 'laboratory',
    code: `${systems.loinc}|${lab.loinc}`,
    effectiveAt: input.effective,
    status: 'final',
    isSensitive: false,
    lastUpdated: input.issued,
    encounterId: input.encounterId,
  });
}

/** A final vital-signs Observation: one value, or the blood pressure panel with its two components. */
export function buildVitalObservation(input: {
  id: string;
  patientId: string;
  loinc: string;
  display: string;
  text: string;
  value: { value: number; unit: string; ucum: string } | { systolic: number; diastolic: number };
  effective: Date;
  encounterId: string;
}): FhirRow {
  const bp = (loinc: string, display: string, value: number) => ({
    code: codeable(systems.loinc, loinc, display),
    valueQuantity: quantity(value, 'mmHg', 'mm[Hg]'),
  });
  const value =
    'systolic' in input.value
      ? {
          component: [
            bp(vitalCodes.systolic.loinc, vitalCodes.systolic.display, input.value.systolic),
            bp(vitalCodes.diastolic.loinc, vitalCodes.diastolic.display, input.value.diastolic),
          ],
        }
      : { valueQuantity: quantity(input.value.value, input.value.unit, input.value.ucum) };
  const resource: FhirResource = {
    resourceType: 'Observation',
    id: input.id,
    status: 'final',
    category: observationCategory('vital-signs'),
    code: codeable(systems.loinc, input.loinc, input.display, input.text),
    subject: patientRef(input.patientId),
    encounter: { reference: `Encounter/${input.encounterId}` },
    effectiveDateTime: fhirDateTime(input.effective),
    ...value,
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: 'vital-signs',
    code: `${systems.loinc}|${input.loinc}`,
    effectiveAt: input.effective,
    status: 'final',
    isSensitive: false,
    lastUpdated: input.effective,
    encounterId: input.encounterId,
  });
}
