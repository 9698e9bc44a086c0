/// <reference types="fhir" />
import { describe, expect, it } from 'vitest';
import { hasRestrictedConfidentiality, sensitiveCategoryOf, type SensitiveCategory } from './sensitivity.ts';

const actCode = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const icd10 = 'http://hl7.org/fhir/sid/icd-10-cm';
const sct = 'http://snomed.info/sct';
const loinc = 'http://loinc.org';
const rxnorm = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const subject = { reference: 'Patient/1' };

const as = (resource: Record<string, unknown>) => resource as unknown as fhir4.Resource;
const condition = (system: string, code: string) => as({ resourceType: 'Condition', subject, code: { coding: [{ system, code }] } });
const observation = (system: string, code: string) =>
  as({ resourceType: 'Observation', status: 'final', subject, code: { coding: [{ system, code }] } });
const labelled = (code: string, system = actCode) =>
  as({ resourceType: 'Observation', status: 'final', subject, code: { text: 'note' }, meta: { security: [{ system, code }] } });

describe('sensitiveCategoryOf', () => {
  it.each<[SensitiveCategory, string[]]>([
    ['mental_health', ['PSY', 'PSYTHPN', 'BH']],
    ['substance_use', ['ETH', 'ETHUD', 'OPIOIDUD']],
    ['hiv', ['HIV']],
    ['sexual_reproductive', ['SEX', 'STD', 'SDV']],
    ['genetics', ['GDIS']],
  ])('reads the %s security labels', (category, codes) => {
    for (const code of codes) expect(sensitiveCategoryOf(labelled(code))).toBe(category);
    expect(sensitiveCategoryOf(labelled(codes[0]!, 'urn:oid:2.16.840.1.113883.5.4'))).toBe(category);
  });

  it.each<[SensitiveCategory, fhir4.Resource]>([
    ['mental_health', condition(icd10, 'F32.9')],
    ['mental_health', condition(icd10, 'F03.90')],
    ['mental_health', condition(icd10, 'R45.851')],
    ['mental_health', condition(sct, '370143000')],
    ['mental_health', observation(loinc, '44261-6')],
    [
      'mental_health',
      as({ resourceType: 'Procedure', status: 'completed', subject, code: { coding: [{ system: sct, code: '171207006' }] } }),
    ],
    ['substance_use', condition(icd10, 'F10.20')],
    ['substance_use', condition(icd10, 'F11')],
    ['substance_use', condition(sct, '6525002')],
    ['substance_use', condition(sct, '55680006')],
    ['substance_use', observation(loinc, '82667-7')],
    ['hiv', condition(icd10, 'B20')],
    ['hiv', condition(icd10, 'Z21')],
    ['hiv', condition(icd10, 'O98.72')],
    ['hiv', condition(sct, '86406008')],
    ['hiv', observation(loinc, '56888-1')],
    ['sexual_reproductive', condition(icd10, 'O09.90')],
    ['sexual_reproductive', condition(icd10, 'Z30.011')],
    ['sexual_reproductive', condition(icd10, 'A56.01')],
    ['sexual_reproductive', condition(icd10, 'N76.0')],
    ['sexual_reproductive', condition(sct, '72892002')],
    ['sexual_reproductive', observation(loinc, '2106-3')],
    [
      'sexual_reproductive',
      as({
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        subject,
        medicationCodeableConcept: { coding: [{ system: rxnorm, code: '748856' }] },
      }),
    ],
    ['genetics', condition(icd10, 'Z15.01')],
    ['genetics', condition(icd10, 'Z31.430')],
    ['genetics', observation(loinc, '81247-9')],
    [
      'genetics',
      as({
        resourceType: 'DiagnosticReport',
        status: 'final',
        code: { text: 'Panel' },
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'GE' }] }],
      }),
    ],
  ])('marks %s from codes (%#)', (category, resource) => {
    expect(sensitiveCategoryOf(resource)).toBe(category);
  });

  it('looks at values, reasons, encounter types, care plan activities and claim lines', () => {
    const value = as({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'Cause of death' },
      valueCodeableConcept: { coding: [{ system: sct, code: '55680006' }] },
    });
    const reason = as({
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'AMB' },
      reasonCode: [{ coding: [{ system: sct, code: '72892002' }] }],
    });
    const type = as({
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'IMP' },
      type: [{ coding: [{ system: sct, code: '56876005' }] }],
    });
    const activity = as({
      resourceType: 'CarePlan',
      status: 'active',
      intent: 'plan',
      subject,
      activity: [{ detail: { status: 'completed', code: { coding: [{ system: sct, code: '60112009' }] } } }],
    });
    const claim = as({
      resourceType: 'Claim',
      status: 'active',
      item: [{ sequence: 1, productOrService: { coding: [{ system: sct, code: '31676001' }] } }],
    });
    const component = as({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'Survey' },
      component: [{ code: { coding: [{ system: loinc, code: '70274-6' }] } }],
    });
    expect([value, reason, type, activity, claim, component].map((r) => sensitiveCategoryOf(r))).toEqual([
      'substance_use',
      'sexual_reproductive',
      'substance_use',
      'substance_use',
      'hiv',
      'mental_health',
    ]);
  });

  it('lets security labels win over codes, and the most protected category win among codes', () => {
    const both = as({
      resourceType: 'Condition',
      subject,
      code: { coding: [{ system: icd10, code: 'F32.9' }] },
      meta: { security: [{ system: actCode, code: 'SEX' }] },
    });
    expect(sensitiveCategoryOf(both)).toBe('sexual_reproductive');
    const pregnancyAndHiv = as({
      resourceType: 'Condition',
      subject,
      code: {
        coding: [
          { system: sct, code: '72892002' },
          { system: sct, code: '86406008' },
        ],
      },
    });
    expect(sensitiveCategoryOf(pregnancyAndHiv)).toBe('hiv');
  });

  it('leaves ordinary records unmarked', () => {
    expect(sensitiveCategoryOf(condition(sct, '38341003'))).toBeNull(); // hypertension
    expect(sensitiveCategoryOf(condition(icd10, 'I10'))).toBeNull();
    expect(sensitiveCategoryOf(condition(icd10, 'F'))).toBeNull();
    expect(sensitiveCategoryOf(observation(loinc, '58410-2'))).toBeNull(); // CBC panel
    expect(sensitiveCategoryOf(observation(loinc, '8302-2'))).toBeNull(); // body height
    expect(sensitiveCategoryOf(condition(sct, '449868002'))).toBeNull(); // smokes tobacco daily
    expect(sensitiveCategoryOf(condition('http://example.org/local', 'F32.9'))).toBeNull();
    expect(sensitiveCategoryOf(as({ resourceType: 'Patient' }))).toBeNull();
    expect(
      sensitiveCategoryOf(
        as({
          resourceType: 'Observation',
          meta: { security: [{ system: sct, code: 'HIV' }] },
          code: { coding: [{ system: actCode, code: 'HIV' }] },
        }),
      ),
    ).toBeNull();
  });

  it('gives no category for a confidentiality label alone, which hasRestrictedConfidentiality reports instead', () => {
    const restricted = labelled('R', 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality');
    expect(sensitiveCategoryOf(restricted)).toBeNull();
    expect(hasRestrictedConfidentiality(restricted)).toBe(true);
    expect(hasRestrictedConfidentiality(labelled('V', 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality'))).toBe(true);
    expect(hasRestrictedConfidentiality(labelled('N', 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality'))).toBe(false);
    expect(hasRestrictedConfidentiality(labelled('PSY'))).toBe(false);
  });
});
