/**
 * Turns a patient's profile into their clinical record: visits, problems, allergies, prescriptions, results, vaccines,
 * and (care.ts) care plans, goals, procedures, imaging reports and after-visit instructions.
 */
import { allergyDef } from './codes-allergies.ts';
import { generateCare, isSensitiveVisit } from './care.ts';
import { conditionDef, type ConditionKey } from './codes-problems.ts';
import { medicationDef, type MedicationKey } from './codes-medications.ts';
import { vitalCodes, vitalUnits } from './codes-observations.ts';
import {
  buildAllergy,
  buildCondition,
  buildEncounter,
  buildImmunization,
  buildLabObservation,
  buildMedicationRequest,
  buildVitalObservation,
} from './clinical.ts';
import { lotNumber, planImmunizations } from './immunizations.ts';
import { drawLabs, labsForVisit, vitalsForVisit } from './measurements.ts';
import { departmentClinician, type FhirRow, type PatientRecord, type SeedContext, type StaffRecord } from './model.ts';
import type { ClinicalProfile, ProblemPlan } from './profile.ts';
import type { Random } from './random.ts';
import { bookVisits, planVisits, type Scheduler, type Visit } from './visits.ts';
import { ageInYears, daysAfter, daysBefore } from './zoned-time.ts';

/** A patient's generated record: rows to insert, and the visits (recent ones become completed appointments). */
export interface PatientHistory {
  rows: FhirRow[];
  visits: Visit[];
}

const minuteMs = 60_000;

function later(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** The clinician who manages a problem: the specialist for specialty problems, else the PCP. */
function managingClinician(problem: ProblemPlan, patient: PatientRecord, context: SeedContext): StaffRecord {
  const specialty = conditionDef(problem.key).specialty;
  return specialty ? departmentClinician(context, specialty) : patient.pcp;
}

/** Prescriptions for one problem: earlier steps of each course stopped at a dose change, the last active or completed. */
function prescriptionsFor(
  problem: ProblemPlan,
  conditionId: string,
  diagnosedAt: Visit | undefined,
  patient: PatientRecord,
  context: SeedContext,
  random: Random,
): FhirRow[] {
  const { now } = context;
  const def = conditionDef(problem.key);
  const rows: FhirRow[] = [];
  const started = diagnosedAt ? diagnosedAt.end : daysAfter(problem.onset, random.int(0, 10));
  const requester = diagnosedAt && !def.chronic ? diagnosedAt.clinician : managingClinician(problem, patient, context);
  const reason = { conditionId, key: problem.key };
  for (const course of problem.regimen) {
    if (!def.chronic || problem.lastsDays !== null) {
      for (const key of course) {
        const ended = daysAfter(started, medicationDef(key).dispense.days);
        rows.push(
          buildMedicationRequest({
            id: random.uuid(),
            patientId: patient.id,
            key,
            status: ended.getTime() < now.getTime() ? 'completed' : 'active',
            authoredOn: started,
            ended: ended.getTime() < now.getTime() ? ended : null,
            requester,
            reason,
            encounterId: diagnosedAt?.id ?? null,
            isSensitive: def.sensitive,
            now,
          }),
        );
      }
      continue;
    }
    const span = now.getTime() - started.getTime();
    const stepStarts = course.map((_, i) =>
      i === 0 ? started : new Date(started.getTime() + span * (i / course.length) * random.float(0.7, 1)),
    );
    course.forEach((key, i) => {
      const stepStart = stepStarts[i] ?? started;
      const next = stepStarts[i + 1];
      const isCurrent = next === undefined;
      const authoredOn = isCurrent ? later(stepStart, daysBefore(now, random.int(20, 330))) : stepStart;
      rows.push(
        buildMedicationRequest({
          id: random.uuid(),
          patientId: patient.id,
          key,
          status: isCurrent ? 'active' : 'stopped',
          authoredOn,
          ended: next ?? null,
          requester: isCurrent ? requester : managingClinician(problem, patient, context),
          reason,
          encounterId: i === 0 ? (diagnosedAt?.id ?? null) : null,
          isSensitive: def.sensitive,
          now,
        }),
      );
    });
  }
  return rows;
}

function observationsFor(visit: Visit, patient: PatientRecord, profile: ClinicalProfile, now: Date, random: Random): FhirRow[] {
  const rows: FhirRow[] = [];
  const labKeys = labsForVisit(visit, patient, profile, random);
  if (labKeys.length > 0) {
    const effective = new Date(visit.end.getTime() + 10 * minuteMs);
    const issued = new Date(Math.min(effective.getTime() + random.int(4, 30) * 60 * minuteMs, now.getTime() - minuteMs));
    const age = ageInYears(patient.birthDate, effective);
    for (const [key, value] of drawLabs(labKeys, patient, profile, effective, random)) {
      rows.push(
        buildLabObservation({
          id: random.uuid(),
          patientId: patient.id,
          key,
          value,
          sex: patient.sex,
          age,
          effective,
          issued,
          encounterId: visit.id,
        }),
      );
    }
  }
  const vitals = vitalsForVisit(visit, patient, profile, random);
  if (!vitals) return rows;
  const effective = new Date(visit.start.getTime() + 5 * minuteMs);
  const common = { patientId: patient.id, effective, encounterId: visit.id };
  if (vitals.systolic !== null && vitals.diastolic !== null) {
    const code = vitalCodes.bloodPressure;
    rows.push(
      buildVitalObservation({
        ...common,
        id: random.uuid(),
        loinc: code.loinc,
        display: code.display,
        text: code.text,
        value: { systolic: vitals.systolic, diastolic: vitals.diastolic },
      }),
    );
  }
  const singles: [keyof typeof vitalUnits, number | null][] = [
    ['heartRate', vitals.heartRate],
    ['weight', vitals.weightKg],
    ['height', vitals.heightCm],
    ['bmi', vitals.bmi],
  ];
  for (const [key, value] of singles) {
    if (value === null) continue;
    const code = vitalCodes[key];
    const unit = vitalUnits[key];
    rows.push(
      buildVitalObservation({
        ...common,
        id: random.uuid(),
        loinc: code.loinc,
        display: code.display,
        text: code.text,
        value: { value, ...unit },
      }),
    );
  }
  return rows;
}

/** Generates one patient's whole record. Visits are booked through the shared scheduler so no clinician is double-booked. */
export function generateHistory(
  patient: PatientRecord,
  profile: ClinicalProfile,
  context: SeedContext,
  scheduler: Scheduler,
  nurse: StaffRecord | null,
  random: Random,
): PatientHistory {
  const { now } = context;
  const visits = bookVisits(planVisits(patient, profile, context, random.fork('plan')), patient, context, scheduler, random.fork('book'));
  const diagnosedAt = new Map<ConditionKey, Visit>();
  for (const visit of visits) for (const key of visit.diagnoses) if (!diagnosedAt.has(key)) diagnosedAt.set(key, visit);
  // Booking moves visits to open weekday slots; the diagnosing visit's time becomes the onset so Condition and Encounter agree.
  for (const problem of profile.problems) {
    const visit = diagnosedAt.get(problem.key);
    if (visit) problem.onset = visit.start;
  }

  const ids = random.fork('ids');
  const rows: FhirRow[] = [];
  const prescribed = new Set<MedicationKey>();
  const conditionIds = new Map<ConditionKey, string>();
  for (const problem of profile.problems) {
    const visit = diagnosedAt.get(problem.key);
    const resolvedAt = problem.lastsDays === null ? null : daysAfter(problem.onset, problem.lastsDays);
    const conditionId = ids.uuid();
    conditionIds.set(problem.key, conditionId);
    rows.push(
      buildCondition({
        id: conditionId,
        patientId: patient.id,
        key: problem.key,
        onset: problem.onset,
        abatement: resolvedAt && resolvedAt.getTime() < now.getTime() ? resolvedAt : null,
        encounterId: visit?.id ?? null,
        recorder: visit?.clinician ?? patient.pcp,
        now,
      }),
    );
    const prescriptions = prescriptionsFor(problem, conditionId, visit, patient, context, ids);
    problem.regimen.flat().forEach((key) => prescribed.add(key));
    rows.push(...prescriptions);
  }

  for (const allergy of profile.allergies) {
    rows.push(buildAllergy({ id: ids.uuid(), patientId: patient.id, key: allergy.key, recorded: allergy.recorded, recorder: patient.pcp }));
    const rescue = allergyDef(allergy.key).rescue;
    if (rescue && !prescribed.has(rescue)) {
      prescribed.add(rescue);
      rows.push(
        buildMedicationRequest({
          id: ids.uuid(),
          patientId: patient.id,
          key: rescue,
          status: 'active',
          authoredOn: later(allergy.recorded, daysBefore(now, ids.int(30, 300))),
          ended: null,
          requester: patient.pcp,
          reason: null,
          encounterId: null,
          isSensitive: false,
          now,
        }),
      );
    }
  }

  const observations = random.fork('observations');
  for (const visit of visits) {
    const isSensitive = isSensitiveVisit(visit);
    rows.push(buildEncounter({ visit, patientId: patient.id, organizationName: context.organizationName, isSensitive }));
    rows.push(...observationsFor(visit, patient, profile, now, observations));
  }
  rows.push(...generateCare({ patient, profile, context, visits, conditionIds, diagnosedAt, random: random.fork('care') }));

  const vaccines = random.fork('vaccines');
  for (const dose of planImmunizations(patient, now, vaccines)) {
    rows.push(
      buildImmunization({
        id: vaccines.uuid(),
        patientId: patient.id,
        key: dose.key,
        occurrence: dose.at,
        lotNumber: lotNumber(vaccines),
        performer: nurse,
      }),
    );
  }
  return { rows, visits };
}
