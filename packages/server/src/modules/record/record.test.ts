import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Role } from '@portico/shared';
import { auditEvents, resultHolds } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { visitCursors } from './record.service.ts';

let t: TestApp;
let orgA: Awaited<ReturnType<typeof buildOrganization>>;
let orgB: Awaited<ReturnType<typeof buildOrganization>>;
/** The patient most tests read, with a portal account and a record shaped like a Synthea bundle after import. */
let self: { id: string; userId: string };
let otherPatientId: string;
let emptyPatientId: string;
let longRecordPatientId: string;
/** Row ids of the patient's stored resources, by name. */
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

const day = 86_400_000;
const sct = 'http://snomed.info/sct';
const loinc = 'http://loinc.org';
const iso = (date: Date) => date.toISOString();
const ago = (days: number) => new Date(Date.now() - days * day);
const coded = (system: string, code: string, display: string) => ({ coding: [{ system, code, display }], text: display });
const ref = (type: string, id: string) => ({ reference: `${type}/${id}` });
const vitalCategory = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];
const labCategory = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
const clinicalStatus = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }] });
const confirmed = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] };
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Stores a resource of the patient in organization A. */
async function store(
  name: string,
  patientId: string,
  resource: { resourceType: string; [element: string]: unknown },
  columns: { category?: string; code?: string; effectiveAt?: Date; status?: string; encounterId?: string } = {},
) {
  const row = await buildFhirResource(t.db, { organizationId: orgA.organization.id, patientId, resource, ...columns });
  ids[name] = row.id;
  return row.id;
}

/** An Encounter as Synthea writes it after import: participant and serviceProvider by reference only. */
async function storeEncounter(name: string, patientId: string, start: Date, fields: Record<string, unknown> = {}, status = 'finished') {
  return store(
    name,
    patientId,
    {
      resourceType: 'Encounter',
      status,
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      type: [coded(sct, '185345009', 'Encounter for symptom')],
      subject: ref('Patient', patientId),
      participant: [{ individual: ref('Practitioner', ids.practitioner!) }],
      period: { start: iso(start), end: iso(new Date(start.getTime() + 15 * 60_000)) },
      serviceProvider: ref('Organization', ids.organization!),
      ...fields,
    },
    { effectiveAt: start, status, code: `${sct}|185345009` },
  );
}

async function seedRecord() {
  const p = self.id;
  const visitAt = ago(30);
  await storeEncounter('visit', p, visitAt, { reasonCode: [coded(sct, '10509002', 'Acute bronchitis (disorder)')] });
  await storeEncounter('olderVisit', p, ago(400));
  await storeEncounter('plannedVisit', p, ago(-10), {}, 'planned');
  await storeEncounter('cancelledVisit', p, ago(5), {}, 'cancelled');
  const inVisit = { encounterId: ids.visit!, effectiveAt: visitAt };
  /** Minutes into the visit, so rows of one visit have a stable order. */
  const into = (minutes: number) => ({ encounterId: ids.visit!, effectiveAt: new Date(visitAt.getTime() + minutes * 60_000) });
  const encounter = ref('Encounter', ids.visit!);

  // Problems: a problem-list item, a resolved one, active and resolved Synthea diagnoses (no category), duplicates, an error.
  await store(
    'hypertension',
    p,
    {
      resourceType: 'Condition',
      clinicalStatus: clinicalStatus('active'),
      verificationStatus: confirmed,
      category: [{ coding: [{ code: 'problem-list-item' }] }],
      code: coded(sct, '59621000', 'Essential hypertension'),
      subject: ref('Patient', p),
      encounter,
      onsetDateTime: '2015-04',
    },
    { ...inVisit, category: 'problem-list-item', code: `${sct}|59621000`, status: 'active', effectiveAt: ago(3000) },
  );
  await store(
    'hypertensionAgain',
    p,
    {
      resourceType: 'Condition',
      clinicalStatus: clinicalStatus('active'),
      code: coded(sct, '59621000', 'Hypertension (disorder)'),
      subject: ref('Patient', p),
      onsetDateTime: iso(ago(100)),
    },
    { code: `${sct}|59621000`, status: 'active', effectiveAt: ago(100) },
  );
  await store(
    'sprain',
    p,
    {
      resourceType: 'Condition',
      clinicalStatus: clinicalStatus('resolved'),
      category: [{ coding: [{ code: 'problem-list-item' }] }],
      code: coded(sct, '44465007', 'Sprain of ankle'),
      subject: ref('Patient', p),
      onsetDateTime: '2019-06-01T10:00:00Z',
      abatementDateTime: '2019-07-10',
    },
    { category: 'problem-list-item', code: `${sct}|44465007`, status: 'resolved', effectiveAt: new Date('2019-06-01T10:00:00Z') },
  );
  await store(
    'bronchitis',
    p,
    {
      resourceType: 'Condition',
      clinicalStatus: clinicalStatus('active'),
      verificationStatus: confirmed,
      code: { coding: [{ system: sct, code: '10509002', display: 'Acute bronchitis (disorder)' }] },
      subject: ref('Patient', p),
      encounter,
      onsetDateTime: iso(visitAt),
    },
    { ...inVisit, code: `${sct}|10509002`, status: 'active' },
  );
  await store(
    'oldSinusitis',
    p,
    {
      resourceType: 'Condition',
      clinicalStatus: clinicalStatus('resolved'),
      code: coded(sct, '444814009', 'Viral sinusitis (disorder)'),
      subject: ref('Patient', p),
      onsetDateTime: iso(ago(500)),
      abatementDateTime: iso(ago(480)),
    },
    { code: `${sct}|444814009`, status: 'resolved', effectiveAt: ago(500) },
  );
  await store(
    'mistake',
    p,
    {
      resourceType: 'Condition',
      verificationStatus: { coding: [{ code: 'entered-in-error' }] },
      category: [{ coding: [{ code: 'problem-list-item' }] }],
      code: coded(sct, '73211009', 'Diabetes mellitus'),
      subject: ref('Patient', p),
    },
    { category: 'problem-list-item', code: `${sct}|73211009`, effectiveAt: ago(50) },
  );

  await store(
    'allergy',
    p,
    {
      resourceType: 'AllergyIntolerance',
      clinicalStatus: { coding: [{ code: 'active' }] },
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      type: 'allergy',
      category: ['medication'],
      criticality: 'high',
      code: coded('http://www.nlm.nih.gov/research/umls/rxnorm', '7980', 'Penicillin G'),
      patient: ref('Patient', p),
      recordedDate: '2012-03-04',
      reaction: [
        { manifestation: [coded(sct, '247472004', 'Hives'), coded(sct, '39579001', 'Anaphylaxis')], severity: 'severe' },
        { manifestation: [] },
      ],
    },
    { category: 'medication', status: 'active', effectiveAt: new Date('2012-03-04') },
  );
  await store(
    'foodAllergy',
    p,
    {
      resourceType: 'AllergyIntolerance',
      clinicalStatus: { coding: [{ code: 'inactive' }] },
      type: 'allergy',
      category: ['food'],
      code: coded(sct, '424213003', 'Allergy to bee venom'),
      patient: ref('Patient', p),
      recordedDate: '2020-01-01',
    },
    { category: 'food', status: 'inactive', effectiveAt: new Date('2020-01-01') },
  );

  const rx = 'http://www.nlm.nih.gov/research/umls/rxnorm';
  const medication = (code: string, display: string, status: string, authoredOn: Date, extra: Record<string, unknown> = {}) => ({
    resourceType: 'MedicationRequest',
    status,
    intent: 'order',
    medicationCodeableConcept: coded(rx, code, display),
    subject: ref('Patient', p),
    authoredOn: iso(authoredOn),
    requester: ref('Practitioner', ids.practitioner!),
    ...extra,
  });
  await store(
    'lisinopril',
    p,
    medication('314076', 'lisinopril 10 MG Oral Tablet', 'active', ago(60), {
      reasonReference: [ref('Condition', ids.hypertension!)],
      dosageInstruction: [
        {
          sequence: 1,
          timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
          doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
        },
      ],
    }),
    { code: `${rx}|314076`, status: 'active', effectiveAt: ago(60) },
  );
  await store('lisinoprilBefore', p, medication('314076', 'lisinopril 10 MG Oral Tablet', 'stopped', ago(400)), {
    code: `${rx}|314076`,
    status: 'stopped',
    effectiveAt: ago(400),
  });
  await store(
    'acetaminophen',
    p,
    medication('313782', 'Acetaminophen 325 MG Oral Tablet', 'completed', visitAt, {
      encounter,
      requester: { reference: 'Practitioner/not-a-uuid', display: 'Dr. Ana Ruiz' },
      dosageInstruction: [{ text: 'Take 2 tablets every 6 hours as needed for pain' }],
    }),
    { ...inVisit, code: `${rx}|313782`, status: 'completed' },
  );
  await store('acetaminophenEarlier', p, medication('313782', 'Acetaminophen 325 MG Oral Tablet', 'completed', ago(700)), {
    code: `${rx}|313782`,
    status: 'completed',
    effectiveAt: ago(700),
  });
  await store('cancelledOrder', p, medication('197361', 'amlodipine 5 MG Oral Tablet', 'cancelled', ago(20)), {
    code: `${rx}|197361`,
    status: 'cancelled',
    effectiveAt: ago(20),
  });
  await store(
    'vitaminD',
    p,
    {
      resourceType: 'MedicationStatement',
      status: 'active',
      medicationCodeableConcept: { text: 'Vitamin D3 1000 unit capsule' },
      subject: ref('Patient', p),
      dateAsserted: '2024-02-02',
      dosage: [{ text: 'One capsule daily' }],
    },
    { status: 'active', effectiveAt: new Date('2024-02-02') },
  );

  for (const [name, cvx, display, when] of [
    ['flu', '140', 'Influenza, seasonal, injectable, preservative free', ago(90)],
    ['tdap', '115', 'Tdap', ago(1500)],
  ] as const) {
    await store(
      name,
      p,
      {
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: coded('http://hl7.org/fhir/sid/cvx', cvx, display),
        patient: ref('Patient', p),
        occurrenceDateTime: iso(when),
        primarySource: true,
      },
      { status: 'completed', effectiveAt: when, code: `http://hl7.org/fhir/sid/cvx|${cvx}` },
    );
  }

  await store(
    'carePlan',
    p,
    {
      resourceType: 'CarePlan',
      status: 'active',
      intent: 'order',
      category: [
        { coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category', code: 'assess-plan' }] },
        coded(sct, '53950000', 'Respiratory therapy'),
      ],
      subject: ref('Patient', p),
      encounter,
      period: { start: iso(visitAt) },
      addresses: [ref('Condition', ids.bronchitis!)],
      activity: [
        { detail: { code: coded(sct, '304510005', 'Recommendation to avoid exercise'), status: 'in-progress' } },
        { detail: { code: coded(sct, '371605008', 'Deep breathing and coughing exercises'), status: 'in-progress' } },
        { detail: { code: coded(sct, '371605008', 'Deep breathing and coughing exercises'), status: 'in-progress' } },
      ],
    },
    { ...inVisit, status: 'active' },
  );
  await store(
    'oldCarePlan',
    p,
    {
      resourceType: 'CarePlan',
      status: 'completed',
      intent: 'order',
      title: 'Ankle rehabilitation',
      subject: ref('Patient', p),
      period: { start: '2019-06-01', end: '2019-07-10' },
    },
    { status: 'completed', effectiveAt: new Date('2019-06-01') },
  );
  await store(
    'goal',
    p,
    {
      resourceType: 'Goal',
      lifecycleStatus: 'active',
      description: { text: 'Maintain blood pressure below 140/90 mmHg' },
      subject: ref('Patient', p),
      target: [
        {
          measure: coded(loinc, '8480-6', 'Systolic blood pressure'),
          detailQuantity: { value: 140, comparator: '<', unit: 'mm[Hg]' },
          dueDate: '2026-12-31',
        },
      ],
    },
    { status: 'active', effectiveAt: ago(100) },
  );
  await store(
    'goalWithoutTarget',
    p,
    { resourceType: 'Goal', lifecycleStatus: 'completed', description: { text: 'Quit smoking' } },
    {
      status: 'completed',
      effectiveAt: ago(1000),
    },
  );

  // What happened at the visit.
  await store(
    'procedure',
    p,
    {
      resourceType: 'Procedure',
      status: 'completed',
      code: coded(sct, '127783003', 'Spirometry (procedure)'),
      subject: ref('Patient', p),
      encounter,
      performedPeriod: { start: iso(visitAt), end: iso(new Date(visitAt.getTime() + 10 * 60_000)) },
    },
    { ...inVisit, status: 'completed' },
  );
  await store(
    'bloodPressure',
    p,
    {
      resourceType: 'Observation',
      status: 'final',
      category: vitalCategory,
      code: coded(loinc, '85354-9', 'Blood pressure panel with all children optional'),
      subject: ref('Patient', p),
      encounter,
      effectiveDateTime: iso(visitAt),
      component: [
        { code: coded(loinc, '8462-4', 'Diastolic Blood Pressure'), valueQuantity: { value: 77.48056868335136, unit: 'mm[Hg]' } },
        { code: coded(loinc, '8480-6', 'Systolic Blood Pressure'), valueQuantity: { value: 136.03449256735314, unit: 'mm[Hg]' } },
      ],
    },
    { ...inVisit, category: 'vital-signs', status: 'final' },
  );
  await store(
    'heartRate',
    p,
    {
      resourceType: 'Observation',
      status: 'final',
      category: vitalCategory,
      code: coded(loinc, '8867-4', 'Heart rate'),
      subject: ref('Patient', p),
      encounter,
      valueQuantity: { value: 72.63598, unit: '/min' },
    },
    { ...into(1), category: 'vital-signs', status: 'final' },
  );
  const lab = (display: string, code: string, value: number) => ({
    resourceType: 'Observation',
    status: 'final',
    category: labCategory,
    code: coded(loinc, code, display),
    subject: ref('Patient', p),
    encounter,
    valueQuantity: { value, unit: 'mg/dL' },
  });
  await store('glucose', p, lab('Glucose', '2345-7', 99), { ...into(2), category: 'laboratory', status: 'final' });
  await store('ldl', p, lab('LDL Cholesterol', '18262-6', 120), { ...into(3), category: 'laboratory', status: 'final' });
  await store('heldLab', p, lab('Hemoglobin A1c', '4548-4', 7.9), { ...into(4), category: 'laboratory', status: 'final' });
  await t.db.insert(resultHolds).values({ resourceId: ids.heldLab!, patientId: p, kind: 'patient_preference' });
  await store(
    'lipidPanel',
    p,
    {
      resourceType: 'DiagnosticReport',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
      code: coded(loinc, '57698-3', 'Lipid Panel'),
      subject: ref('Patient', p),
      encounter,
      result: [ref('Observation', ids.ldl!)],
    },
    { ...inVisit, category: 'LAB', status: 'final' },
  );
  await store(
    'instructions',
    p,
    {
      resourceType: 'DocumentReference',
      status: 'current',
      type: coded(loinc, '69730-0', 'Instructions'),
      subject: ref('Patient', p),
      context: { encounter: [encounter] },
      content: [
        { attachment: { contentType: 'text/plain; charset=utf-8', data: base64('Rest, drink fluids, and call us if the fever lasts.') } },
      ],
    },
    { ...inVisit, status: 'current' },
  );
  await store(
    'progressNote',
    p,
    {
      resourceType: 'DocumentReference',
      status: 'current',
      type: coded(loinc, '11506-3', 'Progress note'),
      subject: ref('Patient', p),
      content: [{ attachment: { contentType: 'text/plain', data: base64('Clinician working note.') } }],
    },
    { ...inVisit, status: 'current' },
  );
}

beforeAll(async () => {
  t = await buildTestApp();
  orgA = await buildOrganization(t.db);
  orgB = await buildOrganization(t.db);
  const staff: [string, Role, string][] = [
    ['clinician', 'clinician', orgA.organization.id],
    ['nurse', 'nurse', orgA.organization.id],
    ['front_desk', 'front_desk', orgA.organization.id],
    ['billing', 'billing', orgA.organization.id],
    ['admin', 'admin', orgA.organization.id],
    ['nurse of another organization', 'nurse', orgB.organization.id],
  ];
  for (const [who, role, organizationId] of staff) {
    tokens[who] = await signInAs(t.db, await buildUser(t.db, { role, organizationId, mfa: true }));
  }
  const marisol = await buildPatient(t.db, orgA.organization.id, { withAccount: true, givenName: 'Marisol', familyName: 'Quenneville' });
  self = { id: marisol.patient.id, userId: marisol.user!.id };
  tokens['the patient themself'] = await signInAs(t.db, marisol.user!);
  const other = await buildPatient(t.db, orgA.organization.id, { withAccount: true });
  otherPatientId = other.patient.id;
  tokens['another patient'] = await signInAs(t.db, other.user!);
  const empty = await buildPatient(t.db, orgA.organization.id, { withAccount: true });
  emptyPatientId = empty.patient.id;
  tokens['a patient with an empty record'] = await signInAs(t.db, empty.user!);
  longRecordPatientId = (await buildPatient(t.db, orgA.organization.id)).patient.id;

  // Directory resources (no patient) of organization A, referenced without a display as Synthea does.
  ids.practitioner = (
    await buildFhirResource(t.db, {
      organizationId: orgA.organization.id,
      patientId: null,
      resource: { resourceType: 'Practitioner', name: [{ family: 'Predovic', given: ['Samuel'], prefix: ['Dr.'] }] },
    })
  ).id;
  ids.organization = (
    await buildFhirResource(t.db, {
      organizationId: orgA.organization.id,
      patientId: null,
      resource: { resourceType: 'Organization', name: 'EMERSON HOSPITAL' },
    })
  ).id;
  await seedRecord();
  await storeEncounter('otherPatientVisit', otherPatientId, ago(3));
  await store(
    'otherPatientProblem',
    otherPatientId,
    { resourceType: 'Condition', clinicalStatus: clinicalStatus('active'), code: { text: 'Gout' } },
    { status: 'active', effectiveAt: ago(3), encounterId: ids.otherPatientVisit! },
  );
});
afterAll(() => t.close());

const get = (token: string | null, url: string) => t.app.inject({ method: 'GET', url, headers: token ? cookieFor(token) : {} });
const summary = (token: string | null, patientId = self.id) => get(token, `/api/patients/${patientId}/record/summary`);
const visits = (token: string | null, query = '', patientId = self.id) => get(token, `/api/patients/${patientId}/record/visits${query}`);
const visit = (token: string | null, visitId: string, patientId = self.id) =>
  get(token, `/api/patients/${patientId}/record/visits/${visitId}`);
const auditOf = (requestId: string | string[] | number | undefined) =>
  t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.requestId, String(requestId)));
const successCount = async (patientId: string) =>
  (
    await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patientId), eq(auditEvents.outcome, 'success')))
  ).length;

describe('GET /api/patients/:id/record/summary', () => {
  it('shows the patient problems, allergies, medications, immunizations, care plans and goals as display text', async () => {
    const response = await summary(tokens['the patient themself']!);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body.problems).toEqual([
      {
        id: ids.bronchitis,
        name: 'Acute bronchitis (disorder)',
        clinicalStatus: 'active',
        onset: expect.any(String),
        resolved: null,
        visitId: ids.visit,
      },
      {
        id: ids.hypertension,
        name: 'Essential hypertension',
        clinicalStatus: 'active',
        onset: '2015-04',
        resolved: null,
        visitId: ids.visit,
      },
      {
        id: ids.sprain,
        name: 'Sprain of ankle',
        clinicalStatus: 'resolved',
        onset: '2019-06-01T10:00:00Z',
        resolved: '2019-07-10',
        visitId: null,
      },
    ]);
    expect(body.allergies).toEqual([
      {
        id: ids.allergy,
        substance: 'Penicillin G',
        clinicalStatus: 'active',
        criticality: 'high',
        category: 'medication',
        reactions: [{ manifestation: 'Hives, Anaphylaxis', severity: 'severe' }],
        recorded: '2012-03-04',
      },
      expect.objectContaining({ id: ids.foodAllergy, substance: 'Allergy to bee venom', clinicalStatus: 'inactive', reactions: [] }),
    ]);
    expect(body.medications).toEqual([
      {
        id: ids.lisinopril,
        name: 'Lisinopril 10 mg oral tablet',
        codedName: 'lisinopril 10 MG Oral Tablet',
        status: 'active',
        current: true,
        directions: '1 tablet, once a day',
        prescriber: 'Dr. Samuel Predovic',
        authoredOn: expect.any(String),
        reason: 'Essential hypertension',
      },
      expect.objectContaining({ id: ids.vitaminD, name: 'Vitamin D3 1000 unit capsule', current: true, directions: 'One capsule daily' }),
      expect.objectContaining({
        id: ids.acetaminophen,
        current: false,
        status: 'completed',
        prescriber: 'Dr. Ana Ruiz',
        directions: 'Take 2 tablets every 6 hours as needed for pain',
      }),
    ]);
    expect(body.immunizations.map((i: { id: string }) => i.id)).toEqual([ids.flu, ids.tdap]);
    expect(body.immunizations[0]).toMatchObject({ vaccine: 'Influenza, seasonal, injectable, preservative free', status: 'completed' });
    expect(body.carePlans).toEqual([
      {
        id: ids.carePlan,
        title: 'Respiratory therapy',
        status: 'active',
        start: expect.any(String),
        end: null,
        activities: ['Recommendation to avoid exercise', 'Deep breathing and coughing exercises'],
        addresses: ['Acute bronchitis (disorder)'],
      },
      {
        id: ids.oldCarePlan,
        title: 'Ankle rehabilitation',
        status: 'completed',
        start: '2019-06-01',
        end: '2019-07-10',
        activities: [],
        addresses: [],
      },
    ]);
    expect(body.goals).toEqual([
      {
        id: ids.goal,
        description: 'Maintain blood pressure below 140/90 mmHg',
        lifecycleStatus: 'active',
        target: 'Systolic blood pressure < 140 mm[Hg], by 2026-12-31',
      },
      { id: ids.goalWithoutTarget, description: 'Quit smoking', lifecycleStatus: 'completed', target: null },
    ]);
    expect(response.body).not.toMatch(/Gout|Diabetes mellitus|Viral sinusitis|amlodipine/);
  });

  it('audits the read as record.summary.read for the patient, in the actor name', async () => {
    const response = await summary(tokens['the patient themself']!);
    expect(await auditOf(response.headers['x-request-id'])).toMatchObject([
      {
        action: 'record.summary.read',
        outcome: 'success',
        patientId: self.id,
        actorUserId: self.userId,
        details: { categories: ['clinical'], reason: 'own_record' },
      },
    ]);
  });

  it('answers an empty record with empty lists', async () => {
    const response = await summary(tokens['a patient with an empty record']!, emptyPatientId);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ problems: [], allergies: [], medications: [], immunizations: [], carePlans: [], goals: [] });
  });

  it('maps resources that lack every optional element without failing', async () => {
    const bare = (await buildPatient(t.db, orgA.organization.id)).patient.id;
    for (const resourceType of ['Condition', 'AllergyIntolerance', 'MedicationRequest', 'Immunization', 'CarePlan', 'Goal']) {
      await buildFhirResource(t.db, { organizationId: orgA.organization.id, patientId: bare, resource: { resourceType } });
    }
    const response = await summary(tokens.clinician!, bare);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.problems).toEqual([]);
    expect(body.allergies).toMatchObject([{ substance: 'Unnamed allergy', clinicalStatus: 'unknown', reactions: [], recorded: null }]);
    expect(body.medications).toMatchObject([{ name: 'Unnamed medication', status: 'unknown', current: false, directions: null }]);
    expect(body.immunizations).toMatchObject([{ vaccine: 'Unnamed vaccine', date: null, status: 'unknown' }]);
    expect(body.carePlans).toMatchObject([{ title: 'Care plan', activities: [], addresses: [] }]);
    expect(body.goals).toMatchObject([{ description: 'Goal', lifecycleStatus: 'unknown', target: null }]);
  });

  it('shows a nurse of the organization the chart', async () => {
    const response = await summary(tokens.nurse!);
    expect(response.statusCode).toBe(200);
    expect(response.json().problems).toHaveLength(3);
  });

  it.each(['front_desk', 'billing', 'admin', 'nurse of another organization', 'another patient'])(
    'answers 404 with no data to %s, and audits the denial',
    async (who) => {
      const before = await successCount(self.id);
      const response = await summary(tokens[who]!);
      expect(response.statusCode).toBe(404);
      expect(Object.keys(response.json())).toEqual(['error']);
      expect(response.body).not.toMatch(/hypertension|Penicillin/i);
      expect(await auditOf(response.headers['x-request-id'])).toMatchObject([
        { action: 'record.summary.read', outcome: 'denied', objectId: self.id },
      ]);
      expect(await successCount(self.id)).toBe(before);
    },
  );

  it('answers 400 for an id that is not a UUID', async () => {
    const response = await summary(tokens.clinician!, 'not-a-uuid');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'id' });
  });

  it('answers 401 without a session cookie', async () => {
    const response = await summary(null);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
  });
});

describe('GET /api/patients/:id/record/visits', () => {
  it('lists the visits the patient had, newest first, without planned or cancelled ones', async () => {
    const response = await visits(tokens['the patient themself']!);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.visits.map((v: { id: string }) => v.id)).toEqual([ids.visit, ids.olderVisit]);
    expect(body.nextCursor).toBeNull();
    expect(body.visits[0]).toEqual({
      id: ids.visit,
      start: expect.any(String),
      end: expect.any(String),
      type: 'Encounter for symptom',
      setting: 'ambulatory',
      status: 'finished',
      reason: 'Acute bronchitis (disorder)',
      clinician: 'Dr. Samuel Predovic',
      location: 'EMERSON HOSPITAL',
      appointmentId: null,
    });
    expect(await auditOf(response.headers['x-request-id'])).toMatchObject([
      { action: 'record.visits.read', outcome: 'success', patientId: self.id },
    ]);
  });

  it('pages through 60 visits with no duplicates or gaps, ties and undated visits included', async () => {
    const expected: string[] = [];
    const tie = ago(50);
    for (let i = 0; i < 60; i++) {
      const at = i < 4 ? tie : i < 57 ? ago(100 + i) : null;
      const row = await buildFhirResource(t.db, {
        organizationId: orgA.organization.id,
        patientId: longRecordPatientId,
        resource: { resourceType: 'Encounter', status: 'finished', class: { code: 'EMER' } },
        effectiveAt: at,
        status: 'finished',
      });
      expected.push(row.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await visits(tokens.clinician!, query, longRecordPatientId);
      expect(response.statusCode).toBe(200);
      const body: { visits: { id: string; setting: string; type: string }[]; nextCursor: string | null } = response.json();
      seen.push(...body.visits.map((v) => v.id));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(60);
    expect([...seen].sort()).toEqual([...expected].sort());
    const firstFour = seen.slice(0, 4);
    expect([...firstFour].sort()).toEqual(expected.slice(0, 4).sort());
    expect(seen.slice(-3).sort()).toEqual(expected.slice(57).sort());
    const page = (await visits(tokens.clinician!, '?limit=1', longRecordPatientId)).json();
    expect(page.visits[0]).toMatchObject({ setting: 'emergency', type: 'Emergency visit', start: null, clinician: null, location: null });
  });

  it('answers an empty record with no visits and no cursor', async () => {
    const response = await visits(tokens['a patient with an empty record']!, '', emptyPatientId);
    expect(response.json()).toEqual({ visits: [], nextCursor: null });
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of something else', Buffer.from('{"a":1}').toString('base64url')],
    ['a bad id', visitCursors.encode({ at: new Date(), id: randomUUID() }).slice(0, 30)],
    ['a bad instant', Buffer.from(JSON.stringify(['2020-13-45T00:00:00.000Z', randomUUID()])).toString('base64url')],
  ])('answers 400 naming cursor for %s, before reading anything', async (_what, cursor) => {
    const response = await visits(tokens['the patient themself']!, `?cursor=${encodeURIComponent(cursor)}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'cursor' });
    expect(await auditOf(response.headers['x-request-id'])).toEqual([]);
  });

  it.each(['0', '101', 'ten'])('answers 400 naming limit for limit=%s', async (limit) => {
    const response = await visits(tokens['the patient themself']!, `?limit=${limit}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'limit' });
  });

  it('answers 404 to front desk and to another organization, and 401 without a session', async () => {
    expect((await visits(tokens.front_desk!)).statusCode).toBe(404);
    const hidden = await visits(tokens['nurse of another organization']!);
    expect(hidden.statusCode).toBe(404);
    expect(await auditOf(hidden.headers['x-request-id'])).toMatchObject([{ action: 'record.visits.read', outcome: 'denied' }]);
    expect((await visits(null)).statusCode).toBe(401);
    expect((await visits(tokens.nurse!)).statusCode).toBe(200);
  });
});

describe('GET /api/patients/:id/record/visits/:visitId', () => {
  it('shows the patient what came of a visit: diagnoses, procedures, vitals, medicines, released results, after-visit notes', async () => {
    const response = await visit(tokens['the patient themself']!, ids.visit!);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.visit).toMatchObject({ id: ids.visit, type: 'Encounter for symptom', clinician: 'Dr. Samuel Predovic' });
    expect(body.diagnoses).toEqual([
      { id: ids.hypertension, name: 'Essential hypertension' },
      { id: ids.bronchitis, name: 'Acute bronchitis (disorder)' },
    ]);
    expect(body.procedures).toEqual([{ id: ids.procedure, name: 'Spirometry (procedure)', date: expect.any(String) }]);
    expect(body.vitals).toEqual([
      { id: ids.bloodPressure, name: 'Blood pressure panel with all children optional', value: '136/77', unit: 'mmHg' },
      { id: ids.heartRate, name: 'Heart rate', value: '72.6', unit: '/min' },
    ]);
    expect(body.medicationsStarted).toEqual([
      {
        id: ids.acetaminophen,
        name: 'Acetaminophen 325 mg oral tablet',
        codedName: 'Acetaminophen 325 MG Oral Tablet',
        directions: 'Take 2 tablets every 6 hours as needed for pain',
      },
    ]);
    expect(body.results).toEqual([
      { id: ids.lipidPanel, name: 'Lipid Panel' },
      { id: ids.glucose, name: 'Glucose' },
    ]);
    expect(body.afterVisit.carePlans).toMatchObject([{ id: ids.carePlan, title: 'Respiratory therapy' }]);
    expect(body.afterVisit.notes).toEqual(['Rest, drink fluids, and call us if the fever lasts.']);
    expect(response.body).not.toMatch(/Hemoglobin A1c|Clinician working note/);
  });

  it('shows a nurse the held result too, and audits the read with the visit id', async () => {
    const response = await visit(tokens.nurse!, ids.visit!);
    expect(response.statusCode).toBe(200);
    expect(response.json().results.map((r: { id: string }) => r.id)).toEqual([ids.lipidPanel, ids.glucose, ids.heldLab]);
    expect(await auditOf(response.headers['x-request-id'])).toMatchObject([
      { action: 'record.visit.read', outcome: 'success', patientId: self.id, details: { visitId: ids.visit } },
    ]);
  });

  it('answers a visit with nothing recorded in it with empty lists', async () => {
    const response = await visit(tokens['the patient themself']!, ids.olderVisit!);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      diagnoses: [],
      procedures: [],
      vitals: [],
      medicationsStarted: [],
      results: [],
      afterVisit: { carePlans: [], notes: [] },
    });
  });

  it('answers 404 for a visit of another patient and for a planned visit, and audits each as denied', async () => {
    for (const visitId of [ids.otherPatientVisit!, ids.plannedVisit!, randomUUID()]) {
      const response = await visit(tokens['the patient themself']!, visitId);
      expect(response.statusCode).toBe(404);
      expect(response.json().error).toMatchObject({ code: 'not_found', message: 'The visit was not found.' });
      expect(await auditOf(response.headers['x-request-id'])).toMatchObject([
        { action: 'record.visit.read', outcome: 'denied', patientId: self.id, details: { visitId, reason: 'no_such_visit' } },
      ]);
    }
  });

  it("answers 404 for another patient's record, front desk and another organization, audited with the visit id", async () => {
    for (const who of ['another patient', 'front_desk', 'nurse of another organization']) {
      const response = await visit(tokens[who]!, ids.visit!);
      expect(response.statusCode, who).toBe(404);
      expect(response.json().error.message).toBe('The patient was not found.');
      expect(await auditOf(response.headers['x-request-id'])).toMatchObject([
        { action: 'record.visit.read', outcome: 'denied', details: { visitId: ids.visit } },
      ]);
    }
  });

  it('answers 400 naming the field for ids that are not UUIDs, and 401 without a session', async () => {
    const badVisit = await visit(tokens.clinician!, 'nope');
    expect(badVisit.statusCode).toBe(400);
    expect(badVisit.json().error).toMatchObject({ code: 'validation_failed', field: 'visitId' });
    const badPatient = await visit(tokens.clinician!, ids.visit!, 'nope');
    expect(badPatient.json().error).toMatchObject({ code: 'validation_failed', field: 'id' });
    expect((await visit(null, ids.visit!)).statusCode).toBe(401);
  });
});
