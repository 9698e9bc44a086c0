/** Builds the demo's CarePlans, Goals, Procedures, imaging DiagnosticReports and after-visit DocumentReferences (FHIR R4). */
import { codeable, earlier, patientRef, toRow } from './clinical.ts';
import { systems } from './codes-medications.ts';
import { radiologist, type CarePlanDef, type ChestXrayFindings, type Concept, type GoalDef } from './codes-care.ts';
import type { FhirResource, FhirRow, StaffRecord } from './model.ts';
import type { Visit } from './visits.ts';
import { fhirDateTime } from './zoned-time.ts';

const minuteMs = 60_000;

function concept([code, display, text]: Concept) {
  return codeable(systems.snomed, code, display, text);
}

function encounterRef(visit: Visit | null) {
  return visit ? { encounter: { reference: `Encounter/${visit.id}` } } : {};
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function calendarDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** A Goal (FHIR R4 Goal) agreed when a care plan began; goals have no encounter element, so no encounter column. */
export function buildGoal(input: {
  id: string;
  patientId: string;
  def: GoalDef;
  condition: { id: string; text: string };
  start: Date;
  due: Date;
  weightKg: number;
  completed: boolean;
  expressedBy: StaffRecord;
  now: Date;
}): FhirRow {
  const { def } = input;
  const lifecycleStatus = input.completed ? 'completed' : 'active';
  const resource: FhirResource = {
    resourceType: 'Goal',
    id: input.id,
    lifecycleStatus,
    achievementStatus: codeable(
      'http://terminology.hl7.org/CodeSystem/goal-achievement',
      input.completed ? 'achieved' : 'in-progress',
      input.completed ? 'Achieved' : 'In Progress',
    ),
    description: { text: def.description },
    subject: patientRef(input.patientId),
    startDate: calendarDate(input.start),
    ...(def.targets.length > 0
      ? {
          target: def.targets.map((t) => ({
            measure: codeable(systems.loinc, t.loinc, t.display, t.text),
            detailQuantity: {
              comparator: t.comparator,
              value: t.ofWeight ? Math.round(input.weightKg * t.ofWeight) : t.value,
              unit: t.unit,
              system: systems.ucum,
              code: t.ucum,
            },
            dueDate: calendarDate(input.due),
          })),
        }
      : {}),
    expressedBy: { display: input.expressedBy.signature },
    addresses: [{ reference: `Condition/${input.condition.id}`, display: input.condition.text }],
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: null,
    code: null,
    effectiveAt: input.start,
    status: lifecycleStatus,
    isSensitive: false,
    lastUpdated: earlier(input.start, input.now),
    encounterId: null,
  });
}

/** A CarePlan (US Core assess-plan) with its activities, the condition it addresses and its goals. */
export function buildCarePlan(input: {
  id: string;
  patientId: string;
  def: CarePlanDef;
  condition: { id: string; text: string };
  goalIds: string[];
  visit: Visit | null;
  start: Date;
  end: Date | null;
  author: StaffRecord;
  now: Date;
}): FhirRow {
  const { def } = input;
  const status = input.end ? 'completed' : 'active';
  const resource: FhirResource = {
    resourceType: 'CarePlan',
    id: input.id,
    status,
    intent: 'plan',
    category: [
      { coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category', code: 'assess-plan' }] },
      concept(def.category),
    ],
    title: def.title,
    subject: patientRef(input.patientId),
    ...encounterRef(input.visit),
    period: { start: fhirDateTime(input.start), ...(input.end ? { end: fhirDateTime(input.end) } : {}) },
    created: fhirDateTime(input.start),
    author: { display: input.author.signature },
    addresses: [{ reference: `Condition/${input.condition.id}`, display: input.condition.text }],
    ...(input.goalIds.length > 0 ? { goal: input.goalIds.map((id) => ({ reference: `Goal/${id}` })) } : {}),
    activity: def.activities.map((activity) => ({
      detail: { code: concept(activity), status: input.end ? 'completed' : 'in-progress' },
    })),
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: 'assess-plan',
    code: `${systems.snomed}|${def.category[0]}`,
    effectiveAt: input.start,
    status,
    isSensitive: false,
    lastUpdated: earlier(input.end ?? input.start, input.now),
    encounterId: input.visit?.id ?? null,
  });
}

/** A completed Procedure done at a visit. */
export function buildProcedure(input: {
  id: string;
  patientId: string;
  code: Concept;
  visit: Visit;
  start: Date;
  minutes: number;
}): FhirRow {
  const end = new Date(input.start.getTime() + input.minutes * minuteMs);
  const resource: FhirResource = {
    resourceType: 'Procedure',
    id: input.id,
    status: 'completed',
    code: concept(input.code),
    subject: patientRef(input.patientId),
    ...encounterRef(input.visit),
    performedPeriod: { start: fhirDateTime(input.start), end: fhirDateTime(end) },
    performer: [{ actor: { display: input.visit.clinician.signature } }],
    location: { display: input.visit.department.name },
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: null,
    code: `${systems.snomed}|${input.code[0]}`,
    effectiveAt: input.start,
    status: 'completed',
    isSensitive: false,
    lastUpdated: end,
    encounterId: input.visit.id,
  });
}

const chestXray = { loinc: '36643-5', display: 'XR Chest 2 Views', text: 'Chest X-ray (2 views)' };

/** A final chest X-ray report (US Core DiagnosticReport for report and note exchange) with its conclusion and full text. */
export function buildChestXrayReport(input: {
  id: string;
  patientId: string;
  visit: Visit;
  taken: Date;
  issued: Date;
  reading: ChestXrayFindings;
}): FhirRow {
  const { reading } = input;
  const text = [
    `EXAM: ${chestXray.display} (PA and lateral)`,
    `DATE: ${calendarDate(input.taken)}`,
    `INDICATION: ${reading.indication}`,
    'COMPARISON: None.',
    `FINDINGS: ${reading.findings}`,
    `IMPRESSION: ${reading.impression}`,
    `Electronically signed by ${radiologist}, Radiology.`,
  ].join('\n\n');
  const resource: FhirResource = {
    resourceType: 'DiagnosticReport',
    id: input.id,
    status: 'final',
    category: [
      codeable('http://terminology.hl7.org/CodeSystem/v2-0074', 'RAD', 'Radiology'),
      codeable(systems.loinc, 'LP29684-5', 'Radiology'),
    ],
    code: codeable(systems.loinc, chestXray.loinc, chestXray.display, chestXray.text),
    subject: patientRef(input.patientId),
    ...encounterRef(input.visit),
    effectiveDateTime: fhirDateTime(input.taken),
    issued: fhirDateTime(input.issued),
    performer: [{ display: 'Radiology' }],
    resultsInterpreter: [{ display: radiologist }],
    conclusion: reading.impression,
    presentedForm: [{ contentType: 'text/plain; charset=utf-8', language: 'en-US', title: 'Chest X-ray report', data: base64(text) }],
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: 'RAD',
    code: `${systems.loinc}|${chestXray.loinc}`,
    effectiveAt: input.taken,
    status: 'final',
    isSensitive: false,
    lastUpdated: input.issued,
    encounterId: input.visit.id,
  });
}

/** After-visit instructions for the patient (LOINC 69730-0 Instructions) as a plain-text DocumentReference. */
export function buildInstructions(input: {
  id: string;
  patientId: string;
  visit: Visit;
  organizationName: string;
  paragraphs: string[];
}): FhirRow {
  const { visit } = input;
  const written = new Date(visit.end.getTime() + 5 * minuteMs);
  const text = [
    `After your visit on ${calendarDate(visit.start)} with ${visit.clinician.signature}, ${visit.department.name}`,
    ...input.paragraphs,
    `Questions? Send us a message in the portal or call ${input.organizationName}.`,
  ].join('\n\n');
  const resource: FhirResource = {
    resourceType: 'DocumentReference',
    id: input.id,
    status: 'current',
    docStatus: 'final',
    type: codeable(systems.loinc, '69730-0', 'Instructions', 'After visit instructions'),
    category: [codeable('http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', 'clinical-note', 'Clinical Note')],
    subject: patientRef(input.patientId),
    date: fhirDateTime(written),
    author: [{ display: visit.clinician.signature }],
    description: 'After visit instructions',
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          language: 'en-US',
          title: 'After visit instructions',
          creation: fhirDateTime(written),
          data: base64(text),
        },
      },
    ],
    context: {
      encounter: [{ reference: `Encounter/${visit.id}` }],
      period: { start: fhirDateTime(visit.start), end: fhirDateTime(visit.end) },
    },
  };
  return toRow(resource, {
    patientId: input.patientId,
    category: 'clinical-note',
    code: `${systems.loinc}|69730-0`,
    effectiveAt: written,
    status: 'current',
    isSensitive: false,
    lastUpdated: written,
    encounterId: visit.id,
  });
}
