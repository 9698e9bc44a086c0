import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  afterVisitNoteText,
  isVitalSign,
  nameOfResource,
  referencesToName,
  selectAllergies,
  selectCarePlans,
  selectGoals,
  selectMedications,
  selectProblems,
  toAllergyItem,
  toCarePlanItem,
  toMeasurementItem,
  toProcedure,
  toVisitItem,
  type StoredResource,
} from './record-view.ts';

const noNames = new Map<string, string>();
let clock = Date.parse('2025-01-01T00:00:00Z');

/** A stored row around a resource; each call is a day newer than the last unless `effectiveAt` says otherwise. */
function row(resource: Record<string, unknown>, columns: Partial<StoredResource> = {}): StoredResource {
  clock += 86_400_000;
  return {
    id: randomUUID(),
    resourceType: String(resource.resourceType),
    category: null,
    code: null,
    status: null,
    effectiveAt: new Date(clock),
    encounterId: null,
    resource,
    ...columns,
  };
}

const status = (code: string) => ({ coding: [{ code }] });
const condition = (name: string, clinical: string | null, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Condition',
  ...(clinical ? { clinicalStatus: status(clinical) } : {}),
  code: { text: name },
  ...extra,
});
const listed = { category: [{ coding: [{ code: 'problem-list-item' }] }] };

describe('selectProblems', () => {
  it('keeps problem-list items in any status and diagnoses only while active', () => {
    const rows = [
      row(condition('Asthma', 'active', listed)),
      row(condition('Old fracture', 'resolved', { ...listed, abatementDateTime: '2020-02-02' })),
      row(condition('Bronchitis', 'active')),
      row(condition('Sinusitis', 'resolved')),
      row(condition('Remission', 'remission', { category: [{ coding: [{ code: 'encounter-diagnosis' }] }] })),
      row(condition('Concern', 'active', { category: [{ coding: [{ code: 'health-concern' }] }] })),
      row(condition('Unknown status', null)),
    ];
    const names = selectProblems(rows, new Set()).map((p) => `${p.name}:${p.clinicalStatus}`);
    expect(names).toEqual(['Concern:active', 'Bronchitis:active', 'Asthma:active', 'Old fracture:resolved']);
  });

  it('leaves out entered-in-error and refuted conditions', () => {
    const rows = [
      row(condition('Wrong', 'active', { ...listed, verificationStatus: status('entered-in-error') })),
      row(condition('Ruled out', 'active', { verificationStatus: status('refuted') })),
    ];
    expect(selectProblems(rows, new Set())).toEqual([]);
  });

  it('shows one entry per code: active before resolved, problem-list item before diagnosis, then the newest', () => {
    const code = 'http://snomed.info/sct|59621000';
    const oldListed = row(condition('Hypertension (listed)', 'active', listed), { code });
    const newerDiagnosis = row(condition('Hypertension (diagnosis)', 'active'), { code });
    const resolvedNewest = row(condition('Hypertension (resolved)', 'resolved', listed), { code });
    expect(selectProblems([resolvedNewest, newerDiagnosis, oldListed], new Set()).map((p) => p.name)).toEqual(['Hypertension (listed)']);
    const sameName = [row(condition('Gout', 'active')), row(condition('gout', 'active'))];
    expect(selectProblems(sameName, new Set())).toHaveLength(1);
  });

  it('links a problem to its visit only when the visit can be opened, and keeps partial dates as written', () => {
    const visible = randomUUID();
    const hidden = randomUUID();
    const rows = [
      row(condition('A', 'active', { onsetPeriod: { start: '2019' } }), { encounterId: visible }),
      row(condition('B', 'active', { onsetDateTime: '2019-04' }), { encounterId: hidden }),
    ];
    const [b, a] = selectProblems(rows, new Set([visible]));
    expect(a).toMatchObject({ name: 'A', visitId: visible, onset: '2019', resolved: null });
    expect(b).toMatchObject({ name: 'B', visitId: null, onset: '2019-04' });
  });

  it('calls a condition with an abatement but no clinical status resolved', () => {
    const [item] = selectProblems([row(condition('Healed', null, { ...listed, abatementDateTime: '2021' }))], new Set());
    expect(item).toMatchObject({ clinicalStatus: 'resolved', resolved: '2021' });
  });
});

describe('allergies', () => {
  it('joins each reaction’s manifestations and falls back to the reaction description', () => {
    const item = toAllergyItem(
      row({
        resourceType: 'AllergyIntolerance',
        code: { coding: [{ display: 'Peanut' }] },
        clinicalStatus: status('active'),
        reaction: [
          { manifestation: [{ text: 'Hives' }, { text: 'Hives' }, { text: 'Wheezing' }], severity: 'moderate' },
          { description: 'Felt faint' },
        ],
      }),
    );
    expect(item).toMatchObject({
      substance: 'Peanut',
      reactions: [
        { manifestation: 'Hives, Wheezing', severity: 'moderate' },
        { manifestation: 'Felt faint', severity: null },
      ],
    });
  });

  it('drops refuted allergies and lists active ones first', () => {
    expect(toAllergyItem(row({ resourceType: 'AllergyIntolerance', verificationStatus: status('refuted') }))).toBeNull();
    const older = row({ resourceType: 'AllergyIntolerance', code: { text: 'Latex' }, clinicalStatus: status('active') });
    const newer = row({ resourceType: 'AllergyIntolerance', code: { text: 'Dust' }, clinicalStatus: status('resolved') });
    expect(selectAllergies([newer, older]).map((a) => a.substance)).toEqual(['Latex', 'Dust']);
  });
});

describe('selectMedications', () => {
  const med = (name: string, code: string, medStatus: string, extra: Record<string, unknown> = {}) =>
    row(
      { resourceType: 'MedicationRequest', status: medStatus, medicationCodeableConcept: { text: name }, ...extra },
      { code, status: medStatus },
    );

  it('lists current orders first and each earlier medicine once, never one that is current', () => {
    const current = [med('Metformin', 'rx|1', 'active'), med('Statin', 'rx|2', 'on-hold')];
    const past = [
      med('Metformin old', 'rx|1', 'stopped'),
      med('Antibiotic', 'rx|3', 'completed'),
      med('Antibiotic again', 'rx|3', 'completed'),
    ];
    const items = selectMedications(current, past, noNames);
    expect(items.map((m) => [m.name, m.current])).toEqual([
      ['Statin', true],
      ['Metformin', true],
      ['Antibiotic again', false],
    ]);
  });

  it('names the medicine and the prescriber from referenced resources when the reference has no display', () => {
    const medicationId = randomUUID();
    const practitionerId = randomUUID();
    const names = new Map([
      [medicationId, 'Insulin glargine'],
      [practitionerId, 'Dr. Lee'],
    ]);
    const request = med('', 'rx|4', 'active', {
      medicationCodeableConcept: undefined,
      medicationReference: { reference: `Medication/${medicationId}` },
      requester: { reference: `Practitioner/${practitionerId}` },
      reasonCode: [{ text: 'Diabetes' }],
    });
    expect(referencesToName(request).map((r) => r.reference)).toEqual([`Medication/${medicationId}`, `Practitioner/${practitionerId}`]);
    expect(selectMedications([request], [], names)[0]).toMatchObject({
      name: 'Insulin glargine',
      prescriber: 'Dr. Lee',
      reason: 'Diabetes',
    });
  });

  it('reads a MedicationStatement: its dosage, no prescriber, the date asserted', () => {
    const statement = row({
      resourceType: 'MedicationStatement',
      status: 'active',
      medicationCodeableConcept: { text: 'Aspirin' },
      dosage: [{ text: 'Daily' }],
      dateAsserted: '2024-01-02',
    });
    expect(selectMedications([statement], [], noNames)[0]).toMatchObject({
      name: 'Aspirin',
      directions: 'Daily',
      prescriber: null,
      authoredOn: '2024-01-02',
      current: true,
    });
  });
});

describe('care plans and goals', () => {
  it('titles a care plan by its title, else its non-assess-plan category, else its description', () => {
    const plan = (extra: Record<string, unknown>) =>
      toCarePlanItem(row({ resourceType: 'CarePlan', status: 'active', ...extra }), noNames).title;
    expect(plan({ title: 'Diabetes plan', category: [{ text: 'Other' }] })).toBe('Diabetes plan');
    expect(plan({ category: [{ coding: [{ code: 'assess-plan' }] }, { text: 'Self care' }] })).toBe('Self care');
    expect(plan({ description: 'Walk daily' })).toBe('Walk daily');
    expect(plan({})).toBe('Care plan');
  });

  it('lists activities once each, from codes, descriptions or references, and the conditions addressed', () => {
    const conditionId = randomUUID();
    const item = toCarePlanItem(
      row({
        resourceType: 'CarePlan',
        status: 'active',
        addresses: [{ reference: `Condition/${conditionId}` }, { display: 'Obesity' }, { reference: 'Condition/unknown' }],
        activity: [
          { detail: { code: { text: 'Diet' } } },
          { detail: { description: 'Walk' } },
          { reference: { display: 'Referral' } },
          { detail: { code: { text: 'Diet' } } },
          {},
        ],
      }),
      new Map([[conditionId, 'Prediabetes']]),
    );
    expect(item.activities).toEqual(['Diet', 'Walk', 'Referral']);
    expect(item.addresses).toEqual(['Prediabetes', 'Obesity']);
  });

  it('orders active care plans and live goals first', () => {
    const plans = [
      row({ resourceType: 'CarePlan', status: 'active', title: 'Old' }),
      row({ resourceType: 'CarePlan', status: 'completed', title: 'New' }),
    ];
    expect(selectCarePlans(plans, noNames).map((p) => p.title)).toEqual(['Old', 'New']);
    const goals = [
      row({ resourceType: 'Goal', lifecycleStatus: 'active', description: { text: 'A1c' } }),
      row({ resourceType: 'Goal', lifecycleStatus: 'completed', description: { text: 'Weight' } }),
      row({ resourceType: 'Goal', lifecycleStatus: 'proposed', description: { text: 'Steps' } }),
    ];
    expect(selectGoals(goals).map((g) => g.description)).toEqual(['Steps', 'A1c', 'Weight']);
  });
});

describe('toVisitItem', () => {
  it('prefers the primary performer, names the setting and takes the location before the service provider', () => {
    const item = toVisitItem(
      row({
        resourceType: 'Encounter',
        status: 'finished',
        class: { code: 'VR' },
        serviceType: { text: 'Telehealth' },
        participant: [
          { individual: { display: 'Nurse Kim' } },
          { type: [{ coding: [{ code: 'PPRF' }] }], individual: { display: 'Dr. Chen' } },
        ],
        location: [{ location: { display: 'Video' } }],
        serviceProvider: { display: 'Clinic' },
        period: { start: '2024-03-04T10:00:00Z' },
      }),
      noNames,
    );
    expect(item).toMatchObject({
      type: 'Telehealth',
      setting: 'virtual',
      clinician: 'Dr. Chen',
      location: 'Video',
      start: '2024-03-04T10:00:00Z',
      end: null,
    });
  });

  it('names the reason from a referenced condition and survives an empty Encounter', () => {
    const conditionId = randomUUID();
    const encounter = row(
      { resourceType: 'Encounter', reasonReference: [{ reference: `Condition/${conditionId}` }] },
      { status: 'finished' },
    );
    expect(toVisitItem(encounter, new Map([[conditionId, 'Back pain']]))).toMatchObject({
      type: 'Visit',
      setting: null,
      status: 'finished',
      reason: 'Back pain',
      clinician: null,
      location: null,
    });
  });
});

describe('toMeasurementItem', () => {
  const vital = (extra: Record<string, unknown>) =>
    row({ resourceType: 'Observation', code: { text: 'Vital' }, category: [{ coding: [{ code: 'vital-signs' }] }], ...extra });

  it('writes blood pressure as systolic/diastolic in mmHg whatever the component order', () => {
    const bp = vital({
      component: [
        { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 79.6 } },
        { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 121.2 } },
      ],
    });
    expect(toMeasurementItem(bp)).toMatchObject({ value: '121/80', unit: 'mmHg' });
    expect(isVitalSign(bp)).toBe(true);
  });

  it('rounds numbers to one decimal, keeps comparators and coded values, and skips a vital without a value', () => {
    expect(toMeasurementItem(vital({ valueQuantity: { value: 36.849999, unit: 'Cel' } }))).toMatchObject({ value: '36.8', unit: 'Cel' });
    expect(toMeasurementItem(vital({ valueQuantity: { value: 90, comparator: '<', unit: '%' } }))).toMatchObject({
      value: '< 90',
      unit: '%',
    });
    expect(toMeasurementItem(vital({ valueCodeableConcept: { text: 'Irregular' } }))).toMatchObject({ value: 'Irregular', unit: null });
    expect(toMeasurementItem(vital({ component: [{ code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 120 } }] }))).toBeNull();
  });
});

describe('afterVisitNoteText', () => {
  const note = (type: string, extra: Record<string, unknown> = {}) =>
    row({
      resourceType: 'DocumentReference',
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: type }] },
      content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('Take it easy – ½ dose.').toString('base64') } }],
      ...extra,
    });

  it('reads patient instructions and education notes, not clinicians’ own notes', () => {
    expect(afterVisitNoteText(note('69730-0'))).toBe('Take it easy – ½ dose.');
    expect(afterVisitNoteText(note('34895-3'))).toBe('Take it easy – ½ dose.');
    expect(afterVisitNoteText(note('11506-3'))).toBeNull();
  });

  it('falls back to the description, and skips superseded or preliminary documents', () => {
    expect(
      afterVisitNoteText(
        note('8653-8', {
          content: [{ attachment: { contentType: 'application/pdf', data: 'JVBERi0=' } }],
          description: 'Discharge instructions',
        }),
      ),
    ).toBe('Discharge instructions');
    expect(afterVisitNoteText(note('69730-0', { status: 'superseded' }))).toBeNull();
    expect(afterVisitNoteText(note('69730-0', { docStatus: 'preliminary' }))).toBeNull();
  });
});

describe('names of referenced resources', () => {
  it('names practitioners, organizations, locations, medications and conditions', () => {
    expect(
      nameOfResource('Practitioner', {
        name: [
          { use: 'old', text: 'Old name' },
          { given: ['Ana'], family: 'Ruiz', prefix: ['Dr.'] },
        ],
      }),
    ).toBe('Dr. Ana Ruiz');
    expect(nameOfResource('Organization', { name: 'General Hospital' })).toBe('General Hospital');
    expect(nameOfResource('Location', { name: 'Room 4' })).toBe('Room 4');
    expect(nameOfResource('Medication', { code: { text: 'Insulin' } })).toBe('Insulin');
    expect(nameOfResource('Condition', {})).toBeNull();
    expect(nameOfResource('Patient', { name: [{ text: 'Someone' }] })).toBeNull();
  });

  it('asks only for references that lack a display', () => {
    const encounter = row({
      resourceType: 'Encounter',
      participant: [{ individual: { reference: 'Practitioner/abc', display: 'Dr. Known' } }],
      serviceProvider: { reference: 'Organization/def' },
    });
    expect(referencesToName(encounter).map((r) => r.reference)).toEqual(['Organization/def']);
  });

  it('dates a procedure by performedDateTime or the start of performedPeriod', () => {
    expect(toProcedure(row({ resourceType: 'Procedure', code: { text: 'ECG' }, performedDateTime: '2024-01-01' })).date).toBe('2024-01-01');
    expect(toProcedure(row({ resourceType: 'Procedure', performedPeriod: { start: '2024-02-02T10:00:00Z' } }))).toMatchObject({
      name: 'Procedure',
      date: '2024-02-02T10:00:00Z',
    });
  });
});
