import type { HealthSummary, VisitDetail, VisitItem } from '@portico/shared';
import { referenceTarget } from '@portico/fhir';
import type { Database, Executor } from '../../db/client.ts';
import { notFound } from '../../errors.ts';
import { cursorCodec, instantPart, nullablePart, uuidPart, type CursorCodec } from '../../lib/cursor.ts';
import type { Actor, PatientRef, RowFilter } from '../access/access.policy.ts';
import { Refusal, withAuditedPatientAccess, withPatientAccess } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import {
  findProblemCandidates,
  findReferencedResources,
  findResourcesOfTypes,
  findVisibleVisitIds,
  findVisit,
  findVisitPage,
  findVisitResources,
  findVisibleVisitResultIds,
  findVisitAppointments,
  type EffectiveRange,
  type VisitCursor,
} from './record.repository.ts';
import {
  afterVisitNoteText,
  isVitalSign,
  memberIdsOf,
  nameOfResource,
  referencesToName,
  selectAllergies,
  selectCarePlans,
  selectGoals,
  selectMedications,
  selectProblems,
  toCarePlanItem,
  toDiagnosis,
  toImmunizationItem,
  toMeasurementItem,
  toMedicationStarted,
  toProcedure,
  toResultLink,
  toVisitItem,
  type ReferencedNames,
  type StoredResource,
} from './record-view.ts';

/** How many rows of each kind the summary reads at most: a long record stays one bounded query per section. */
const summaryLimits = { problems: 500, allergies: 200, medications: 200, immunizations: 200, carePlans: 100, goals: 100 };
/** How many resources of one visit the visit page reads at most (a long inpatient stay can hold hundreds). */
const visitResourceLimit = 1000;
/** Statuses that mean a resource never happened or was withdrawn (FHIR R4 status value sets). */
const withdrawn: Record<string, readonly string[]> = {
  Procedure: ['entered-in-error', 'not-done', 'preparation'],
  MedicationRequest: ['entered-in-error', 'cancelled', 'draft'],
  CarePlan: ['entered-in-error', 'draft', 'revoked'],
};
const visitResourceTypes = [
  'Condition',
  'Procedure',
  'Observation',
  'DiagnosticReport',
  'MedicationRequest',
  'CarePlan',
  'DocumentReference',
];

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const erroneous = ['entered-in-error'];

/** Names of the resources these rows reference without a display, in one query scoped to the patient's organization. */
async function namesFor(db: Executor, patient: PatientRef, rows: StoredResource[]): Promise<ReferencedNames> {
  const ids = new Set<string>();
  for (const row of rows) {
    for (const reference of referencesToName(row)) {
      const id = referenceTarget(reference)?.id;
      if (id && uuidPattern.test(id)) ids.add(id.toLowerCase());
    }
  }
  const names = new Map<string, string>();
  for (const target of await findReferencedResources(db, patient.organizationId, patient.id, [...ids])) {
    const name = nameOfResource(target.resourceType, target.resource);
    if (name) names.set(target.id, name);
  }
  return names;
}

/**
 * The health summary of a patient whose access was already decided. The export reuses it inside its own audited read,
 * with the days the download covers (each list then keeps only rows dated in them).
 */
export async function readHealthSummary(
  db: Executor,
  patient: PatientRef,
  filter: RowFilter,
  range?: EffectiveRange,
): Promise<HealthSummary> {
  const scope = { patientId: patient.id, filter };
  const conditions = await findProblemCandidates(db, scope, summaryLimits.problems, range);
  const allergies = await findResourcesOfTypes(db, scope, ['AllergyIntolerance'], { except: erroneous }, summaryLimits.allergies, range);
  const medicationTypes = ['MedicationRequest', 'MedicationStatement'];
  const currentMeds = await findResourcesOfTypes(
    db,
    scope,
    medicationTypes,
    { only: ['active', 'on-hold'] },
    summaryLimits.medications,
    range,
  );
  const pastMeds = await findResourcesOfTypes(
    db,
    scope,
    medicationTypes,
    { except: ['active', 'on-hold', 'entered-in-error', 'draft', 'cancelled', 'not-taken', 'intended'] },
    summaryLimits.medications,
    range,
  );
  const immunizations = await findResourcesOfTypes(db, scope, ['Immunization'], { except: erroneous }, summaryLimits.immunizations, range);
  const carePlans = await findResourcesOfTypes(
    db,
    scope,
    ['CarePlan'],
    { except: [...erroneous, 'draft'] },
    summaryLimits.carePlans,
    range,
  );
  const goals = await findResourcesOfTypes(
    db,
    scope,
    ['Goal'],
    { except: [...erroneous, 'rejected', 'cancelled'] },
    summaryLimits.goals,
    range,
  );

  const names = await namesFor(db, patient, [...currentMeds, ...pastMeds, ...carePlans]);
  const encounterIds = [...new Set(conditions.flatMap((c) => (c.encounterId ? [c.encounterId] : [])))];
  const visibleVisits = await findVisibleVisitIds(db, patient.id, encounterIds);
  return {
    problems: selectProblems(conditions, visibleVisits),
    allergies: selectAllergies(allergies),
    medications: selectMedications(currentMeds, pastMeds, names),
    immunizations: immunizations.map(toImmunizationItem),
    carePlans: selectCarePlans(carePlans, names),
    goals: selectGoals(goals),
  };
}

/** GET summary: problems, allergies, medications, immunizations, care plans and goals; an audited clinical read. */
export function getHealthSummary(db: Database, actor: Actor, audit: AuditContext, patientId: string): Promise<HealthSummary> {
  return withPatientAccess(
    db,
    actor,
    audit,
    { patientId, action: 'read', categories: ['clinical'], auditAction: 'record.summary.read' },
    (tx, grant) => readHealthSummary(tx, grant.patient, grant.filter),
  );
}

/**
 * The booked appointment each of these visits was, when the request was allowed the patient's appointments (the
 * policy answered that for the request's `appointments` category; others get none: an appointment they could not open
 * is no use to them).
 */
async function appointmentsOf(db: Executor, withAppointments: boolean, patient: PatientRef, visits: StoredResource[]) {
  if (!withAppointments) return new Map<string, string>();
  const appointmentRef = (row: StoredResource) => {
    const encounter: Partial<fhir4.Encounter> = typeof row.resource === 'object' && row.resource !== null ? row.resource : {};
    const first = Array.isArray(encounter.appointment) ? encounter.appointment[0] : undefined;
    const target = referenceTarget(first);
    return target && (target.type === null || target.type === 'Appointment') && uuidPattern.test(target.id) ? target.id : null;
  };
  return findVisitAppointments(
    db,
    patient.id,
    visits.map((row) => ({ id: row.id, start: row.effectiveAt, appointmentRef: appointmentRef(row) })),
  );
}

/** Visit-page cursors: the (instant or null, id) of the last visit shown. */
export const visitCursors: CursorCodec<VisitCursor> = cursorCodec({ at: nullablePart(instantPart), id: uuidPart });

/**
 * One page of visits of a patient whose access was already decided; the export passes the days it covers. With
 * `withAppointments` (the request was allowed the appointments category), each visit names the booked appointment it was.
 */
export async function readVisitPage(
  db: Executor,
  patient: PatientRef,
  filter: RowFilter,
  after: VisitCursor | null,
  limit: number,
  range?: EffectiveRange,
  withAppointments = false,
): Promise<{ visits: VisitItem[]; nextCursor: string | null }> {
  const rows = await findVisitPage(db, { patientId: patient.id, filter }, after, limit, range);
  const { page, nextCursor } = visitCursors.page(rows, limit, (row) => ({ at: row.sortAt, id: row.id }));
  const names = await namesFor(db, patient, page);
  const appointments = await appointmentsOf(db, withAppointments, patient, page);
  return { visits: page.map((row) => toVisitItem(row, names, appointments.get(row.id) ?? null)), nextCursor };
}

/** GET visits: the patient's past visits, newest first, one page at a time; a malformed cursor is refused before any read. */
export function listVisits(db: Database, actor: Actor, audit: AuditContext, patientId: string, query: { cursor?: string; limit: number }) {
  const after = visitCursors.decodeOptional(query.cursor);
  return withPatientAccess(
    db,
    actor,
    audit,
    { patientId, action: 'read', categories: ['clinical', 'appointments'], auditAction: 'record.visits.read' },
    (tx, grant) => readVisitPage(tx, grant.patient, grant.filter, after, query.limit, undefined, grant.allowed.has('appointments')),
  );
}

function ofType(rows: StoredResource[], resourceType: string): StoredResource[] {
  return rows.filter((row) => row.resourceType === resourceType);
}

/** One visit and what came of it, for a patient whose access was already decided; undefined when it is not theirs. */
export async function readVisit(
  db: Executor,
  patient: PatientRef,
  visitId: string,
  filter: RowFilter,
  withAppointments = false,
): Promise<VisitDetail | undefined> {
  const scope = { patientId: patient.id, filter };
  const visit = await findVisit(db, scope, visitId);
  if (!visit) return undefined;
  const rows = await findVisitResources(db, scope, visitId, visitResourceTypes, visitResourceLimit);
  const live = rows.filter((row) => !(withdrawn[row.resourceType] ?? erroneous).includes(row.status ?? ''));
  const observations = ofType(live, 'Observation');
  const reports = ofType(live, 'DiagnosticReport');
  const members = new Set(reports.flatMap(memberIdsOf));
  const visibleResults = await findVisibleVisitResultIds(db, patient.id, visitId, filter);
  const results = [...reports, ...observations].filter((row) => visibleResults.has(row.id) && !members.has(row.id) && !isVitalSign(row));
  const carePlans = ofType(live, 'CarePlan');
  const medications = ofType(live, 'MedicationRequest');
  const names = await namesFor(db, patient, [visit, ...carePlans, ...medications]);
  const appointments = await appointmentsOf(db, withAppointments, patient, [visit]);
  return {
    visit: toVisitItem(visit, names, appointments.get(visit.id) ?? null),
    diagnoses: ofType(live, 'Condition').flatMap((row) => toDiagnosis(row) ?? []),
    procedures: ofType(live, 'Procedure').map(toProcedure),
    vitals: observations.filter(isVitalSign).flatMap((row) => toMeasurementItem(row) ?? []),
    medicationsStarted: medications.map((row) => toMedicationStarted(row, names)),
    results: results.map(toResultLink),
    afterVisit: {
      carePlans: carePlans.map((row) => toCarePlanItem(row, names)),
      notes: ofType(live, 'DocumentReference').flatMap((row) => afterVisitNoteText(row) ?? []),
    },
  };
}

/**
 * GET one visit: an audited clinical read naming the visit. Results held from the patient are left out unless the
 * reader may see holds (the care team). A visit that is not the patient's answers 404 and is audited as denied.
 */
export function getVisit(db: Database, actor: Actor, audit: AuditContext, patientId: string, visitId: string): Promise<VisitDetail> {
  const request = {
    patientId,
    action: 'read' as const,
    categories: ['clinical' as const, 'result_holds' as const, 'appointments' as const],
    auditAction: 'record.visit.read',
    auditDetails: { visitId },
  };
  return withAuditedPatientAccess(db, actor, audit, request, async (tx, patient, allowed, grant) => {
    const detail = await readVisit(tx, patient, visitId, grant.filter, allowed.has('appointments'));
    if (!detail) throw new Refusal('denied', 'no_such_visit', notFound('The visit'));
    return detail;
  });
}
