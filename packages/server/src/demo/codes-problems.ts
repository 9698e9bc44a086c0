/** Problems (SNOMED CT with ICD-10-CM) and allergies the demo patients have, with how each is treated and followed. */
import type { MedicationKey } from './codes-medications.ts';
import type { DepartmentKey } from './roster.ts';

/** One medicine's course: each step was stopped when the next began (a dose change); the last is current. */
export type Course = readonly MedicationKey[];
/** Courses taken side by side for one problem. */
export type Regimen = readonly Course[];

/** A problem-list entry and what follows from it. */
export interface ConditionDef {
  text: string;
  snomed: string;
  snomedDisplay: string;
  icd10: string;
  icd10Display: string;
  /** Chronic problems stay active; the others resolve after `resolvesInDays`. */
  chronic: boolean;
  /** Mental health and similar: hidden from proxies and outside providers without consent (DESIGN.md). */
  sensitive: boolean;
  /** Treatment options for adults and teens; one is chosen per patient. */
  regimens: readonly Regimen[];
  /** Treatment options for children under 12, when they differ. */
  pediatricRegimens?: readonly Regimen[];
  /** The department that follows it when primary care does not. */
  specialty: DepartmentKey | null;
  /** Months between follow-up visits, or null when the yearly visit suffices. */
  followUpMonths: number | null;
  resolvesInDays: readonly [number, number];
}

function chronic(
  text: string,
  snomed: [string, string],
  icd10: [string, string],
  extra: Partial<Pick<ConditionDef, 'regimens' | 'pediatricRegimens' | 'specialty' | 'followUpMonths' | 'sensitive'>> = {},
): ConditionDef {
  return {
    text,
    snomed: snomed[0],
    snomedDisplay: snomed[1],
    icd10: icd10[0],
    icd10Display: icd10[1],
    chronic: true,
    sensitive: extra.sensitive ?? false,
    regimens: extra.regimens ?? [],
    ...(extra.pediatricRegimens ? { pediatricRegimens: extra.pediatricRegimens } : {}),
    specialty: extra.specialty ?? null,
    followUpMonths: extra.followUpMonths ?? null,
    resolvesInDays: [0, 0],
  };
}

function acute(
  text: string,
  snomed: [string, string],
  icd10: [string, string],
  resolvesInDays: [number, number],
  regimens: readonly Regimen[] = [],
  pediatricRegimens?: readonly Regimen[],
): ConditionDef {
  return {
    ...chronic(text, snomed, icd10, { regimens, ...(pediatricRegimens ? { pediatricRegimens } : {}) }),
    chronic: false,
    resolvesInDays,
  };
}

/** Every problem the demo uses, by key. */
export const conditions = {
  hypertension: chronic(
    'Essential hypertension',
    ['59621000', 'Essential hypertension (disorder)'],
    ['I10', 'Essential (primary) hypertension'],
    {
      regimens: [[['lisinopril10', 'lisinopril20']], [['amlodipine2_5', 'amlodipine5']], [['losartan50'], ['hydrochlorothiazide25']]],
      followUpMonths: 6,
    },
  ),
  type2Diabetes: chronic(
    'Type 2 diabetes mellitus',
    ['44054006', 'Diabetes mellitus type 2 (disorder)'],
    ['E11.9', 'Type 2 diabetes mellitus without complications'],
    { regimens: [[['metforminEr500']], [['metforminEr500'], ['liraglutide']]], specialty: 'endocrinology', followUpMonths: 3 },
  ),
  prediabetes: chronic('Prediabetes', ['15777000', 'Prediabetes (finding)'], ['R73.03', 'Prediabetes']),
  hyperlipidemia: chronic('Hyperlipidemia', ['55822004', 'Hyperlipidemia (disorder)'], ['E78.5', 'Hyperlipidemia, unspecified'], {
    regimens: [[['atorvastatin20']], [['simvastatin20']], [['atorvastatin20', 'atorvastatin40']]],
  }),
  asthma: chronic('Asthma', ['195967001', 'Asthma (disorder)'], ['J45.909', 'Unspecified asthma, uncomplicated'], {
    regimens: [[['albuterolInhaler']], [['albuterolInhaler'], ['fluticasoneInhaler']]],
    followUpMonths: 12,
  }),
  childhoodAsthma: chronic(
    'Childhood asthma',
    ['233678006', 'Childhood asthma (disorder)'],
    ['J45.909', 'Unspecified asthma, uncomplicated'],
    {
      regimens: [[['albuterolInhaler'], ['fluticasoneInhaler']]],
      followUpMonths: 6,
    },
  ),
  hypothyroidism: chronic('Hypothyroidism', ['40930008', 'Hypothyroidism (disorder)'], ['E03.9', 'Hypothyroidism, unspecified'], {
    regimens: [[['levothyroxine75']]],
    followUpMonths: 12,
  }),
  obesity: chronic('Obesity', ['414916001', 'Obesity (disorder)'], ['E66.9', 'Obesity, unspecified']),
  kneeOsteoarthritis: chronic(
    'Osteoarthritis of knee',
    ['239873007', 'Osteoarthritis of knee (disorder)'],
    ['M17.9', 'Osteoarthritis of knee, unspecified'],
    { regimens: [[['naproxen220']], [['acetaminophen325']]] },
  ),
  chronicKidneyDisease: chronic(
    'Chronic kidney disease, stage 3',
    ['433144002', 'Chronic kidney disease stage 3 (disorder)'],
    ['N18.30', 'Chronic kidney disease, stage 3 unspecified'],
    { followUpMonths: 6 },
  ),
  atrialFibrillation: chronic(
    'Atrial fibrillation',
    ['49436004', 'Atrial fibrillation (disorder)'],
    ['I48.91', 'Unspecified atrial fibrillation'],
    { regimens: [[['metoprololEr100'], ['warfarin5']]], specialty: 'cardiology', followUpMonths: 6 },
  ),
  coronaryDisease: chronic(
    'Coronary artery disease',
    ['53741008', 'Coronary arteriosclerosis (disorder)'],
    ['I25.10', 'Atherosclerotic heart disease of native coronary artery without angina pectoris'],
    { regimens: [[['aspirin81'], ['clopidogrel75'], ['nitroglycerinSpray']]], specialty: 'cardiology', followUpMonths: 6 },
  ),
  heartFailure: chronic(
    'Chronic congestive heart failure',
    ['88805009', 'Chronic congestive heart failure (disorder)'],
    ['I50.9', 'Heart failure, unspecified'],
    { regimens: [[['furosemide40'], ['carvedilol25']]], specialty: 'cardiology', followUpMonths: 4 },
  ),
  copd: chronic(
    'Chronic obstructive pulmonary disease',
    ['185086009', 'Chronic obstructive bronchitis (disorder)'],
    ['J44.9', 'Chronic obstructive pulmonary disease, unspecified'],
    { regimens: [[['fluticasoneSalmeterol'], ['albuterolInhaler']]], followUpMonths: 6 },
  ),
  allergicRhinitis: chronic(
    'Seasonal allergic rhinitis',
    ['367498001', 'Seasonal allergic rhinitis (disorder)'],
    ['J30.2', 'Other seasonal allergic rhinitis'],
    { regimens: [[['loratadine10']], [['cetirizine10']]], pediatricRegimens: [[['loratadine5Chewable']], [['fexofenadine30']]] },
  ),
  atopicDermatitis: chronic(
    'Eczema (atopic dermatitis)',
    ['24079001', 'Atopic dermatitis (disorder)'],
    ['L20.9', 'Atopic dermatitis, unspecified'],
    {
      regimens: [[['hydrocortisoneCream']]],
    },
  ),
  ironDeficiencyAnemia: chronic(
    'Iron deficiency anemia',
    ['87522002', 'Iron deficiency anemia (disorder)'],
    ['D50.9', 'Iron deficiency anemia, unspecified'],
    { regimens: [[['ferrousSulfate325']]], followUpMonths: 6 },
  ),
  osteoporosis: chronic(
    'Osteoporosis',
    ['64859006', 'Osteoporosis (disorder)'],
    ['M81.0', 'Age-related osteoporosis without current pathological fracture'],
    { regimens: [[['alendronate10']]] },
  ),
  migraine: chronic(
    'Migraine',
    ['37796009', 'Migraine (disorder)'],
    ['G43.909', 'Migraine, unspecified, not intractable, without status migrainosus'],
    { regimens: [[['naproxen220']]] },
  ),
  anxiety: chronic(
    'Generalized anxiety disorder',
    ['21897009', 'Generalized anxiety disorder (disorder)'],
    ['F41.1', 'Generalized anxiety disorder'],
    { sensitive: true, followUpMonths: 6 },
  ),
  depression: chronic('Depression', ['35489007', 'Depressive disorder (disorder)'], ['F32.A', 'Depression, unspecified'], {
    sensitive: true,
    followUpMonths: 6,
  }),
  acuteBronchitis: acute(
    'Acute bronchitis',
    ['10509002', 'Acute bronchitis (disorder)'],
    ['J20.9', 'Acute bronchitis, unspecified'],
    [14, 28],
    [[['coughSyrup']]],
  ),
  viralPharyngitis: acute(
    'Sore throat (viral pharyngitis)',
    ['195662009', 'Acute viral pharyngitis (disorder)'],
    ['J02.9', 'Acute pharyngitis, unspecified'],
    [6, 12],
    [[['acetaminophen325']]],
    [[['acetaminophen160']]],
  ),
  strepThroat: acute(
    'Strep throat',
    ['43878008', 'Streptococcal sore throat (disorder)'],
    ['J02.0', 'Streptococcal pharyngitis'],
    [7, 10],
    [[['penicillinV500']]],
    [[['amoxicillin250']]],
  ),
  otitisMedia: acute(
    'Ear infection (otitis media)',
    ['65363002', 'Otitis media (disorder)'],
    ['H66.90', 'Otitis media, unspecified, unspecified ear'],
    [7, 14],
    [[['amoxicillin250']]],
  ),
  viralSinusitis: acute(
    'Sinus infection (viral sinusitis)',
    ['444814009', 'Viral sinusitis (disorder)'],
    ['J01.90', 'Acute sinusitis, unspecified'],
    [10, 20],
  ),
  ankleSprain: acute(
    'Sprained ankle',
    ['44465007', 'Sprain of ankle (disorder)'],
    ['S93.409A', 'Sprain of unspecified ligament of unspecified ankle, initial encounter'],
    [21, 42],
    [[['ibuprofen200']]],
  ),
  urinaryTractInfection: acute(
    'Urinary tract infection',
    ['68566005', 'Urinary tract infectious disease (disorder)'],
    ['N39.0', 'Urinary tract infection, site not specified'],
    [5, 10],
    [[['nitrofurantoin100']]],
  ),
} satisfies Record<string, ConditionDef>;

/** Key of a demo problem. */
export type ConditionKey = keyof typeof conditions;

/** A problem's definition under its declared type. */
export function conditionDef(key: ConditionKey): ConditionDef {
  return conditions[key];
}
