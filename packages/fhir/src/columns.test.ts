/// <reference types="fhir" />
import { describe, expect, it } from 'vitest';
import { searchColumns, type SearchColumns } from './columns.ts';

const patient = { reference: 'urn:uuid:6f1b2f8e-3c1d-4a7b-9a4e-2d8c5b1e0f11' };
const encounter = { reference: 'urn:uuid:0b0c1c9e-7a1f-4e55-8f3e-0f6f5f0a1b22' };
const sct = (code: string) => ({ system: 'http://snomed.info/sct', code });
const columns = (resource: Record<string, unknown>) => searchColumns(resource as unknown as fhir4.Resource);
const at = (iso: string) => new Date(iso);
const none: SearchColumns = { category: null, code: null, effectiveAt: null, status: null, encounterReference: null, identifiers: [] };

describe('searchColumns', () => {
  it.each<[string, Record<string, unknown>, Partial<SearchColumns>]>([
    [
      'Observation',
      {
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
        subject: patient,
        encounter,
        effectiveDateTime: '2019-04-12T10:30:00-05:00',
        issued: '2019-04-13T00:00:00Z',
      },
      {
        category: 'laboratory',
        code: 'http://loinc.org|2345-7',
        effectiveAt: at('2019-04-12T15:30:00Z'),
        status: 'final',
        encounterReference: encounter.reference,
      },
    ],
    [
      'Observation with a Period and no category',
      { resourceType: 'Observation', status: 'final', code: { coding: [{ code: 'x' }] }, effectivePeriod: { start: '2019-04' } },
      { code: '|x', effectiveAt: at('2019-04-01T00:00:00Z'), status: 'final' },
    ],
    [
      'Observation with only issued',
      { resourceType: 'Observation', status: 'final', code: { text: 'note' }, issued: '2019-04-12T10:00:00.250Z' },
      { effectiveAt: at('2019-04-12T10:00:00.250Z'), status: 'final' },
    ],
    [
      'Condition',
      {
        resourceType: 'Condition',
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
        code: { coding: [sct('38341003')] },
        subject: patient,
        encounter,
        onsetDateTime: '2019',
      },
      {
        category: 'problem-list-item',
        code: 'http://snomed.info/sct|38341003',
        effectiveAt: at('2019-01-01T00:00:00Z'),
        status: 'active',
        encounterReference: encounter.reference,
      },
    ],
    [
      'Condition dated only by recordedDate',
      { resourceType: 'Condition', subject: patient, recordedDate: '2020-02-03' },
      { effectiveAt: at('2020-02-03T00:00:00Z') },
    ],
    [
      'Encounter',
      {
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        type: [{ text: 'no coding' }, { coding: [sct('185349003')] }],
        subject: patient,
        period: { start: '2019-04-12T10:00:00+00:00', end: '2019-04-12T10:15:00+00:00' },
        identifier: { system: 'urn:visit', value: 'V1' },
      },
      {
        category: 'AMB',
        code: 'http://snomed.info/sct|185349003',
        effectiveAt: at('2019-04-12T10:00:00Z'),
        status: 'finished',
        identifiers: ['urn:visit|V1'],
      },
    ],
    [
      'DiagnosticReport',
      {
        resourceType: 'DiagnosticReport',
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '58410-2' }] },
        effectiveDateTime: '2019-04-12T10:00:00Z',
        identifier: [{ system: 'urn:lab', value: 'R1' }, { value: 'no-system' }, { system: 'urn:lab' }],
      },
      {
        category: 'LAB',
        code: 'http://loinc.org|58410-2',
        effectiveAt: at('2019-04-12T10:00:00Z'),
        status: 'final',
        identifiers: ['urn:lab|R1', '|no-system'],
      },
    ],
    [
      'MedicationRequest',
      {
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        category: [{ coding: [{ code: 'outpatient' }] }],
        medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '313782' }] },
        subject: patient,
        encounter,
        authoredOn: '2019-04-12T10:00:00Z',
      },
      {
        category: 'outpatient',
        code: 'http://www.nlm.nih.gov/research/umls/rxnorm|313782',
        effectiveAt: at('2019-04-12T10:00:00Z'),
        status: 'active',
        encounterReference: encounter.reference,
      },
    ],
    [
      'Immunization',
      {
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '140' }] },
        patient,
        occurrenceDateTime: '2019-10-01',
      },
      { code: 'http://hl7.org/fhir/sid/cvx|140', effectiveAt: at('2019-10-01T00:00:00Z'), status: 'completed' },
    ],
    [
      'Procedure',
      {
        resourceType: 'Procedure',
        status: 'completed',
        category: { coding: [sct('387713003')] },
        code: { coding: [sct('80146002')] },
        subject: patient,
        performedPeriod: { start: '2019-04-12T10:00:00Z' },
      },
      { category: '387713003', code: 'http://snomed.info/sct|80146002', effectiveAt: at('2019-04-12T10:00:00Z'), status: 'completed' },
    ],
    [
      'AllergyIntolerance',
      {
        resourceType: 'AllergyIntolerance',
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'resolved' }] },
        category: ['food'],
        code: { coding: [sct('91934008')] },
        patient,
        recordedDate: '2019-04-12',
      },
      { category: 'food', code: 'http://snomed.info/sct|91934008', effectiveAt: at('2019-04-12T00:00:00Z'), status: 'resolved' },
    ],
    [
      'CarePlan',
      {
        resourceType: 'CarePlan',
        status: 'active',
        intent: 'plan',
        category: [
          { coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category', code: 'assess-plan' }] },
          { coding: [sct('698360004')] },
        ],
        subject: patient,
        created: '2019-04-12',
      },
      { category: 'assess-plan', code: 'http://snomed.info/sct|698360004', effectiveAt: at('2019-04-12T00:00:00Z'), status: 'active' },
    ],
    [
      'Goal',
      {
        resourceType: 'Goal',
        lifecycleStatus: 'active',
        description: { coding: [sct('289169006')] },
        subject: patient,
        statusDate: '2019-05-01',
      },
      { code: 'http://snomed.info/sct|289169006', effectiveAt: at('2019-05-01T00:00:00Z'), status: 'active' },
    ],
    [
      'Claim',
      {
        resourceType: 'Claim',
        status: 'active',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
        patient,
        created: '2019-04-13',
        billablePeriod: { start: '2019-04-12T10:00:00Z' },
      },
      { code: 'http://terminology.hl7.org/CodeSystem/claim-type|professional', effectiveAt: at('2019-04-12T10:00:00Z'), status: 'active' },
    ],
    [
      'ExplanationOfBenefit dated by created',
      {
        resourceType: 'ExplanationOfBenefit',
        status: 'active',
        type: { coding: [{ code: 'institutional' }] },
        patient,
        created: '2019-04-13T08:00:00Z',
      },
      { code: '|institutional', effectiveAt: at('2019-04-13T08:00:00Z'), status: 'active' },
    ],
    [
      'ImagingStudy',
      { resourceType: 'ImagingStudy', status: 'available', subject: patient, started: '2019-04-12T10:00:00Z' },
      { effectiveAt: at('2019-04-12T10:00:00Z'), status: 'available' },
    ],
    [
      'DocumentReference with the encounter in context',
      {
        resourceType: 'DocumentReference',
        status: 'current',
        type: { coding: [{ system: 'http://loinc.org', code: '34133-9' }] },
        date: '2019-04-12T10:00:00Z',
        context: { encounter: [encounter] },
      },
      {
        code: 'http://loinc.org|34133-9',
        effectiveAt: at('2019-04-12T10:00:00Z'),
        status: 'current',
        encounterReference: encounter.reference,
      },
    ],
    [
      'an STU3-style context reference',
      { resourceType: 'MedicationStatement', status: 'active', context: encounter },
      { status: 'active', encounterReference: encounter.reference },
    ],
    [
      'Organization',
      { resourceType: 'Organization', name: 'Clinic', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '123' }] },
      { identifiers: ['http://hl7.org/fhir/sid/us-npi|123'] },
    ],
  ])('%s', (_name, resource, expected) => {
    expect(columns(resource)).toEqual({ ...none, ...expected });
  });

  it('reads partial dates as the start of the period in UTC and invalid dates as null', () => {
    const effective = (effectiveDateTime: string) => columns({ resourceType: 'Observation', effectiveDateTime }).effectiveAt;
    expect(effective('2019')).toEqual(at('2019-01-01T00:00:00Z'));
    expect(effective('2019-04')).toEqual(at('2019-04-01T00:00:00Z'));
    expect(effective('2019-04-12')).toEqual(at('2019-04-12T00:00:00Z'));
    expect(effective('2019-12-31T23:30:00-01:00')).toEqual(at('2020-01-01T00:30:00Z'));
    expect(effective('0099-01-01')?.toISOString()).toBe('0099-01-01T00:00:00.000Z');
    for (const bad of ['2019-13-01', '2019-02-30', '12/04/2019', '2019-04-12T10:00', '']) expect(effective(bad)).toBeNull();
  });

  it('prefers effective[x] over issued and onset over recordedDate', () => {
    expect(
      columns({ resourceType: 'Observation', effectiveInstant: '2019-04-12T10:00:00Z', issued: '2020-01-01T00:00:00Z' }).effectiveAt,
    ).toEqual(at('2019-04-12T10:00:00Z'));
    expect(columns({ resourceType: 'Condition', onsetPeriod: { start: '2018' }, recordedDate: '2020' }).effectiveAt).toEqual(
      at('2018-01-01T00:00:00Z'),
    );
  });

  it('never throws on odd shapes', () => {
    const odd = {
      resourceType: 'Observation',
      code: 'x',
      category: [null, 'x', { coding: 'y' }],
      encounter: [],
      identifier: [null, 7],
      effectiveDateTime: 5,
      class: 'x',
      status: 1,
    };
    expect(columns(odd)).toEqual(none);
  });
});
