/** Allergies and intolerances the demo records (RxNorm ingredients, SNOMED CT substances and reactions). */
import type { MedicationKey } from './codes-medications.ts';

/** Reactions (SNOMED CT clinical findings) an allergy can cause. */
export const reactions = {
  hives: { code: '247472004', display: 'Wheal (finding)', text: 'Hives' },
  rash: { code: '271807003', display: 'Eruption of skin (disorder)', text: 'Rash' },
  anaphylaxis: { code: '39579001', display: 'Anaphylaxis (disorder)', text: 'Anaphylaxis' },
  angioedema: { code: '402387002', display: 'Allergic angioedema (disorder)', text: 'Swelling of the lips, face or throat' },
  itching: { code: '418290006', display: 'Itching (finding)', text: 'Itching' },
  rhinoconjunctivitis: {
    code: '878820003',
    display: 'Rhinoconjunctivitis (disorder)',
    text: 'Sneezing, runny nose and itchy eyes',
  },
  vomiting: { code: '300359004', display: 'Finding of vomiting (finding)', text: 'Vomiting' },
  wheezing: { code: '56018004', display: 'Wheezing (finding)', text: 'Wheezing' },
} as const;

/** Key of an allergic reaction. */
export type ReactionKey = keyof typeof reactions;

/** An allergy or intolerance (FHIR AllergyIntolerance) the demo records. */
export interface AllergyDef {
  text: string;
  system: 'rxnorm' | 'snomed';
  code: string;
  display: string;
  category: 'medication' | 'food' | 'environment';
  criticality: 'low' | 'high';
  reactions: readonly { reaction: ReactionKey; severity: 'mild' | 'moderate' | 'severe' }[];
  /** Medicines a patient with this allergy must not be prescribed. */
  avoid: readonly MedicationKey[];
  /** Medicine prescribed because of the allergy (an epinephrine auto-injector). */
  rescue: MedicationKey | null;
}

/** Every allergy the demo uses, by key. */
export const allergies = {
  penicillin: {
    text: 'Penicillin',
    system: 'rxnorm',
    code: '7984',
    display: 'penicillin V',
    category: 'medication',
    criticality: 'low',
    reactions: [{ reaction: 'hives', severity: 'moderate' }],
    avoid: ['penicillinV500', 'amoxicillin250'],
    rescue: null,
  },
  sulfonamide: {
    text: 'Sulfa antibiotics (sulfamethoxazole / trimethoprim)',
    system: 'rxnorm',
    code: '10831',
    display: 'sulfamethoxazole / trimethoprim',
    category: 'medication',
    criticality: 'low',
    reactions: [{ reaction: 'rash', severity: 'moderate' }],
    avoid: [],
    rescue: null,
  },
  shellfish: {
    text: 'Shellfish',
    system: 'snomed',
    code: '735029006',
    display: 'Shellfish (substance)',
    category: 'food',
    criticality: 'high',
    reactions: [
      { reaction: 'anaphylaxis', severity: 'severe' },
      { reaction: 'hives', severity: 'moderate' },
    ],
    avoid: [],
    rescue: 'epinephrineAutoInjector',
  },
  peanut: {
    text: 'Peanuts',
    system: 'snomed',
    code: '762952008',
    display: 'Peanut (substance)',
    category: 'food',
    criticality: 'high',
    reactions: [
      { reaction: 'anaphylaxis', severity: 'severe' },
      { reaction: 'angioedema', severity: 'moderate' },
    ],
    avoid: [],
    rescue: 'epinephrineAutoInjector',
  },
  treeNut: {
    text: 'Tree nuts',
    system: 'snomed',
    code: '442571000124108',
    display: 'Tree nut (substance)',
    category: 'food',
    criticality: 'high',
    reactions: [{ reaction: 'angioedema', severity: 'moderate' }],
    avoid: [],
    rescue: 'epinephrineAutoInjector',
  },
  egg: {
    text: 'Eggs',
    system: 'snomed',
    code: '102263004',
    display: 'Eggs (edible) (substance)',
    category: 'food',
    criticality: 'low',
    reactions: [
      { reaction: 'rash', severity: 'mild' },
      { reaction: 'vomiting', severity: 'mild' },
    ],
    avoid: [],
    rescue: null,
  },
  latex: {
    text: 'Latex',
    system: 'snomed',
    code: '111088007',
    display: 'Latex (substance)',
    category: 'environment',
    criticality: 'low',
    reactions: [
      { reaction: 'rash', severity: 'mild' },
      { reaction: 'itching', severity: 'mild' },
    ],
    avoid: [],
    rescue: null,
  },
  beeVenom: {
    text: 'Bee stings',
    system: 'snomed',
    code: '288328004',
    display: 'Bee venom (substance)',
    category: 'environment',
    criticality: 'high',
    reactions: [{ reaction: 'anaphylaxis', severity: 'severe' }],
    avoid: [],
    rescue: 'epinephrineAutoInjector',
  },
  grassPollen: {
    text: 'Grass pollen',
    system: 'snomed',
    code: '256277009',
    display: 'Grass pollen (substance)',
    category: 'environment',
    criticality: 'low',
    reactions: [{ reaction: 'rhinoconjunctivitis', severity: 'mild' }],
    avoid: [],
    rescue: null,
  },
  dustMite: {
    text: 'Dust mites',
    system: 'snomed',
    code: '260147004',
    display: 'House dust mite (organism)',
    category: 'environment',
    criticality: 'low',
    reactions: [
      { reaction: 'rhinoconjunctivitis', severity: 'mild' },
      { reaction: 'wheezing', severity: 'mild' },
    ],
    avoid: [],
    rescue: null,
  },
  animalDander: {
    text: 'Cat and dog dander',
    system: 'snomed',
    code: '264287008',
    display: 'Animal dander (substance)',
    category: 'environment',
    criticality: 'low',
    reactions: [
      { reaction: 'rhinoconjunctivitis', severity: 'mild' },
      { reaction: 'itching', severity: 'mild' },
    ],
    avoid: [],
    rescue: null,
  },
} satisfies Record<string, AllergyDef>;

/** Key of a demo allergy. */
export type AllergyKey = keyof typeof allergies;

/** An allergy's definition under its declared type. */
export function allergyDef(key: AllergyKey): AllergyDef {
  return allergies[key];
}
