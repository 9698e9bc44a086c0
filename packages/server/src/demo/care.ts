/**
 * What follows from a patient's problems beyond prescriptions and results: care plans with goals, procedures done at
 * visits, chest X-rays with their reports, and the instructions each visit sends home.
 */
import { buildCarePlan, buildChestXrayReport, buildGoal, buildInstructions, buildProcedure } from './clinical-care.ts';
import { carePlans, chestXrayFindings, procedures, sickVisitInstructions, type ProcedureKey } from './codes-care.ts';
import { conditionDef, type ConditionKey } from './codes-problems.ts';
import type { FhirRow, PatientRecord, SeedContext } from './model.ts';
import type { ClinicalProfile } from './profile.ts';
import type { Random } from './random.ts';
import type { Visit } from './visits.ts';
import { ageInYears, daysAfter } from './zoned-time.ts';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

/** A problem visit about sensitive problems only: its Encounter is marked sensitive and nothing else is written for it. */
export function isSensitiveVisit(visit: Visit): boolean {
  const reasons = [...visit.reasons, ...visit.diagnoses];
  const problemVisit = visit.kind !== 'annual' && visit.kind !== 'wellChild';
  return problemVisit && reasons.length > 0 && reasons.every((key) => conditionDef(key).sensitive);
}

/** What the care generator needs from the history already generated. */
export interface CareInput {
  patient: PatientRecord;
  profile: ClinicalProfile;
  context: SeedContext;
  visits: readonly Visit[];
  /** The Condition row id of each problem. */
  conditionIds: ReadonlyMap<ConditionKey, string>;
  /** The visit at which each problem was diagnosed, when it falls in the recorded history. */
  diagnosedAt: ReadonlyMap<ConditionKey, Visit>;
  random: Random;
}

const heartProblems: readonly ConditionKey[] = ['atrialFibrillation', 'coronaryDisease', 'heartFailure'];
const lungProblems: readonly ConditionKey[] = ['asthma', 'childhoodAsthma', 'copd'];

/** The procedures done at a visit, in the order they were done. */
function proceduresAt(visit: Visit, patient: PatientRecord, random: Random): ProcedureKey[] {
  const about = new Set<ConditionKey>([...visit.reasons, ...visit.diagnoses]);
  const diagnosed = new Set<ConditionKey>(visit.diagnoses);
  const inPerson = visit.kind !== 'video';
  const keys: ProcedureKey[] = [];
  if (visit.kind === 'annual' && ageInYears(patient.birthDate, visit.start) >= 12) keys.push('depressionScreening');
  if (visit.kind === 'followUp' || visit.kind === 'video' || visit.kind === 'consult') keys.push('medicationReconciliation');
  if (!inPerson) return keys;
  // A yearly foot exam (ADA Standards of Care): at the checkup, the diagnosis and the endocrinology consult.
  if (about.has('type2Diabetes') && (visit.kind !== 'followUp' || diagnosed.has('type2Diabetes'))) keys.push('diabeticFootExam');
  if (heartProblems.some((key) => about.has(key)) || diagnosed.has('hypertension')) keys.push('electrocardiogram');
  if (lungProblems.some((key) => diagnosed.has(key) || (about.has(key) && (visit.kind === 'consult' || random.chance(0.3))))) {
    keys.push('spirometry');
  }
  if (diagnosed.has('ankleSprain')) keys.push('immobilization');
  if (diagnosed.has('strepThroat') || diagnosed.has('viralPharyngitis')) keys.push('throatCulture');
  if (visit.diagnoses.some((key) => chestXrayFindings[key])) keys.push('chestXray');
  return keys;
}

/** Care plans and goals, procedures, X-ray reports and after-visit instructions for one patient. Deterministic. */
export function generateCare(input: CareInput): FhirRow[] {
  const { patient, profile, context, visits, random } = input;
  const { now } = context;
  const ids = random.fork('ids');
  const rows: FhirRow[] = [];
  const instructions = new Map<Visit, string[]>();
  const instruct = (visit: Visit, text: string) => instructions.set(visit, [...(instructions.get(visit) ?? []), text]);

  for (const problem of profile.problems) {
    const def = carePlans[problem.key];
    const conditionId = input.conditionIds.get(problem.key);
    if (!def || !conditionId || conditionDef(problem.key).sensitive) continue;
    const condition = { id: conditionId, text: conditionDef(problem.key).text };
    // Begun where the problem was diagnosed, else at the first recorded visit that addressed it, else at onset.
    const visit =
      input.diagnosedAt.get(problem.key) ??
      visits.find((v) => v.reasons.includes(problem.key) && !isSensitiveVisit(v) && v.start.getTime() >= problem.onset.getTime()) ??
      null;
    const start = visit ? visit.end : problem.onset;
    const resolvedAt = problem.lastsDays === null ? null : daysAfter(problem.onset, problem.lastsDays);
    const end = resolvedAt && resolvedAt.getTime() < now.getTime() ? resolvedAt : null;
    const author = visit?.clinician ?? patient.pcp;
    const goalIds: string[] = [];
    for (const goal of def.goals) {
      const id = ids.uuid();
      goalIds.push(id);
      rows.push(
        buildGoal({
          id,
          patientId: patient.id,
          def: goal,
          condition,
          start,
          due: end ?? daysAfter(now, goal.dueMonths * 30),
          weightKg: profile.weightKg,
          completed: end !== null,
          expressedBy: author,
          now,
        }),
      );
    }
    rows.push(buildCarePlan({ id: ids.uuid(), patientId: patient.id, def, condition, goalIds, visit, start, end, author, now }));
    if (visit) instruct(visit, def.instructions);
  }

  for (const visit of visits) {
    if (isSensitiveVisit(visit)) continue;
    proceduresAt(visit, patient, ids).forEach((key, i) => {
      const afterVisit = key === 'chestXray';
      const start = afterVisit ? new Date(visit.end.getTime() + 5 * minuteMs) : new Date(visit.start.getTime() + (5 + 4 * i) * minuteMs);
      rows.push(
        buildProcedure({ id: ids.uuid(), patientId: patient.id, code: procedures[key], visit, start, minutes: afterVisit ? 10 : 3 }),
      );
    });
    const xrayFor = visit.kind === 'video' ? undefined : visit.diagnoses.find((key) => chestXrayFindings[key]);
    const reading = xrayFor ? chestXrayFindings[xrayFor] : undefined;
    if (reading) {
      const taken = new Date(visit.end.getTime() + 5 * minuteMs);
      const issued = new Date(Math.min(taken.getTime() + ids.int(2, 6) * hourMs, now.getTime() - minuteMs));
      rows.push(buildChestXrayReport({ id: ids.uuid(), patientId: patient.id, visit, taken, issued, reading }));
    }
    for (const key of visit.diagnoses) {
      const text = sickVisitInstructions[key];
      if (text) instruct(visit, text);
    }
  }

  for (const [visit, paragraphs] of instructions) {
    rows.push(buildInstructions({ id: ids.uuid(), patientId: patient.id, visit, organizationName: context.organizationName, paragraphs }));
  }
  return rows;
}
