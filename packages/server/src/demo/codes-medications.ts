/** RxNorm products and CVX vaccines the demo prescribes and gives (codes as used in Synthea and RxNav). */

/** FHIR code system URIs used across the demo resources. */
export const systems = {
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  loinc: 'http://loinc.org',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  ucum: 'http://unitsofmeasure.org',
} as const;

/** How a medicine is taken; maps to a SNOMED CT route. */
export type RouteKey = 'oral' | 'inhaled' | 'topical' | 'subcutaneous' | 'intramuscular' | 'sublingual';

/** SNOMED CT route of administration codes. */
export const routes: Record<RouteKey, { code: string; display: string }> = {
  oral: { code: '26643006', display: 'Oral route (qualifier value)' },
  inhaled: { code: '447694001', display: 'Respiratory tract route (qualifier value)' },
  topical: { code: '6064005', display: 'Topical route (qualifier value)' },
  subcutaneous: { code: '34206005', display: 'Subcutaneous route (qualifier value)' },
  intramuscular: { code: '78421000', display: 'Intramuscular route (qualifier value)' },
  sublingual: { code: '37839007', display: 'Sublingual route (qualifier value)' },
};

/** A prescribable product and the sig the demo writes for it. */
export interface MedicationDef {
  rxnorm: string;
  display: string;
  instruction: string;
  route: RouteKey;
  /** Doses a day for the structured timing; 0 for as-needed only. */
  perDay: number;
  asNeeded: boolean;
  dose: { value: number; unit: string; code: string };
  dispense: { quantity: number; unit: string; code: string; days: number; refills: number };
}

const tablet = { value: 1, unit: 'tablet', code: '{tbl}' } as const;
const tablets90 = { quantity: 90, unit: 'tablet', code: '{tbl}', days: 90, refills: 3 } as const;

function daily(rxnorm: string, display: string, instruction = 'Take 1 tablet by mouth daily'): MedicationDef {
  return { rxnorm, display, instruction, route: 'oral', perDay: 1, asNeeded: false, dose: tablet, dispense: tablets90 };
}

/** Every product the demo prescribes, by key. */
export const medications = {
  lisinopril10: daily('314076', 'lisinopril 10 MG Oral Tablet'),
  lisinopril20: daily('314077', 'lisinopril 20 MG Oral Tablet'),
  amlodipine2_5: daily('308136', 'amlodipine 2.5 MG Oral Tablet'),
  amlodipine5: daily('197361', 'amlodipine 5 MG Oral Tablet'),
  losartan50: daily('979492', 'losartan potassium 50 MG Oral Tablet'),
  hydrochlorothiazide25: daily('310798', 'hydrochlorothiazide 25 MG Oral Tablet', 'Take 1 tablet by mouth every morning'),
  metforminEr500: {
    ...daily(
      '860975',
      '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet',
      'Take 2 tablets by mouth daily with the evening meal',
    ),
    dose: { value: 2, unit: 'tablet', code: '{tbl}' },
    dispense: { quantity: 180, unit: 'tablet', code: '{tbl}', days: 90, refills: 3 },
  },
  liraglutide: {
    rxnorm: '897122',
    display: '3 ML liraglutide 6 MG/ML Pen Injector',
    instruction: 'Inject 1.2 mg under the skin once daily',
    route: 'subcutaneous',
    perDay: 1,
    asNeeded: false,
    dose: { value: 1.2, unit: 'mg', code: 'mg' },
    dispense: { quantity: 3, unit: 'pen', code: '{pen}', days: 45, refills: 5 },
  },
  atorvastatin20: daily('617310', 'atorvastatin 20 MG Oral Tablet', 'Take 1 tablet by mouth at bedtime'),
  atorvastatin40: daily('617311', 'atorvastatin 40 MG Oral Tablet', 'Take 1 tablet by mouth at bedtime'),
  simvastatin20: daily('312961', 'simvastatin 20 MG Oral Tablet', 'Take 1 tablet by mouth in the evening'),
  levothyroxine75: daily(
    '966222',
    'levothyroxine sodium 0.075 MG Oral Tablet',
    'Take 1 tablet by mouth every morning on an empty stomach, 30 minutes before breakfast',
  ),
  metoprololEr100: daily('866412', '24 HR metoprolol succinate 100 MG Extended Release Oral Tablet'),
  warfarin5: daily(
    '855332',
    'warfarin sodium 5 MG Oral Tablet',
    'Take 1 tablet by mouth every evening, or as directed by the anticoagulation clinic',
  ),
  aspirin81: daily('243670', 'aspirin 81 MG Oral Tablet'),
  clopidogrel75: daily('309362', 'clopidogrel 75 MG Oral Tablet'),
  furosemide40: daily('313988', 'furosemide 40 MG Oral Tablet', 'Take 1 tablet by mouth every morning'),
  carvedilol25: {
    ...daily('200033', 'carvedilol 25 MG Oral Tablet', 'Take 1 tablet by mouth twice daily with food'),
    perDay: 2,
    dispense: { quantity: 180, unit: 'tablet', code: '{tbl}', days: 90, refills: 3 },
  },
  alendronate10: daily(
    '904419',
    'alendronic acid 10 MG Oral Tablet',
    'Take 1 tablet by mouth every morning with a full glass of water, 30 minutes before food; stay upright for 30 minutes',
  ),
  ferrousSulfate325: daily('310325', 'ferrous sulfate 325 MG Oral Tablet', 'Take 1 tablet by mouth daily with orange juice'),
  nitroglycerinSpray: {
    rxnorm: '705129',
    display: 'nitroglycerin 0.4 MG/ACTUAT Mucosal Spray',
    instruction: 'Spray 1 dose under the tongue at the onset of chest pain; may repeat every 5 minutes, up to 3 doses',
    route: 'sublingual',
    perDay: 0,
    asNeeded: true,
    dose: { value: 1, unit: 'spray', code: '{spray}' },
    dispense: { quantity: 1, unit: 'bottle', code: '{bottle}', days: 90, refills: 2 },
  },
  albuterolInhaler: {
    rxnorm: '745679',
    display: '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler',
    instruction: 'Inhale 2 puffs by mouth every 4 to 6 hours as needed for wheezing or shortness of breath',
    route: 'inhaled',
    perDay: 0,
    asNeeded: true,
    dose: { value: 2, unit: 'puff', code: '{puff}' },
    dispense: { quantity: 1, unit: 'inhaler', code: '{inhaler}', days: 30, refills: 5 },
  },
  fluticasoneInhaler: {
    rxnorm: '895994',
    display: '120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler',
    instruction: 'Inhale 2 puffs by mouth twice daily; rinse mouth after each use',
    route: 'inhaled',
    perDay: 2,
    asNeeded: false,
    dose: { value: 2, unit: 'puff', code: '{puff}' },
    dispense: { quantity: 1, unit: 'inhaler', code: '{inhaler}', days: 30, refills: 5 },
  },
  fluticasoneSalmeterol: {
    rxnorm: '896209',
    display: '60 ACTUAT fluticasone propionate 0.25 MG/ACTUAT / salmeterol 0.05 MG/ACTUAT Dry Powder Inhaler',
    instruction: 'Inhale 1 puff by mouth twice daily',
    route: 'inhaled',
    perDay: 2,
    asNeeded: false,
    dose: { value: 1, unit: 'puff', code: '{puff}' },
    dispense: { quantity: 1, unit: 'inhaler', code: '{inhaler}', days: 30, refills: 5 },
  },
  loratadine10: {
    ...daily('311372', 'loratadine 10 MG Oral Tablet', 'Take 1 tablet by mouth daily as needed for allergy symptoms'),
    asNeeded: true,
  },
  cetirizine10: {
    ...daily('1014678', 'cetirizine hydrochloride 10 MG Oral Tablet', 'Take 1 tablet by mouth daily as needed for allergy symptoms'),
    asNeeded: true,
  },
  loratadine5Chewable: {
    ...daily('665078', 'loratadine 5 MG Chewable Tablet', 'Chew 1 tablet by mouth daily as needed for allergy symptoms'),
    asNeeded: true,
  },
  fexofenadine30: {
    ...daily('997488', 'fexofenadine hydrochloride 30 MG Oral Tablet', 'Take 1 tablet by mouth twice daily as needed for allergy symptoms'),
    perDay: 2,
    asNeeded: true,
  },
  hydrocortisoneCream: {
    rxnorm: '106258',
    display: 'hydrocortisone 10 MG/ML Topical Cream',
    instruction: 'Apply a thin layer to the affected skin twice daily for up to 7 days',
    route: 'topical',
    perDay: 2,
    asNeeded: false,
    dose: { value: 1, unit: 'application', code: '{application}' },
    dispense: { quantity: 1, unit: 'tube', code: '{tube}', days: 30, refills: 1 },
  },
  naproxen220: {
    ...daily('849574', 'naproxen sodium 220 MG Oral Tablet', 'Take 1 tablet by mouth every 8 to 12 hours as needed for pain, with food'),
    perDay: 0,
    asNeeded: true,
  },
  ibuprofen200: {
    ...daily('310965', 'ibuprofen 200 MG Oral Tablet', 'Take 2 tablets by mouth every 6 to 8 hours as needed for pain, with food'),
    perDay: 0,
    asNeeded: true,
    dose: { value: 2, unit: 'tablet', code: '{tbl}' },
    dispense: { quantity: 60, unit: 'tablet', code: '{tbl}', days: 14, refills: 0 },
  },
  acetaminophen325: {
    ...daily('313782', 'acetaminophen 325 MG Oral Tablet', 'Take 2 tablets by mouth every 6 hours as needed for pain or fever'),
    perDay: 0,
    asNeeded: true,
    dose: { value: 2, unit: 'tablet', code: '{tbl}' },
    dispense: { quantity: 50, unit: 'tablet', code: '{tbl}', days: 10, refills: 0 },
  },
  acetaminophen160: {
    ...daily('282464', 'acetaminophen 160 MG Oral Tablet', 'Take 1 tablet by mouth every 6 hours as needed for fever'),
    perDay: 0,
    asNeeded: true,
    dispense: { quantity: 30, unit: 'tablet', code: '{tbl}', days: 10, refills: 0 },
  },
  coughSyrup: {
    rxnorm: '1043400',
    display: 'acetaminophen 21.7 MG/ML / dextromethorphan hydrobromide 1 MG/ML / doxylamine succinate 0.417 MG/ML Oral Solution',
    instruction: 'Take 30 mL by mouth at bedtime as needed for cough',
    route: 'oral',
    perDay: 0,
    asNeeded: true,
    dose: { value: 30, unit: 'mL', code: 'mL' },
    dispense: { quantity: 240, unit: 'mL', code: 'mL', days: 8, refills: 0 },
  },
  penicillinV500: {
    ...daily('834102', 'penicillin V potassium 500 MG Oral Tablet', 'Take 1 tablet by mouth twice daily for 10 days'),
    perDay: 2,
    dispense: { quantity: 20, unit: 'tablet', code: '{tbl}', days: 10, refills: 0 },
  },
  amoxicillin250: {
    ...daily('308182', 'amoxicillin 250 MG Oral Capsule', 'Take 1 capsule by mouth three times daily for 10 days'),
    perDay: 3,
    dose: { value: 1, unit: 'capsule', code: '{cap}' },
    dispense: { quantity: 30, unit: 'capsule', code: '{cap}', days: 10, refills: 0 },
  },
  nitrofurantoin100: {
    ...daily(
      '1648755',
      'nitrofurantoin, macrocrystals 25 MG / nitrofurantoin, monohydrate 75 MG Oral Capsule',
      'Take 1 capsule by mouth twice daily with food for 5 days',
    ),
    perDay: 2,
    dose: { value: 1, unit: 'capsule', code: '{cap}' },
    dispense: { quantity: 10, unit: 'capsule', code: '{cap}', days: 5, refills: 0 },
  },
  epinephrineAutoInjector: {
    rxnorm: '1870230',
    display: 'NDA020800 0.3 ML epinephrine 1 MG/ML Auto-Injector',
    instruction: 'Inject into the outer thigh at the first sign of a severe allergic reaction, then call 911',
    route: 'intramuscular',
    perDay: 0,
    asNeeded: true,
    dose: { value: 0.3, unit: 'mL', code: 'mL' },
    dispense: { quantity: 2, unit: 'auto-injector', code: '{auto-injector}', days: 365, refills: 1 },
  },
} satisfies Record<string, MedicationDef>;

/** Key of a demo medication. */
export type MedicationKey = keyof typeof medications;

/** A vaccine as CVX codes it, with the plain name patients see. */
export interface VaccineDef {
  cvx: string;
  display: string;
  text: string;
}

/** Vaccines given in the demo: the childhood schedule and adult boosters (CDC schedule, CVX codes). */
export const vaccines = {
  hepB: { cvx: '08', display: 'Hep B, adolescent or pediatric', text: 'Hepatitis B vaccine' },
  dtap: { cvx: '20', display: 'DTaP', text: 'DTaP (diphtheria, tetanus, pertussis)' },
  ipv: { cvx: '10', display: 'IPV', text: 'Polio vaccine (IPV)' },
  hib: { cvx: '49', display: 'Hib (PRP-OMP)', text: 'Hib vaccine' },
  pcv13: { cvx: '133', display: 'Pneumococcal conjugate PCV 13', text: 'Pneumococcal vaccine (PCV13)' },
  rotavirus: { cvx: '119', display: 'rotavirus, monovalent', text: 'Rotavirus vaccine' },
  mmr: { cvx: '03', display: 'MMR', text: 'MMR (measles, mumps, rubella)' },
  varicella: { cvx: '21', display: 'varicella', text: 'Chickenpox vaccine (varicella)' },
  hepA: { cvx: '83', display: 'Hep A, ped/adol, 2 dose', text: 'Hepatitis A vaccine' },
  tdap: { cvx: '115', display: 'Tdap', text: 'Tdap (tetanus, diphtheria, pertussis)' },
  hpv: { cvx: '165', display: 'HPV9', text: 'HPV vaccine' },
  menacwy: { cvx: '114', display: 'meningococcal MCV4P', text: 'Meningococcal vaccine (MenACWY)' },
  influenza: {
    cvx: '140',
    display: 'Influenza, seasonal, injectable, preservative free',
    text: 'Flu vaccine',
  },
  covid: { cvx: '208', display: 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose', text: 'COVID-19 vaccine' },
  zoster: { cvx: '187', display: 'zoster recombinant', text: 'Shingles vaccine (recombinant)' },
  pcv20: { cvx: '216', display: 'Pneumococcal conjugate PCV20', text: 'Pneumococcal vaccine (PCV20)' },
} satisfies Record<string, VaccineDef>;

/** Key of a demo vaccine. */
export type VaccineKey = keyof typeof vaccines;

/** A medication's definition under its declared type. */
export function medicationDef(key: MedicationKey): MedicationDef {
  return medications[key];
}
