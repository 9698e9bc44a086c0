/** Which labs and vitals each visit records, and believable values that follow the patient's problems over time. */
import type { ConditionKey } from './codes-problems.ts';
import { labDef, type LabKey } from './codes-observations.ts';
import type { PatientRecord } from './model.ts';
import { activeProblems, monthsSinceOnset, type ClinicalProfile } from './profile.ts';
import type { Random } from './random.ts';
import type { Visit } from './visits.ts';
import { ageInYears } from './zoned-time.ts';

const lipidPanel: readonly LabKey[] = ['ldl', 'hdl', 'triglycerides', 'cholesterol'];
const basicPanel: readonly LabKey[] = ['glucose', 'sodium', 'potassium', 'creatinine'];

/** Labs drawn at a visit: a yearly panel for adults, and what each problem followed at the visit calls for. */
export function labsForVisit(visit: Visit, patient: PatientRecord, profile: ClinicalProfile, random: Random): LabKey[] {
  if (visit.kind === 'video') return [];
  const age = ageInYears(patient.birthDate, visit.start);
  const active = activeProblems(profile, visit.start);
  const wanted = new Set<LabKey>();
  const want = (...keys: readonly LabKey[]) => keys.forEach((key) => wanted.add(key));
  if (visit.kind === 'wellChild') {
    if ((age === 1 || age === 15) && random.chance(0.8)) want('hemoglobin');
    return [...wanted];
  }
  if (visit.kind === 'annual' && age >= 18) {
    want(...basicPanel, 'hemoglobin');
    if (age >= 30 || active.has('hyperlipidemia')) want(...lipidPanel);
    if (active.has('type2Diabetes') || active.has('prediabetes') || (age >= 35 && random.chance(0.5))) want('hemoglobinA1c');
    if (active.has('hypothyroidism') || random.chance(0.25)) want('tsh');
  }
  const followed = new Set<ConditionKey>([...visit.reasons, ...visit.diagnoses].filter((key) => active.has(key)));
  const follows = (...keys: readonly ConditionKey[]) => keys.some((key) => followed.has(key));
  if (follows('type2Diabetes', 'prediabetes')) {
    want('hemoglobinA1c', 'glucose');
    if (random.chance(0.5)) want('creatinine', 'potassium');
  }
  if (follows('hypertension', 'heartFailure', 'atrialFibrillation')) want('creatinine', 'potassium', 'sodium');
  if (follows('hyperlipidemia', 'coronaryDisease')) want(...lipidPanel);
  if (follows('hypothyroidism')) want('tsh');
  if (follows('chronicKidneyDisease')) want('creatinine', 'potassium', 'hemoglobin');
  if (follows('ironDeficiencyAnemia')) want('hemoglobin');
  return [...wanted];
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * Values for the labs drawn at one instant, shaped by problems, treatment and time since diagnosis.
 * One latent state per draw keeps related results consistent (glucose follows HbA1c, cholesterol adds up).
 */
export function drawLabs(
  keys: readonly LabKey[],
  patient: PatientRecord,
  profile: ClinicalProfile,
  at: Date,
  random: Random,
): Map<LabKey, number> {
  const active = activeProblems(profile, at);
  const bias = profile.labBias;
  const female = patient.sex === 'female';
  const age = ageInYears(patient.birthDate, at);
  const since = (key: ConditionKey) => monthsSinceOnset(profile, key, at);

  let a1c = 5.1 + 0.2 * bias + random.normal(0, 0.12);
  const diabetesMonths = active.has('type2Diabetes') ? since('type2Diabetes') : null;
  if (diabetesMonths !== null) {
    const start = 8.7 + 0.4 * bias;
    a1c = profile.a1cTarget + (start - profile.a1cTarget) * Math.exp(-diabetesMonths / 5) + random.normal(0, 0.2);
  } else if (active.has('prediabetes')) {
    a1c = 5.9 + 0.15 * bias + random.normal(0, 0.12);
  } else {
    a1c = Math.min(a1c, 5.5);
  }

  const lipidMonths = active.has('hyperlipidemia') ? since('hyperlipidemia') : null;
  const ldl =
    lipidMonths === null
      ? 92 + 12 * bias + random.normal(0, 9)
      : lipidMonths < 1.5
        ? 172 + 10 * bias + random.normal(0, 10)
        : 112 + 14 * bias + random.normal(0, 9);
  const metabolic = active.has('type2Diabetes') || active.has('obesity');
  const hdl = (female ? 58 : 47) - (metabolic ? 7 : 0) - 4 * bias + random.normal(0, 5);
  const triglycerides = 115 + (metabolic ? 55 : 0) + 15 * bias + random.normal(0, 22);

  let hemoglobin = age < 12 ? 12.6 : female ? 13.4 : 15.0;
  if (active.has('ironDeficiencyAnemia')) hemoglobin -= 2.6;
  if (active.has('chronicKidneyDisease')) hemoglobin -= 1.1;
  hemoglobin += random.normal(0, 0.5);

  let creatinine = age < 18 ? 0.5 : female ? 0.78 : 1.0;
  if (active.has('chronicKidneyDisease')) creatinine = 1.55 + 0.1 * bias;
  else if (age > 70) creatinine += 0.1;
  creatinine += random.normal(0, 0.07);

  let potassium = 4.2 + random.normal(0, 0.28);
  if (active.has('chronicKidneyDisease')) potassium += 0.45;
  let tsh = 1.8 + 0.4 * bias + random.normal(0, 0.5);
  const thyroidMonths = active.has('hypothyroidism') ? since('hypothyroidism') : null;
  if (thyroidMonths !== null) tsh = thyroidMonths < 2 ? 8.5 + random.normal(0, 1.8) : 2.6 + random.normal(0, 1.1);

  const latent: Record<LabKey, number> = {
    hemoglobinA1c: a1c,
    glucose: 28.7 * a1c - 46.7 - 6 + random.normal(0, 7),
    ldl,
    hdl,
    triglycerides,
    cholesterol: ldl + hdl + triglycerides / 5,
    hemoglobin,
    creatinine,
    potassium,
    sodium: 139.5 + random.normal(0, 1.7),
    tsh: Math.max(0.3, tsh),
  };
  const values = new Map<LabKey, number>();
  for (const key of keys) values.set(key, round(Math.max(0, latent[key]), labDef(key).decimals));
  return values;
}

/** High, low or normal against the reference range (v3 ObservationInterpretation H/L/N). */
export function interpret(value: number, range: { low?: number; high?: number }): 'H' | 'L' | 'N' {
  if (range.high !== undefined && value > range.high) return 'H';
  if (range.low !== undefined && value < range.low) return 'L';
  return 'N';
}

/** Vital signs taken at an in-person visit. */
export interface VitalsReading {
  systolic: number | null;
  diastolic: number | null;
  heartRate: number;
  weightKg: number;
  heightCm: number | null;
  bmi: number | null;
}

/** Median height (cm) and weight (kg) by age, a rough fit to CDC growth charts. */
function childSize(ageYears: number): { height: number; weight: number } {
  if (ageYears < 1) return { height: 50 + 25 * ageYears, weight: 3.4 + 6.3 * ageYears };
  if (ageYears < 2) return { height: 75 + 12 * (ageYears - 1), weight: 9.7 + 2.5 * (ageYears - 1) };
  if (ageYears < 12) return { height: 87 + 6.3 * (ageYears - 2), weight: 12.2 + 2.6 * (ageYears - 2) };
  return { height: 150 + 4.5 * Math.min(ageYears - 12, 5), weight: 38 + 5 * Math.min(ageYears - 12, 6) };
}

/** Vitals for an in-person visit, or null for video visits. */
export function vitalsForVisit(visit: Visit, patient: PatientRecord, profile: ClinicalProfile, random: Random): VitalsReading | null {
  if (visit.kind === 'video') return null;
  const days = (visit.start.getTime() - new Date(`${patient.birthDate}T12:00:00Z`).getTime()) / 86_400_000;
  const ageYears = days / 365.25;
  const active = activeProblems(profile, visit.start);
  const checkup = visit.kind === 'annual' || visit.kind === 'wellChild';
  if (ageYears < 18) {
    const size = childSize(ageYears);
    const height = size.height * (0.5 + profile.growth / 2);
    const weight = size.weight * profile.growth * random.float(0.97, 1.03);
    const bp = ageYears >= 3 ? { systolic: random.int(96, 114), diastolic: random.int(56, 72) } : { systolic: null, diastolic: null };
    const heartRate = ageYears < 1 ? random.int(115, 145) : ageYears < 6 ? random.int(90, 120) : random.int(72, 100);
    return {
      ...bp,
      heartRate,
      weightKg: round(weight, 1),
      heightCm: checkup ? round(height, 1) : null,
      bmi: checkup && ageYears >= 2 ? round(weight / (height / 100) ** 2, 1) : null,
    };
  }
  const treated = active.has('hypertension') && (monthsSinceOnset(profile, 'hypertension', visit.start) ?? 0) > 2;
  const systolic = active.has('hypertension') ? (treated ? random.int(124, 142) : random.int(142, 158)) : random.int(106, 128);
  const diastolic = active.has('hypertension') ? (treated ? random.int(76, 89) : random.int(88, 98)) : random.int(66, 82);
  const heartRate = active.has('atrialFibrillation') ? random.int(72, 104) : random.int(60, 86);
  const weight = profile.weightKg * random.float(0.97, 1.03);
  return {
    systolic,
    diastolic,
    heartRate,
    weightKg: round(weight, 1),
    heightCm: checkup ? round(profile.heightCm, 1) : null,
    bmi: round(weight / (profile.heightCm / 100) ** 2, 1),
  };
}
