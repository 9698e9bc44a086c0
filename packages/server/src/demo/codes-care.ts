/**
 * Care plans, goals, procedures, imaging reports and after-visit instructions the demo writes (SNOMED CT and LOINC, as
 * Synthea uses them), keyed by the problem they belong to.
 */
import type { ConditionKey } from './codes-problems.ts';

/** A SNOMED CT concept: code, display, and the words a patient reads. */
export type Concept = readonly [code: string, display: string, text: string];

/** One measurable target of a goal (FHIR Goal.target): a LOINC measure and the wanted value. */
export interface GoalTargetDef {
  loinc: string;
  display: string;
  text: string;
  comparator: '<' | '>';
  /** The wanted value; `ofWeight` instead makes it that fraction of the patient's weight. */
  value: number;
  ofWeight?: number;
  unit: string;
  ucum: string;
}

/** A goal agreed with the patient when a care plan begins. */
export interface GoalDef {
  description: string;
  targets: readonly GoalTargetDef[];
  /** Months from the seed's `now` to the targets' due date (goals are reviewed at every visit, so it is always ahead). */
  dueMonths: number;
}

/** A care plan for a problem: its category, what it asks of the patient, its goals and the instructions given. */
export interface CarePlanDef {
  title: string;
  category: Concept;
  activities: readonly Concept[];
  goals: readonly GoalDef[];
  /** After-visit instructions written when the plan begins. */
  instructions: string;
}

const systolic = { loinc: '8480-6', display: 'Systolic blood pressure', text: 'Systolic blood pressure', unit: 'mmHg', ucum: 'mm[Hg]' };
const diastolic = { loinc: '8462-4', display: 'Diastolic blood pressure', text: 'Diastolic blood pressure', unit: 'mmHg', ucum: 'mm[Hg]' };

const asthmaPlan: CarePlanDef = {
  title: 'Asthma action plan',
  category: ['699728000', 'Asthma self management (regime/therapy)', 'Asthma self-management'],
  activities: [
    ['710818004', 'Inhaled steroid therapy (procedure)', 'Use the controller inhaler every day'],
    ['58332002', 'Allergy education (procedure)', 'Avoid known triggers'],
  ],
  goals: [{ description: 'Asthma symptoms on no more than 2 days a week', targets: [], dueMonths: 6 }],
  instructions:
    'Use your controller inhaler every day, even when you feel well. Use the rescue inhaler when you cough, wheeze or feel tight in the chest. If you need the rescue inhaler more than twice a week, call us.',
};

/** Care plans by problem; problems without one (and sensitive ones) get none. */
export const carePlans: Partial<Record<ConditionKey, CarePlanDef>> = {
  hypertension: {
    title: 'Blood pressure care plan',
    category: ['443402002', 'Lifestyle education regarding hypertension (procedure)', 'Hypertension lifestyle education'],
    activities: [
      ['183063000', 'Low salt diet education (procedure)', 'Eat less salt (under 2,300 mg a day)'],
      ['183301007', 'Physical exercise (regime/therapy)', 'Walk or exercise 30 minutes, 5 days a week'],
      ['413473000', 'Counseling about alcohol consumption (procedure)', 'Limit alcohol'],
    ],
    goals: [
      {
        description: 'Keep blood pressure below 130/80 mmHg',
        targets: [
          { ...systolic, comparator: '<', value: 130 },
          { ...diastolic, comparator: '<', value: 80 },
        ],
        dueMonths: 6,
      },
    ],
    instructions:
      'Check your blood pressure at home a few times a week and bring the readings to your next visit. Take your blood pressure medicine every day at the same time. Eat less salt and stay active.',
  },
  type2Diabetes: {
    title: 'Diabetes self-management plan',
    category: ['698360004', 'Diabetes self management plan (record artifact)', 'Diabetes self-management'],
    activities: [
      ['160670007', 'Diabetic diet (finding)', 'Follow a diabetes meal plan'],
      ['229065009', 'Exercise therapy (regime/therapy)', 'Exercise 150 minutes a week'],
    ],
    goals: [
      {
        description: 'Hemoglobin A1c below 7.0%',
        targets: [
          {
            loinc: '4548-4',
            display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
            text: 'Hemoglobin A1c',
            comparator: '<',
            value: 7,
            unit: '%',
            ucum: '%',
          },
        ],
        dueMonths: 6,
      },
      { description: 'Check both feet every day for sores, blisters or redness', targets: [], dueMonths: 12 },
    ],
    instructions:
      'Take metformin with your evening meal. Check your feet every day. Choose water over sweet drinks and fill half your plate with vegetables. We will check your A1c again in 3 months.',
  },
  hyperlipidemia: {
    title: 'Cholesterol care plan',
    category: ['736285004', 'Hyperlipidemia clinical management plan (record artifact)', 'Hyperlipidemia management'],
    activities: [
      ['226234005', 'Healthy diet (finding)', 'Eat a heart-healthy diet'],
      ['183301007', 'Physical exercise (regime/therapy)', 'Stay physically active'],
    ],
    goals: [
      {
        description: 'LDL cholesterol below 100 mg/dL',
        targets: [
          {
            loinc: '13457-7',
            display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation',
            text: 'LDL cholesterol',
            comparator: '<',
            value: 100,
            unit: 'mg/dL',
            ucum: 'mg/dL',
          },
        ],
        dueMonths: 12,
      },
    ],
    instructions:
      'Take your statin every evening. Eat more fiber, fish and nuts and less fried food. We will recheck your cholesterol in a year.',
  },
  obesity: {
    title: 'Weight management plan',
    category: ['718361005', 'Weight management program (regime/therapy)', 'Weight management'],
    activities: [
      ['226234005', 'Healthy diet (finding)', 'Smaller portions, fewer sweet drinks'],
      ['229065009', 'Exercise therapy (regime/therapy)', 'Build up to 150 minutes of activity a week'],
    ],
    goals: [
      {
        description: 'Lose 5% of body weight',
        targets: [
          {
            loinc: '29463-7',
            display: 'Body weight',
            text: 'Body weight',
            comparator: '<',
            value: 0,
            ofWeight: 0.95,
            unit: 'kg',
            ucum: 'kg',
          },
        ],
        dueMonths: 12,
      },
    ],
    instructions: 'Aim to lose about 1 pound a week. Keep a food diary for two weeks and bring it to your next visit.',
  },
  asthma: asthmaPlan,
  childhoodAsthma: asthmaPlan,
  copd: {
    title: 'COPD care plan',
    category: ['412776001', 'Chronic obstructive pulmonary disease clinical management plan (record artifact)', 'COPD management'],
    activities: [
      ['229298005', 'Breathing control (regime/therapy)', 'Pursed-lip breathing exercises'],
      ['15081005', 'Pulmonary rehabilitation (regime/therapy)', 'Pulmonary rehabilitation'],
    ],
    goals: [
      {
        description: 'Oxygen saturation above 90%',
        targets: [
          {
            loinc: '59408-5',
            display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
            text: 'Oxygen saturation',
            comparator: '>',
            value: 90,
            unit: '%',
            ucum: '%',
          },
        ],
        dueMonths: 6,
      },
    ],
    instructions:
      'Use your inhalers as prescribed and practice pursed-lip breathing. Get your flu shot every fall. Call us if you cough up more mucus or feel more short of breath.',
  },
  heartFailure: {
    title: 'Heart failure care plan',
    category: ['735984001', 'Heart failure self management plan (record artifact)', 'Heart failure self-management'],
    activities: [
      ['386619000', 'Low sodium diet (finding)', 'Low-salt diet'],
      ['385715006', 'Cardiac care (regime/therapy)', 'Weigh yourself every morning'],
    ],
    goals: [{ description: 'Weight within 1 kg of your dry weight', targets: [], dueMonths: 3 }],
    instructions:
      'Weigh yourself every morning before breakfast. Call us if you gain more than 2 pounds in a day or 5 pounds in a week, or if your ankles swell.',
  },
  kneeOsteoarthritis: {
    title: 'Knee osteoarthritis care plan',
    category: ['91251008', 'Physical therapy procedure (regime/therapy)', 'Physical therapy'],
    activities: [
      ['229070002', 'Stretching exercises (regime/therapy)', 'Daily stretching exercises'],
      ['266694003', 'Heat therapy (procedure)', 'Warm compress before activity'],
    ],
    goals: [{ description: 'Walk 30 minutes without knee pain', targets: [], dueMonths: 6 }],
    instructions: 'Do the stretching exercises from your handout every day. A warm compress before walking can ease stiffness.',
  },
  ankleSprain: {
    title: 'Sprained ankle recovery plan',
    category: ['91251008', 'Physical therapy procedure (regime/therapy)', 'Physical therapy'],
    activities: [
      ['229586001', 'Rest, ice, compression and elevation treatment programme (regime/therapy)', 'Rest, ice, compression and elevation'],
      ['229070002', 'Stretching exercises (regime/therapy)', 'Ankle stretching once the swelling is down'],
    ],
    goals: [],
    instructions:
      'Rest the ankle and keep it raised. Ice it for 20 minutes every 2 to 3 hours for the first two days. Wear the splint when walking. Call us if you cannot put weight on it after a week.',
  },
  acuteBronchitis: {
    title: 'Bronchitis recovery plan',
    category: ['53950000', 'Respiratory therapy (procedure)', 'Respiratory therapy'],
    activities: [
      ['304510005', 'Recommendation to avoid exercise (procedure)', 'Rest; avoid strenuous exercise'],
      ['371605008', 'Deep breathing and coughing exercises (regime/therapy)', 'Deep breathing and coughing exercises'],
    ],
    goals: [],
    instructions:
      'Your chest X-ray showed no pneumonia. Rest, drink plenty of fluids and use the cough syrup at night. The cough can last up to three weeks. Call us if you have a fever over 101°F or trouble breathing.',
  },
};

/** Procedures done at visits. */
export const procedures = {
  depressionScreening: ['171207006', 'Depression screening (procedure)', 'Depression screening'],
  medicationReconciliation: ['430193006', 'Medication reconciliation (procedure)', 'Medication review'],
  diabeticFootExam: ['401191002', 'Diabetic foot examination (regime/therapy)', 'Diabetic foot exam'],
  electrocardiogram: ['29303009', 'Electrocardiographic procedure (procedure)', 'Electrocardiogram (ECG)'],
  spirometry: ['127783003', 'Spirometry (procedure)', 'Spirometry'],
  chestXray: ['399208008', 'Plain chest X-ray (procedure)', 'Chest X-ray'],
  immobilization: ['274474001', 'Bone immobilization (procedure)', 'Ankle splint'],
  throatCulture: ['117015009', 'Throat culture (procedure)', 'Throat culture'],
} as const satisfies Record<string, Concept>;

/** Key of a demo procedure. */
export type ProcedureKey = keyof typeof procedures;

/** What a chest X-ray shows for the problem that prompted it. */
export interface ChestXrayFindings {
  indication: string;
  findings: string;
  impression: string;
}

/** Chest X-ray readings by the problem that prompted the film. */
export const chestXrayFindings: Partial<Record<ConditionKey, ChestXrayFindings>> = {
  acuteBronchitis: {
    indication: 'Cough for 10 days with low-grade fever. Evaluate for pneumonia.',
    findings:
      'Mild peribronchial thickening in both lower lobes. No focal consolidation, pleural effusion or pneumothorax. Heart size and mediastinal contours are normal. No acute bony abnormality.',
    impression: 'Mild peribronchial thickening, compatible with bronchitis. No pneumonia.',
  },
  copd: {
    indication: 'Chronic shortness of breath. Baseline study.',
    findings:
      'The lungs are hyperinflated with flattened hemidiaphragms. No focal consolidation, pleural effusion or pneumothorax. Heart size is normal.',
    impression: 'Hyperinflation consistent with chronic obstructive pulmonary disease. No acute cardiopulmonary process.',
  },
  heartFailure: {
    indication: 'Shortness of breath and leg swelling.',
    findings:
      'The heart is mildly enlarged. Mild pulmonary vascular congestion. Small bilateral pleural effusions. No focal consolidation or pneumothorax.',
    impression: 'Mild cardiomegaly with pulmonary vascular congestion and small effusions, consistent with congestive heart failure.',
  },
};

/** The radiologist who reads the demo's films (a display name only: radiology is not one of the demo departments). */
export const radiologist = 'Dana Whitfield, MD';

/** After-visit instructions for acute problems that come without a care plan. */
export const sickVisitInstructions: Partial<Record<ConditionKey, string>> = {
  strepThroat:
    'Take the antibiotic until it is all gone, even when you feel better. You are no longer contagious after 12 hours of antibiotics. Replace your toothbrush.',
  viralPharyngitis:
    'This is a virus, so antibiotics will not help. Warm salt-water gargles and acetaminophen ease the pain. It should pass within a week.',
  otitisMedia:
    'Give the amoxicillin twice a day for the full 10 days. Acetaminophen helps with pain. Call us if the fever lasts more than 2 more days.',
  viralSinusitis:
    'Saline nose rinses and steam help. Most sinus infections clear in 10 days without antibiotics. Call us if you get worse after starting to improve.',
  urinaryTractInfection:
    'Take nitrofurantoin with food twice a day for 5 days and drink plenty of water. Call us if you get a fever or back pain.',
};
