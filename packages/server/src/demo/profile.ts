/** Decides what each demo patient has: problems with onset dates and treatments, allergies, body size. */
import { allergyDef, type AllergyKey } from './codes-allergies.ts';
import { conditionDef, type ConditionKey, type Regimen } from './codes-problems.ts';
import type { MedicationKey } from './codes-medications.ts';
import type { PatientRecord } from './model.ts';
import type { Random } from './random.ts';
import { ageInYears, daysBefore } from './zoned-time.ts';

/** One problem on a patient's list. */
export interface ProblemPlan {
  key: ConditionKey;
  onset: Date;
  /** Days from onset to resolution; null for problems that stay active. */
  lastsDays: number | null;
  regimen: Regimen;
}

/** One recorded allergy. */
export interface AllergyPlan {
  key: AllergyKey;
  recorded: Date;
}

/** Everything the history generator needs to know about a patient's health. */
export interface ClinicalProfile {
  problems: ProblemPlan[];
  allergies: AllergyPlan[];
  /** The first visit the demo records; older history is summarized by onset dates only. */
  historyStart: Date;
  /** Adult height, or for children a growth factor times the median curve. */
  heightCm: number;
  weightKg: number;
  growth: number;
  /** Where this patient sits within normal variation, in standard deviations (-1..1). */
  labBias: number;
  /** The HbA1c a diabetic patient settles at once treated. */
  a1cTarget: number;
}

const dayMs = 86_400_000;

/** Picks a treatment the patient can take: pediatric forms for young children, none the patient is allergic to. */
function chooseRegimen(key: ConditionKey, ageAtOnset: number, avoid: ReadonlySet<MedicationKey>, random: Random): Regimen | null {
  const def = conditionDef(key);
  const options = ageAtOnset < 12 && def.pediatricRegimens ? def.pediatricRegimens : def.regimens;
  if (options.length === 0) return [];
  const allowed = options.filter((regimen) => regimen.every((course) => course.every((med) => !avoid.has(med))));
  return allowed.length > 0 ? random.pick(allowed) : null;
}

function avoidedMedications(allergies: readonly AllergyPlan[]): Set<MedicationKey> {
  return new Set(allergies.flatMap((a) => allergyDef(a.key).avoid));
}

function chooseAllergies(age: number, random: Random, now: Date, historyStart: Date): AllergyPlan[] {
  const odds: [AllergyKey, number][] =
    age < 18
      ? [
          ['peanut', 0.08],
          ['egg', 0.06],
          ['treeNut', 0.03],
          ['dustMite', 0.08],
          ['animalDander', 0.06],
          ['penicillin', 0.06],
        ]
      : [
          ['penicillin', 0.12],
          ['sulfonamide', 0.06],
          ['shellfish', 0.05],
          ['latex', 0.04],
          ['beeVenom', 0.03],
          ['grassPollen', 0.08],
          ['dustMite', 0.06],
          ['animalDander', 0.06],
          ['peanut', 0.02],
        ];
  const span = now.getTime() - historyStart.getTime();
  return odds
    .filter(([, p]) => random.chance(p))
    .map(([key]) => ({ key, recorded: new Date(historyStart.getTime() + random.float(0.05, 0.9) * span) }));
}

/** Chronic problems by age and sex, roughly at US prevalence. */
function chronicOdds(age: number, sex: 'female' | 'male'): [ConditionKey, number][] {
  if (age < 18) {
    return [
      ['atopicDermatitis', 0.15],
      ['childhoodAsthma', 0.12],
      ['allergicRhinitis', age >= 4 ? 0.15 : 0],
      ['anxiety', age >= 12 ? 0.12 : 0],
    ];
  }
  const older = (from: number, p: number) => (age >= from ? p : 0);
  return [
    ['hypertension', age >= 40 ? 0.45 : age >= 30 ? 0.12 : 0.03],
    ['hyperlipidemia', older(40, 0.35)],
    ['type2Diabetes', older(40, 0.2)],
    ['prediabetes', older(30, 0.15)],
    ['obesity', 0.18],
    ['asthma', 0.08],
    ['hypothyroidism', older(30, sex === 'female' ? 0.12 : 0.04)],
    ['kneeOsteoarthritis', older(55, 0.3)],
    ['atrialFibrillation', older(65, 0.15)],
    ['coronaryDisease', older(55, sex === 'male' ? 0.15 : 0.07)],
    ['copd', older(55, 0.07)],
    ['allergicRhinitis', 0.18],
    ['migraine', sex === 'female' && age < 56 ? 0.15 : 0.03],
    ['ironDeficiencyAnemia', sex === 'female' && age < 51 ? 0.1 : 0.02],
    ['osteoporosis', sex === 'female' ? older(60, 0.3) : 0],
    ['anxiety', 0.08],
    ['depression', 0.07],
  ];
}

function acuteChoices(age: number, sex: 'female' | 'male'): ConditionKey[] {
  if (age < 8) return ['otitisMedia', 'otitisMedia', 'viralPharyngitis', 'strepThroat', 'acuteBronchitis'];
  if (age < 18) return ['viralPharyngitis', 'strepThroat', 'ankleSprain', 'viralSinusitis', 'acuteBronchitis'];
  const common: ConditionKey[] = ['acuteBronchitis', 'viralPharyngitis', 'viralSinusitis', 'ankleSprain', 'strepThroat'];
  return sex === 'female' ? [...common, 'urinaryTractInfection'] : common;
}

/** A generated profile for a patient, from their age and sex. */
export function randomProfile(patient: PatientRecord, now: Date, random: Random): ClinicalProfile {
  const age = ageInYears(patient.birthDate, now);
  const birth = new Date(`${patient.birthDate}T12:00:00Z`);
  const historyYears = age < 18 ? Math.min(age + 1, 8) : random.int(4, 7);
  const historyStart = new Date(Math.max(birth.getTime() + 3 * dayMs, now.getTime() - historyYears * 365 * dayMs));
  const allergies = chooseAllergies(age, random, now, historyStart);
  const avoid = avoidedMedications(allergies);
  const problems: ProblemPlan[] = [];
  const has = (key: ConditionKey) => problems.some((p) => p.key === key);
  const ageAt = (instant: Date) => ageInYears(patient.birthDate, instant);
  const add = (key: ConditionKey, onset: Date, lastsDays: number | null) => {
    const regimen = chooseRegimen(key, ageAt(onset), avoid, random);
    if (regimen && !has(key)) problems.push({ key, onset, lastsDays, regimen });
  };

  for (const [key, p] of chronicOdds(age, patient.sex)) {
    if (p === 0 || !random.chance(p)) continue;
    if (key === 'prediabetes' && has('type2Diabetes')) continue;
    const earliestYearsAgo = age < 18 ? Math.max(0.3, age - 1) : Math.min(14, age - 17);
    add(key, daysBefore(now, random.float(0.3, Math.max(0.4, earliestYearsAgo)) * 365), null);
  }
  const diabetes = problems.find((p) => p.key === 'type2Diabetes');
  if (diabetes && random.chance(0.4)) {
    const lead = random.int(500, 1100);
    problems.push({ key: 'prediabetes', onset: new Date(diabetes.onset.getTime() - lead * dayMs), lastsDays: lead, regimen: [] });
  }
  if (age >= 60 && (has('hypertension') || has('type2Diabetes')) && random.chance(0.3)) {
    add('chronicKidneyDisease', daysBefore(now, random.int(200, 1800)), null);
  }
  if (age >= 68 && (has('coronaryDisease') || has('atrialFibrillation')) && random.chance(0.4)) {
    add('heartFailure', daysBefore(now, random.int(200, 1500)), null);
  }

  const window = now.getTime() - historyStart.getTime();
  const acuteCount = random.int(1, age < 8 ? 3 : 2);
  for (let i = 0; i < acuteCount; i++) {
    const key = random.pick(acuteChoices(age, patient.sex));
    const [minDays, maxDays] = conditionDef(key).resolvesInDays;
    const onset = new Date(historyStart.getTime() + random.float(0.1, 0.97) * window);
    if (onset.getTime() > now.getTime() - 5 * dayMs) continue;
    add(key, onset, random.int(minDays, maxDays));
  }

  const adultHeight = patient.sex === 'female' ? random.normal(163, 6) : random.normal(177, 7);
  const bmi = has('obesity') ? random.float(31, 37) : random.float(20.5, 28.5);
  return {
    problems,
    allergies,
    historyStart,
    heightCm: adultHeight,
    weightKg: bmi * (adultHeight / 100) ** 2,
    growth: random.float(0.88, 1.12),
    labBias: random.float(-1, 1),
    a1cTarget: random.float(6.6, 7.8),
  };
}

/** Maria Alvarez, the `patient` sign-in: scripted so the demo always shows a rich, coherent record. */
export function scriptedProfileForDemoPatient(now: Date): ClinicalProfile {
  const ago = (days: number) => daysBefore(now, days);
  return {
    problems: [
      { key: 'hypertension', onset: ago(3850), lastsDays: null, regimen: [['lisinopril10', 'lisinopril20']] },
      { key: 'prediabetes', onset: ago(3300), lastsDays: 1100, regimen: [] },
      { key: 'hyperlipidemia', onset: ago(2950), lastsDays: null, regimen: [['atorvastatin20']] },
      { key: 'obesity', onset: ago(2600), lastsDays: null, regimen: [] },
      { key: 'type2Diabetes', onset: ago(2200), lastsDays: null, regimen: [['metforminEr500']] },
      { key: 'allergicRhinitis', onset: ago(5400), lastsDays: null, regimen: [['loratadine10']] },
      { key: 'anxiety', onset: ago(1150), lastsDays: null, regimen: [] },
      { key: 'ankleSprain', onset: ago(1480), lastsDays: 35, regimen: [['ibuprofen200']] },
      { key: 'acuteBronchitis', onset: ago(740), lastsDays: 21, regimen: [['coughSyrup']] },
      { key: 'viralSinusitis', onset: ago(290), lastsDays: 14, regimen: [] },
    ],
    allergies: [
      { key: 'penicillin', recorded: ago(4500) },
      { key: 'shellfish', recorded: ago(3000) },
      { key: 'sulfonamide', recorded: ago(1900) },
    ],
    historyStart: ago(2555),
    heightCm: 162,
    weightKg: 83,
    growth: 1,
    labBias: 0.5,
    a1cTarget: 7.3,
  };
}

/** The problems active at an instant. */
export function activeProblems(profile: ClinicalProfile, at: Date): Set<ConditionKey> {
  const active = new Set<ConditionKey>();
  for (const p of profile.problems) {
    if (p.onset.getTime() > at.getTime()) continue;
    if (p.lastsDays !== null && p.onset.getTime() + p.lastsDays * dayMs < at.getTime()) continue;
    active.add(p.key);
  }
  return active;
}

/** Months since a problem began at an instant, or null when the patient does not have it then. */
export function monthsSinceOnset(profile: ClinicalProfile, key: ConditionKey, at: Date): number | null {
  const problem = profile.problems.find((p) => p.key === key);
  if (!problem || problem.onset.getTime() > at.getTime()) return null;
  return (at.getTime() - problem.onset.getTime()) / (30.4 * dayMs);
}
