/// <reference types="fhir" />
import { isJsonObject, type JsonObject } from './validate-datatypes.ts';

/** The sensitive categories of DESIGN.md: hidden from proxies and outside providers unless the patient consents. */
export type SensitiveCategory = 'mental_health' | 'substance_use' | 'sexual_reproductive' | 'hiv' | 'genetics';

/**
 * Where a code comes from: `label` = HL7 v3 ActCode information-sensitivity policy codes in meta.security
 * (terminology.hl7.org/ValueSet/v3-ActInformationSensitivityPolicy); `icd10` rows are ICD-10-CM code prefixes or ranges of
 * 3-character categories; the rest are exact codes.
 */
type Vocabulary = 'label' | 'icd10' | 'sct' | 'loinc' | 'rxnorm' | 'v2-0074';
type CodeTable = readonly (readonly [Vocabulary, string, string])[];

// Mental health. ICD-10-CM chapter 5 without F10–F19 (those are substance use); SNOMED CT concepts (International
// release ids; 171207006 is what Synthea records for its depression screening); LOINC screening instruments.
const mentalHealth: CodeTable = [
  ['label', 'PSY', 'psychiatry disorder information sensitivity'],
  ['label', 'PSYTHPN', 'psychotherapy note information sensitivity'],
  ['label', 'BH', 'behavioral health information sensitivity'],
  ['label', 'MH', 'mental health information sensitivity'],
  ['icd10', 'F01-F09', 'mental disorders due to known physiological conditions'],
  ['icd10', 'F20-F99', 'schizophrenia, mood, anxiety, personality, developmental and other mental disorders'],
  ['icd10', 'R45.851', 'suicidal ideations'],
  ['icd10', 'T14.91', 'suicide attempt'],
  ['icd10', 'Z91.5', 'personal history of self-harm'],
  ['sct', '74732009', 'Mental disorder'],
  ['sct', '35489007', 'Depressive disorder'],
  ['sct', '370143000', 'Major depressive disorder'],
  ['sct', '36923009', 'Major depression, single episode'],
  ['sct', '66344007', 'Recurrent major depression'],
  ['sct', '197480006', 'Anxiety disorder'],
  ['sct', '21897009', 'Generalized anxiety disorder'],
  ['sct', '48694002', 'Anxiety (finding)'],
  ['sct', '13746004', 'Bipolar disorder'],
  ['sct', '58214004', 'Schizophrenia'],
  ['sct', '69322001', 'Psychotic disorder'],
  ['sct', '47505003', 'Posttraumatic stress disorder'],
  ['sct', '6471006', 'Suicidal thoughts'],
  ['sct', '171207006', 'Depression screening'],
  ['sct', '454711000124102', 'Depression screening using Patient Health Questionnaire Two-Item score'],
  ['sct', '720433000', 'Patient Health Questionnaire Nine Item score'],
  ['loinc', '44249-1', 'PHQ-9 quick depression assessment panel'],
  ['loinc', '44261-6', 'PHQ-9 total score'],
  ['loinc', '89204-2', 'PHQ-9 modified for teens total score'],
  ['loinc', '55757-9', 'PHQ-2 panel'],
  ['loinc', '55758-7', 'PHQ-2 total score'],
  ['loinc', '69737-5', 'GAD-7 panel'],
  ['loinc', '70274-6', 'GAD-7 total score'],
];

// Substance use (42 CFR Part 2). Tobacco is deliberately absent: it is routine history, not protected information.
// SNOMED CT concepts include the ones Synthea's opioid addiction and alcoholism modules record; LOINC screens from Synthea.
const substanceUse: CodeTable = [
  ['label', 'ETH', 'substance abuse information sensitivity'],
  ['label', 'ETHUD', 'alcohol use disorder information sensitivity'],
  ['label', 'OPIOIDUD', 'opioid use disorder information sensitivity'],
  ['label', 'SUD', 'substance use disorder information sensitivity'],
  ['icd10', 'F10-F19', 'mental and behavioral disorders due to psychoactive substance use'],
  ['icd10', 'Z71.41', 'alcohol abuse counseling'],
  ['icd10', 'Z71.51', 'drug abuse counseling'],
  ['sct', '7200002', 'Alcoholism'],
  ['sct', '15167005', 'Alcohol abuse'],
  ['sct', '66590003', 'Alcohol dependence'],
  ['sct', '5602001', 'Opioid abuse'],
  ['sct', '75544000', 'Opioid dependence'],
  ['sct', '26416006', 'Drug abuse'],
  ['sct', '6525002', 'Dependent drug abuse'],
  ['sct', '55680006', 'Drug overdose'],
  ['sct', '56876005', 'Drug rehabilitation and detoxification'],
  ['sct', '60112009', 'Drug addiction counseling'],
  ['sct', '61480009', 'Drug detoxification'],
  ['sct', '266707007', 'Drug addiction therapy'],
  ['sct', '24165007', 'Alcoholism counseling'],
  ['loinc', '65750-2', 'Drugs of abuse 5 panel - Urine by Screen method'],
  ['loinc', '72109-2', 'AUDIT-C panel'],
  ['loinc', '72110-0', 'AUDIT panel'],
  ['loinc', '75626-2', 'AUDIT-C total score'],
  ['loinc', '82667-7', 'DAST-10 total score'],
];

// HIV. LOINC rows come from the eCQM HIV test value sets (VSAC 2.16.840.1.113762.1.4.1248.377 viral load and the
// antibody/antigen tests of CMS349 "HIV Screening"); 31676001 is the HIV test Synthea records in prenatal care.
const hiv: CodeTable = [
  ['label', 'HIV', 'HIV/AIDS information sensitivity'],
  ['icd10', 'B20', 'HIV disease'],
  ['icd10', 'B97.35', 'HIV 2 as the cause of diseases classified elsewhere'],
  ['icd10', 'Z21', 'asymptomatic HIV infection status'],
  ['icd10', 'R75', 'inconclusive laboratory evidence of HIV'],
  ['icd10', 'O98.7', 'HIV disease complicating pregnancy, childbirth and the puerperium'],
  ['icd10', 'Z20.6', 'contact with and (suspected) exposure to HIV'],
  ['icd10', 'Z11.4', 'encounter for screening for HIV'],
  ['icd10', 'Z71.7', 'HIV counseling'],
  ['sct', '86406008', 'Human immunodeficiency virus infection'],
  ['sct', '91947003', 'Asymptomatic human immunodeficiency virus infection'],
  ['sct', '62479008', 'Acquired immune deficiency syndrome'],
  ['sct', '165816005', 'HIV positive'],
  ['sct', '165815009', 'HIV negative'],
  ['sct', '31676001', 'Human immunodeficiency virus antigen test'],
  ['loinc', '75622-1', 'HIV 1 and 2 tests - Meaningful Use set'],
  ['loinc', '7918-6', 'HIV 1+2 Ab [Presence] in Serum'],
  ['loinc', '5221-7', 'HIV 1 Ab [Presence] in Serum or Plasma by Immunoblot'],
  ['loinc', '68961-2', 'HIV 1 Ab [Presence] in Serum, Plasma or Blood by Rapid immunoassay'],
  ['loinc', '31201-7', 'HIV 1+2 Ab [Presence] in Serum or Plasma by Immunoassay'],
  ['loinc', '56888-1', 'HIV 1+2 Ab+HIV1 p24 Ag [Presence] in Serum or Plasma by Immunoassay'],
  ['loinc', '58900-2', 'HIV 1+2 Ab+HIV1 p24 Ag [Units/volume] in Serum or Plasma by Immunoassay'],
  ['loinc', '20447-9', 'HIV 1 RNA [#/volume] (viral load) in Serum or Plasma by NAA with probe detection'],
  ['loinc', '25836-8', 'HIV 1 RNA [#/volume] (viral load) in Serum or Plasma by NAA'],
  ['loinc', '21008-8', 'HIV 1 RNA [#/volume] (viral load) in Serum or Plasma by Probe'],
  ['loinc', '10351-5', 'HIV 1 RNA [Units/volume] (viral load) in Serum or Plasma by Probe with amplification'],
  ['loinc', '29541-0', 'HIV 1 RNA [Log #/volume] (viral load) in Serum or Plasma by NAA with probe detection'],
  ['loinc', '69354-9', 'HIV 2 RNA [Units/volume] (viral load) in Serum or Plasma by NAA with probe detection'],
];

// Sexual and reproductive health: pregnancy, contraception, abortion, infertility and sexually transmitted infections.
// SNOMED CT and RxNorm rows include what Synthea's pregnancy and contraceptives modules record (seen in the sample);
// LOINC chlamydia/gonorrhea rows from the eCQM "Chlamydia Screening" and "Gonorrhea Screening" value sets.
const sexualReproductive: CodeTable = [
  ['label', 'SEX', 'sexuality and reproductive health information sensitivity'],
  ['label', 'STD', 'sexually transmitted disease information sensitivity'],
  ['label', 'SDV', 'sexual assault, abuse, or domestic violence information sensitivity'],
  ['icd10', 'O', 'pregnancy, childbirth and the puerperium'],
  ['icd10', 'Z30-Z39', 'contraception, procreative management, pregnancy and delivery'],
  ['icd10', 'N70-N77', 'inflammatory diseases of female pelvic organs'],
  ['icd10', 'N97', 'female infertility'],
  ['icd10', 'N46', 'male infertility'],
  ['icd10', 'A50-A64', 'infections with a predominantly sexual mode of transmission'],
  ['icd10', 'Z11.3', 'screening for infections with a predominantly sexual mode of transmission'],
  ['icd10', 'Z20.2', 'contact with and (suspected) exposure to sexually transmitted infections'],
  ['sct', '72892002', 'Normal pregnancy'],
  ['sct', '77386006', 'Pregnancy'],
  ['sct', '19169002', 'Miscarriage in first trimester'],
  ['sct', '156073000', 'Fetus with unknown complication'],
  ['sct', '79586000', 'Tubal pregnancy'],
  ['sct', '35999006', 'Blighted ovum'],
  ['sct', '198992004', 'Antepartum eclampsia'],
  ['sct', '398254007', 'Pre-eclampsia'],
  ['sct', '609496007', 'Complication occurring during pregnancy'],
  ['sct', '10383002', 'Counseling for termination of pregnancy'],
  ['sct', '386394001', 'Pregnancy termination care'],
  ['sct', '714812005', 'Induced termination of pregnancy'],
  ['sct', '252160004', 'Standard pregnancy test'],
  ['sct', '169230002', 'Ultrasound scan for fetal viability'],
  ['sct', '271442007', 'Fetal anatomy study'],
  ['sct', '225158009', 'Auscultation of the fetal heart'],
  ['sct', '274804006', 'Evaluation of uterine fundal height'],
  ['sct', '424441002', 'Prenatal initial visit'],
  ['sct', '424619006', 'Prenatal visit'],
  ['sct', '169762003', 'Postnatal visit'],
  ['sct', '183460006', 'Obstetric emergency hospital admission'],
  ['sct', '134435003', 'Routine antenatal care'],
  ['sct', '135892000', 'Antenatal education'],
  ['sct', '312404004', 'Antenatal blood tests'],
  ['sct', '713076009', 'Antenatal risk assessment'],
  ['sct', '66348005', 'Childbirth'],
  ['sct', '11466000', 'Cesarean section'],
  ['sct', '236974004', 'Instrumental delivery'],
  ['sct', '31208007', 'Medical induction of labor'],
  ['sct', '85548006', 'Episiotomy'],
  ['sct', '65588006', 'Premature birth of newborn'],
  ['sct', '169553002', 'Insertion of subcutaneous contraceptive'],
  ['sct', '755621000000101', 'Replacement of subcutaneous contraceptive'],
  ['sct', '65200003', 'Insertion of intrauterine contraceptive device'],
  ['sct', '46706006', 'Replacement of contraceptive intrauterine device'],
  ['sct', '68254000', 'Removal of intrauterine device'],
  ['sct', '287664005', 'Bilateral tubal ligation'],
  ['sct', '22523008', 'Vasectomy'],
  ['sct', '8619003', 'Infertility'],
  ['sct', '165829005', 'Gonorrhea infection test'],
  ['sct', '269828009', 'Syphilis infection test'],
  ['sct', '310861008', 'Chlamydia antigen test'],
  ['sct', '15628003', 'Gonorrhea'],
  ['sct', '76272004', 'Syphilis'],
  ['sct', '105629000', 'Chlamydial infection'],
  ['sct', '33839006', 'Genital herpes simplex'],
  ['loinc', '2106-3', 'Choriogonadotropin (pregnancy test) [Presence] in Urine'],
  ['loinc', '21613-5', 'Chlamydia trachomatis DNA [Presence] in Specimen by NAA with probe detection'],
  ['loinc', '43304-5', 'Chlamydia trachomatis rRNA [Presence] in Specimen by NAA with probe detection'],
  ['loinc', '24111-7', 'Neisseria gonorrhoeae DNA [Presence] in Specimen by NAA with probe detection'],
  ['loinc', '43305-2', 'Neisseria gonorrhoeae rRNA [Presence] in Specimen by NAA with probe detection'],
  ['loinc', '36902-5', 'Chlamydia trachomatis+Neisseria gonorrhoeae DNA [Presence] in Specimen by NAA with probe detection'],
  ['rxnorm', '1000126', 'medroxyprogesterone acetate 150 MG/ML Injection'],
  ['rxnorm', '1000156', 'medroxyprogesterone acetate 160 MG/ML Prefilled Syringe'],
  ['rxnorm', '1367439', 'NuvaRing 0.12/0.015 MG per 24HR 21 Day Vaginal Ring'],
  ['rxnorm', '1534809', 'Ethinyl Estradiol / norelgestromin Transdermal System'],
  ['rxnorm', '1856546', 'Kyleena 19.5 MG Intrauterine System'],
  ['rxnorm', '807283', 'Mirena 52 MG Intrauterine System'],
  ['rxnorm', '389221', 'Etonogestrel 68 MG Drug Implant'],
  ['rxnorm', '235389', 'Mestranol / Norethynodrel [Enovid]'],
  ['rxnorm', '748856', 'Yaz 28 Day Pack'],
  ['rxnorm', '748879', 'Levora 0.15/30 28 Day Pack'],
  ['rxnorm', '748962', 'Camila 28 Day Pack'],
  ['rxnorm', '749762', 'Seasonique 91 Day Pack'],
  ['rxnorm', '749785', 'Ortho Tri-Cyclen 28 Day Pack'],
  ['rxnorm', '751905', 'Trinessa 28 Day Pack'],
  ['rxnorm', '757594', 'Jolivette 28 Day Pack'],
  ['rxnorm', '831533', 'Errin 28 Day Pack'],
  ['rxnorm', '978950', 'Natazia 28 Day Pack'],
];

// Genetics: genetic testing and susceptibility (GINA), not every congenital condition. ICD-10-CM Q chapter is left out
// on purpose: malformations and chromosomal diagnoses are usually evident clinically, and hiding a child's main
// diagnosis from a parent would do harm. LOINC rows are the HL7 genomics reporting panels; GE is HL7 v2 table 0074.
const genetics: CodeTable = [
  ['label', 'GDIS', 'genetic disease information sensitivity'],
  ['icd10', 'Z14', 'genetic carrier'],
  ['icd10', 'Z15', 'genetic susceptibility to disease'],
  ['icd10', 'Z13.7', 'screening for genetic and chromosomal anomalies'],
  ['icd10', 'Z31.43', 'genetic testing of female for procreative management'],
  ['icd10', 'Z31.44', 'genetic testing of male for procreative management'],
  ['icd10', 'Z84.81', 'family history of carrier of genetic disease'],
  ['sct', '405824009', 'Genetic test'],
  ['sct', '443529005', 'Screening for chromosomal aneuploidy in prenatal amniotic fluid'],
  ['loinc', '51969-4', 'Genetic analysis report'],
  ['loinc', '55233-1', 'Genetic analysis master panel'],
  ['loinc', '81247-9', 'Master HL7 genetic variant reporting panel'],
  ['loinc', '69548-6', 'Genetic variant assessment'],
  ['loinc', '48018-6', 'Gene studied [ID]'],
  ['loinc', '53037-8', 'Genetic disease sequence variation interpretation'],
  ['v2-0074', 'GE', 'Genetics (diagnostic service section)'],
];

// When several categories match, the most protected wins: HIV and substance use have their own laws (state HIV
// statutes, 42 CFR Part 2); sexual and reproductive health is the broadest. Security labels win over codes.
const precedence: readonly [SensitiveCategory, CodeTable][] = [
  ['hiv', hiv],
  ['substance_use', substanceUse],
  ['mental_health', mentalHealth],
  ['genetics', genetics],
  ['sexual_reproductive', sexualReproductive],
];

const systems: Readonly<Record<string, Vocabulary>> = {
  'http://terminology.hl7.org/CodeSystem/v3-ActCode': 'label',
  'urn:oid:2.16.840.1.113883.5.4': 'label',
  'http://hl7.org/fhir/v3/ActCode': 'label',
  'http://hl7.org/fhir/sid/icd-10-cm': 'icd10',
  'http://hl7.org/fhir/sid/icd-10': 'icd10',
  'http://snomed.info/sct': 'sct',
  'http://loinc.org': 'loinc',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'rxnorm',
  'http://terminology.hl7.org/CodeSystem/v2-0074': 'v2-0074',
};
const vocabularyOf = new Map(Object.entries(systems));

/** Code → bit of the category (bit 0 = highest precedence), per vocabulary; ICD-10 keys are prefixes without the dot. */
const lookup = new Map<Vocabulary, Map<string, number>>();
precedence.forEach(([, table], index) => {
  for (const [vocabulary, code] of table) {
    let codes = lookup.get(vocabulary);
    if (!codes) lookup.set(vocabulary, (codes = new Map<string, number>()));
    for (const key of vocabulary === 'icd10' ? icdPrefixes(code) : [code]) codes.set(key, (codes.get(key) ?? 0) | (1 << index));
  }
});
const icd10 = lookup.get('icd10')!;

/** 'F20-F99' → F20, F21 … F99; 'R45.851' → R45851. */
function icdPrefixes(row: string): string[] {
  const [from, to] = row.split('-');
  if (to === undefined) return [from!.replace('.', '')];
  const letter = from!.charAt(0);
  const out: string[] = [];
  for (let n = Number(from!.slice(1)); n <= Number(to.slice(1)); n++) out.push(`${letter}${String(n).padStart(2, '0')}`);
  return out;
}

function codeBits(system: unknown, code: unknown, labels: boolean): number {
  if (typeof system !== 'string' || typeof code !== 'string') return 0;
  const vocabulary = vocabularyOf.get(system);
  if (vocabulary === undefined || (vocabulary === 'label') !== labels) return 0;
  if (vocabulary !== 'icd10') return lookup.get(vocabulary)?.get(code) ?? 0;
  const key = code.replace('.', '').toUpperCase();
  for (let length = Math.min(key.length, 7); length > 0; length--) {
    const bits = icd10.get(key.slice(0, length));
    if (bits !== undefined) return bits;
  }
  return 0;
}

/** Elements holding CodeableConcepts that say what a resource is about. */
const conceptElements = [
  'code',
  'category',
  'type',
  'valueCodeableConcept',
  'reasonCode',
  'medicationCodeableConcept',
  'vaccineCode',
  'description',
  'serviceType',
  'conclusionCode',
];
/** Repeating backbone elements and the concepts inside them (Observation.component, CarePlan activities, claim lines). */
const nestedConcepts: readonly (readonly [string, readonly string[]])[] = [
  ['component', ['code']],
  ['component', ['valueCodeableConcept']],
  ['activity', ['detail', 'code']],
  ['item', ['productOrService']],
  ['diagnosis', ['diagnosisCodeableConcept']],
  ['procedure', ['procedureCodeableConcept']],
];

function conceptBits(value: unknown): number {
  let bits = 0;
  for (const concept of Array.isArray(value) ? value : [value]) {
    if (!isJsonObject(concept) || !Array.isArray(concept.coding)) continue;
    for (const coding of concept.coding) {
      if (isJsonObject(coding)) bits |= codeBits(coding.system, coding.code, false);
    }
  }
  return bits;
}

function labelBits(r: JsonObject): number {
  let bits = 0;
  const meta = r.meta;
  if (isJsonObject(meta) && Array.isArray(meta.security)) {
    for (const label of meta.security) if (isJsonObject(label)) bits |= codeBits(label.system, label.code, true);
  }
  if (Array.isArray(r.securityLabel)) {
    for (const concept of r.securityLabel) {
      if (!isJsonObject(concept) || !Array.isArray(concept.coding)) continue;
      for (const label of concept.coding) if (isJsonObject(label)) bits |= codeBits(label.system, label.code, true);
    }
  }
  return bits;
}

function highest(bits: number): SensitiveCategory {
  return precedence[31 - Math.clz32(bits & -bits)]![0];
}

/**
 * The sensitive category of a resource, or null. Security labels (meta.security, DocumentReference.securityLabel) decide
 * first; otherwise the codes of its code, category, type, value, reason, medication and similar elements. A
 * confidentiality label alone (v3-Confidentiality R or V) names no category, so it gives null here: see
 * hasRestrictedConfidentiality.
 */
export function sensitiveCategoryOf(resource: fhir4.Resource): SensitiveCategory | null {
  // Read defensively as unknown: the element names are fixed above, the values come from outside.
  const r = resource as unknown as JsonObject;
  const labels = labelBits(r);
  if (labels !== 0) return highest(labels);
  let bits = 0;
  for (const element of conceptElements) bits |= conceptBits(r[element]);
  for (const [outer, path] of nestedConcepts) {
    const items = r[outer];
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      let value: unknown = item;
      for (const step of path) value = isJsonObject(value) ? value[step] : undefined;
      bits |= conceptBits(value);
    }
  }
  return bits === 0 ? null : highest(bits);
}

const confidentialitySystems = new Set([
  'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  'urn:oid:2.16.840.1.113883.5.25',
  'http://hl7.org/fhir/v3/Confidentiality',
]);

/** True when meta.security marks the resource restricted (R) or very restricted (V): sensitive, though of no named category. */
export function hasRestrictedConfidentiality(resource: fhir4.Resource): boolean {
  const security = resource.meta?.security;
  if (!Array.isArray(security)) return false;
  return security.some(
    (label) =>
      typeof label === 'object' &&
      label !== null &&
      confidentialitySystems.has(label.system ?? '') &&
      (label.code === 'R' || label.code === 'V'),
  );
}
