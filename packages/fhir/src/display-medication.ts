/**
 * Medication names a patient recognizes. Drug databases name products for machines: RxNorm writes
 * `24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet`, sometimes with a drug-application number
 * (`NDA020800 0.3 ML epinephrine 1 MG/ML Auto-Injector`) or Tall Man letters (`predniSONE`). A patient reads the
 * ingredient, the strength and the form: `Metformin 500 mg extended-release oral tablet`. The coded name stays
 * available beside it for whoever needs the exact product.
 */
import { decimalText } from './display.ts';

/** The RxNorm code system (NLM); its display strings follow the SCD/SBD name grammar parsed below. */
export const rxnormSystem = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** A medication's two names. */
export interface MedicationName {
  /** Ingredient, strength and form in plain words, e.g. `Metformin 500 mg oral tablet`. */
  name: string;
  /** The full name as coded (the drug database's display), when it differs from `name`; null otherwise. */
  codedName: string | null;
}

/** Longer names are not drug-database names; they are shown as written (and the patterns below stay linear). */
const maxCodedNameLength = 200;
/** US FDA application numbers (NDA, ANDA, BLA) that RxNorm puts in some names; never part of what a patient reads. */
const applicationNumber = /\b(?:NDA|ANDA|BLA)\d+\b/g;
/** A brand in brackets at the end of an RxNorm branded name: `[Toprol]`. */
const trailingBrand = /\s*\[([^\]]+)\]\s*$/;
/** RxNorm strength units, as they appear in names (`MG`, `MG/ML`, `MG/ACTUAT`, `UNT/ML`, `%`). */
const unitPattern = '(?:MG|MCG|G|ML|UNT|MEQ|MMOL|%)(?:/(?:ML|ACTUAT|HR|MG|G|L))?';
/** One ingredient with its strength, and whatever follows it (the dose form, on the last ingredient). */
const ingredientStrength = new RegExp(`^(.+?)\\s+(\\d+(?:\\.\\d+)?)\\s+(${unitPattern})(?:\\s+(.*))?$`);
/** A package quantity before the ingredients: `24 HR` (a duration, repeated by the form), `0.3 ML`, `120 ACTUAT`. */
const packageQuantity = /^(\d+(?:\.\d+)?)\s+(HR|ML|ACTUAT)\s+/;
/** Qualifiers RxNorm writes before the package quantity. */
const leadingQualifier = /^(Abuse-Deterrent)\s+/i;
/** A name that reads like a drug database's (an upper-case unit after a number, or an application number). */
const codedLooking = new RegExp(`\\d\\s+${unitPattern}\\b|\\b(?:NDA|ANDA|BLA)\\d+\\b`);

/** Salt and hydrate words a patient does not say (`metformin hydrochloride` is metformin); never the first word. */
const silentSalts = new Set([
  'hydrochloride',
  'hcl',
  'hydrobromide',
  'monohydrate',
  'dihydrate',
  'anhydrous',
  'sodium',
  'potassium',
  'maleate',
  'bitartrate',
]);

const unitWords: Record<string, string> = {
  MG: 'mg',
  MCG: 'mcg',
  G: 'g',
  ML: 'mL',
  UNT: 'units',
  MEQ: 'mEq',
  MMOL: 'mmol',
  '%': '%',
  ACTUAT: 'actuation',
  HR: 'hr',
  L: 'L',
};

function capitalize(text: string): string {
  return text.length > 0 ? `${text[0]!.toUpperCase()}${text.slice(1)}` : text;
}

/** A word in reading case: Tall Man and capitalised words in lower case; acronyms and single letters (`V`, `B`) kept. */
function readingCase(word: string): string {
  if (word.length <= 1) return word;
  if (word === word.toUpperCase() && /[A-Z]{2}/.test(word) && word.length <= 4) return word;
  return word.toLowerCase();
}

/** An ingredient as said aloud: reading case, without silent salts after its first word. */
function ingredientWords(ingredient: string): string {
  const words = ingredient.split(/\s+/).filter(Boolean);
  const kept = words.filter((word, i) => i === 0 || !silentSalts.has(word.toLowerCase().replace(/[,;]$/, '')));
  return kept
    .map(readingCase)
    .join(' ')
    .replace(/[,;]\s*$/, '');
}

/** A strength in everyday units: `500 mg`, `10 mg/mL`, and below 1 mg in micrograms (`0.075 MG` is `75 mcg`). */
function strengthText(amount: string, unit: string): string {
  const [numerator = '', denominator] = unit.split('/');
  const value = Number(amount);
  if (numerator === 'MG' && denominator !== 'ML' && value > 0 && value < 1) {
    return `${decimalText(value * 1000)} mcg${denominator ? `/${unitWords[denominator] ?? denominator.toLowerCase()}` : ''}`;
  }
  const words = [
    unitWords[numerator] ?? numerator.toLowerCase(),
    ...(denominator ? [unitWords[denominator] ?? denominator.toLowerCase()] : []),
  ];
  return `${decimalText(value)} ${words.join('/')}`;
}

/** A dose form in reading case: `Extended Release Oral Tablet` reads `extended-release oral tablet`. */
function formWords(form: string): string {
  return form
    .split(/\s+/)
    .filter(Boolean)
    .map(readingCase)
    .join(' ')
    .replace(/\b(extended|delayed) release\b/g, '$1-release');
}

/** A package quantity as a trailing detail: `0.3 mL`, `200 actuations`; a duration (`24 HR`) says nothing the form does not. */
function packageText(amount: string, unit: string): string | null {
  if (unit === 'HR') return null;
  if (unit === 'ACTUAT') return `${decimalText(Number(amount))} ${Number(amount) === 1 ? 'actuation' : 'actuations'}`;
  return `${decimalText(Number(amount))} ${unitWords[unit] ?? unit}`;
}

/** Upper-case units after a number anywhere in a name (`0.12/0.015 MG`), for names outside the grammar. */
const looseUnit = /(\d)\s+(MG|MCG|ML|UNT|MEQ|MMOL|ACTUAT)(?:\/(ML|ACTUAT|HR|MG|G|L))?\b/g;

/** A name that does not follow the RxNorm grammar, tidied only: no application numbers, units in lower case, a brand in parentheses. */
function tidied(text: string): string {
  const brand = trailingBrand.exec(text);
  const base = (brand ? text.slice(0, brand.index) : text)
    .replace(applicationNumber, ' ')
    .replace(looseUnit, (_, digit: string, unit: string, per: string | undefined) => {
      const words = [unitWords[unit] ?? unit, ...(per ? [unitWords[per] ?? per] : [])];
      return `${digit} ${words.join('/')}`;
    })
    .replace(/\s+/g, ' ')
    .trim();
  return capitalize(brand ? `${base} (${brand[1]!.trim()})` : base);
}

/**
 * A drug-database product name in plain words: ingredients with their strengths, then the dose form, then the brand
 * and the package size, e.g. `Acetaminophen 325 mg / hydrocodone 7.5 mg oral tablet`, `Epinephrine 1 mg/mL
 * auto-injector, 0.3 mL`. A name outside RxNorm's grammar (a pack such as `Trinessa 28 Day Pack`) is only tidied.
 */
export function plainMedicationName(coded: string): string {
  const text = coded.replace(applicationNumber, ' ').replace(/\s+/g, ' ').trim();
  if (text === '' || text.length > maxCodedNameLength) return text;
  const brandMatch = trailingBrand.exec(text);
  let rest = brandMatch ? text.slice(0, brandMatch.index) : text;
  const qualifier = leadingQualifier.exec(rest);
  if (qualifier) rest = rest.slice(qualifier[0].length);
  const quantity = packageQuantity.exec(rest);
  if (quantity) rest = rest.slice(quantity[0].length);

  const parts = rest.split(' / ');
  const ingredients: string[] = [];
  let form = '';
  for (const [i, part] of parts.entries()) {
    const match = ingredientStrength.exec(part.trim());
    if (!match) return tidied(text);
    const [, ingredient = '', amount = '', unit = '', after] = match;
    const isLast = i === parts.length - 1;
    if (after && !isLast) return tidied(text);
    ingredients.push(`${ingredientWords(ingredient)} ${strengthText(amount, unit)}`);
    if (isLast && after) form = formWords(after);
  }
  const qualifierWords = qualifier ? `${qualifier[1]!.toLowerCase()} ` : '';
  const formText = form ? ` ${qualifierWords}${form}` : qualifier ? ` ${qualifierWords.trim()}` : '';
  const brand = brandMatch ? ` (${brandMatch[1]!.trim()})` : '';
  const pack = quantity ? packageText(quantity[1]!, quantity[2]!) : null;
  return capitalize(`${ingredients.join(' / ')}${formText}${brand}${pack ? `, ${pack}` : ''}`);
}

/**
 * The name to show for a medication's CodeableConcept (MedicationRequest/MedicationStatement.medicationCodeableConcept,
 * Medication.code). A `text` the source wrote for people is kept as written; a drug-database name (the text when it
 * repeats a coding's display or reads like one, else the RxNorm display, else any display) is put in plain words.
 * Codes alone are never a name: with no words at all the answer is null and the caller says the name is unknown.
 */
export function medicationName(concept: fhir4.CodeableConcept | undefined): MedicationName | null {
  if (!concept) return null;
  const codings = Array.isArray(concept.coding) ? concept.coding : [];
  const displays = codings.flatMap((c) => (typeof c.display === 'string' && c.display.trim() ? [c.display.trim()] : []));
  const text = typeof concept.text === 'string' ? concept.text.trim() : '';
  if (text && !displays.includes(text) && !codedLooking.test(text)) {
    return { name: text, codedName: displays[0] && displays[0] !== text ? displays[0] : null };
  }
  const rxnorm = codings.find((c) => c.system === rxnormSystem && typeof c.display === 'string' && c.display.trim())?.display?.trim();
  const coded = text || rxnorm || displays[0];
  if (!coded) return null;
  const name = plainMedicationName(coded) || coded;
  return { name, codedName: name === coded ? null : coded };
}
