/// <reference types="fhir" />
import { describe, expect, it } from 'vitest';
import { isPatientCompartmentType, patientReferenceOf } from './compartment.ts';

const as = (resource: Record<string, unknown>) => resource as unknown as fhir4.Resource;
const urn = 'urn:uuid:6f1b2f8e-3c1d-4a7b-9a4e-2d8c5b1e0f11';

describe('isPatientCompartmentType', () => {
  it('includes Patient and the R4 Patient compartment, not directory resources', () => {
    for (const type of [
      'Patient',
      'Observation',
      'Encounter',
      'Claim',
      'ExplanationOfBenefit',
      'Coverage',
      'Provenance',
      'SupplyRequest',
      'Group',
    ]) {
      expect(isPatientCompartmentType(type)).toBe(true);
    }
    for (const type of ['Organization', 'Practitioner', 'PractitionerRole', 'Location', 'Medication', 'Bundle', 'Device', 'Task', 'Nope']) {
      expect(isPatientCompartmentType(type)).toBe(false);
    }
  });
});

describe('patientReferenceOf', () => {
  it.each<[string, Record<string, unknown>, string | null]>([
    ['Observation.subject as written', { resourceType: 'Observation', subject: { reference: urn } }, urn],
    ['Condition.subject', { resourceType: 'Condition', subject: { reference: 'Patient/123' } }, 'Patient/123'],
    ['Encounter.subject', { resourceType: 'Encounter', subject: { reference: 'Patient/123/_history/2' } }, 'Patient/123/_history/2'],
    ['Immunization.patient', { resourceType: 'Immunization', patient: { reference: urn } }, urn],
    [
      'AllergyIntolerance.patient over recorder',
      { resourceType: 'AllergyIntolerance', recorder: { reference: 'Practitioner/9' }, patient: { reference: 'Patient/1' } },
      'Patient/1',
    ],
    ['Claim.patient', { resourceType: 'Claim', patient: { reference: urn } }, urn],
    [
      'Coverage.beneficiary over policyHolder',
      { resourceType: 'Coverage', policyHolder: { reference: 'Patient/9' }, beneficiary: { reference: 'Patient/1' } },
      'Patient/1',
    ],
    ['Coverage.subscriber when it is the patient', { resourceType: 'Coverage', subscriber: { reference: 'Patient/7' } }, 'Patient/7'],
    [
      'an absolute Patient URL',
      { resourceType: 'Observation', subject: { reference: 'https://ehr.example/fhir/Patient/5' } },
      'https://ehr.example/fhir/Patient/5',
    ],
    ['a subject that is a Group', { resourceType: 'Observation', subject: { reference: 'Group/1' } }, null],
    ['a subject typed Group by Reference.type', { resourceType: 'Observation', subject: { reference: urn, type: 'Group' } }, null],
    [
      'a performer who is the patient',
      {
        resourceType: 'Observation',
        subject: { reference: 'Group/1' },
        performer: [{ reference: 'Practitioner/2' }, { reference: 'Patient/3' }],
      },
      'Patient/3',
    ],
    ['an untyped performer', { resourceType: 'Observation', performer: [{ reference: urn }] }, null],
    [
      'Procedure.performer.actor typed by Reference.type',
      { resourceType: 'Procedure', performer: [{ actor: { reference: urn, type: 'Patient' } }] },
      urn,
    ],
    [
      'Appointment.participant.actor',
      { resourceType: 'Appointment', participant: [{ actor: { reference: 'Practitioner/1' } }, { actor: { reference: 'Patient/2' } }] },
      'Patient/2',
    ],
    ['Provenance.target that is not typed', { resourceType: 'Provenance', target: [{ reference: urn }] }, null],
    [
      'Provenance.target that is a Patient',
      { resourceType: 'Provenance', target: [{ reference: 'Observation/1' }, { reference: 'Patient/4' }] },
      'Patient/4',
    ],
    ['a reference with only a display', { resourceType: 'Observation', subject: { display: 'Ann' } }, null],
    ['Patient itself', { resourceType: 'Patient', id: '1', link: [{ other: { reference: 'Patient/2' }, type: 'seealso' }] }, null],
    ['a directory resource', { resourceType: 'Organization', name: 'x' }, null],
  ])('%s', (_name, resource, expected) => {
    expect(patientReferenceOf(as(resource))).toBe(expected);
  });
});
