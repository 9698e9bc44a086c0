import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, count, eq, inArray, isNull, notInArray, or } from 'drizzle-orm';
import type { Role } from '@portico/shared';
import { requireSynthea, syntheaDir, syntheaFiles } from '@portico/fhir/testing';
import { auditEvents, fhirResources, patients, resultHolds, users } from '../../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../../test/factories.ts';
import { pdfText as readPdfText } from '../../../test/pdf-text.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../../test/test-app.ts';
import { importBundle } from '../../fhir-import/import.service.ts';
import { hiddenVisitStatuses } from '../record.repository.ts';
import { isResultSql } from '../result-release.ts';
import { removeHeldReferences } from './record-export-fhir.ts';
import { exportSectionCap } from './record-export.service.ts';

let t: TestApp;
let orgA: Awaited<ReturnType<typeof buildOrganization>>;
let orgB: Awaited<ReturnType<typeof buildOrganization>>;
let self: { id: string; givenName: string; familyName: string; mrn: string };
let otherPatientId: string;
/** Stored row ids by name. */
const ids: Record<string, string> = {};
/** Session tokens by who holds them. */
const tokens: Record<string, string> = {};

const sct = 'http://snomed.info/sct';
const loinc = 'http://loinc.org';
const coded = (system: string, code: string, display: string) => ({ coding: [{ system, code, display }], text: display });
const ref = (type: string, id: string) => ({ reference: `${type}/${id}` });
const labCategory = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
const clinicalStatus = (code: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }] });

/** Stores a resource in organization A under a name; `patientId` null for directory resources. */
async function store(
  name: string,
  patientId: string | null,
  resource: { resourceType: string; [element: string]: unknown },
  columns: { category?: string; code?: string; effectiveAt?: Date; status?: string; encounterId?: string } = {},
) {
  const row = await buildFhirResource(t.db, { organizationId: orgA.organization.id, patientId, resource, ...columns });
  ids[name] = row.id;
  return row.id;
}

async function storeVisit(name: string, start: string, reason: string, status = 'finished') {
  await store(
    name,
    self.id,
    {
      resourceType: 'Encounter',
      status,
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      type: [coded(sct, '185345009', 'Encounter for symptom')],
      subject: ref('Patient', self.id),
      participant: [{ individual: ref('Practitioner', ids.practitioner!) }],
      period: { start, end: new Date(Date.parse(start) + 30 * 60_000).toISOString() },
      reasonCode: [{ text: reason }],
      location: [{ location: ref('Location', ids.location!) }],
      serviceProvider: ref('Organization', ids.organization!),
    },
    { effectiveAt: new Date(start), status, category: 'AMB' },
  );
}

async function storeLab(name: string, at: string, display: string, value: number, unit: string, fields: Record<string, unknown> = {}) {
  await store(
    name,
    self.id,
    {
      resourceType: 'Observation',
      status: 'final',
      category: labCategory,
      code: coded(loinc, `${name}-code`, display),
      subject: ref('Patient', self.id),
      encounter: ref('Encounter', ids.visitIn!),
      effectiveDateTime: at,
      valueQuantity: { value, unit },
      performer: [ref('Organization', ids.organization!)],
      ...fields,
    },
    { category: 'laboratory', code: `${loinc}|${name}-code`, effectiveAt: new Date(at), status: 'final' },
  );
}

async function hold(resourceId: string) {
  await t.db.insert(resultHolds).values({ resourceId, patientId: self.id, kind: 'patient_preference' });
}

/** A record with something in every section: dated in 2025 (the range tests pick), 2024 and 2019, plus undated and held rows. */
async function seedRecord() {
  await store('practitioner', null, { resourceType: 'Practitioner', name: [{ prefix: ['Dr.'], given: ['Ada'], family: 'Okafor' }] });
  await store('organization', null, { resourceType: 'Organization', name: 'Riverside Clinic' });
  await store('location', null, {
    resourceType: 'Location',
    name: 'Riverside Clinic Room 4',
    managingOrganization: ref('Organization', ids.organization!),
  });

  await storeVisit('visitIn', '2025-03-10T15:00:00Z', 'Persistent cough');
  // 23:30 on 31 Dec 2025 in New York (the organization's department zone): the last day of a 2025 range.
  await storeVisit('visitLate', '2026-01-01T04:30:00Z', 'New Year follow-up');
  await storeVisit('visitOld', '2024-01-05T15:00:00Z', 'Ankle review');
  await storeVisit('visitPlanned', '2025-06-01T15:00:00Z', 'Planned check', 'planned');

  // A calendar date with no time: it means 1 Jan 2025 wherever the reader is.
  await store(
    'hypertension',
    self.id,
    {
      resourceType: 'Condition',
      clinicalStatus: clinicalStatus('active'),
      category: [{ coding: [{ code: 'problem-list-item' }] }],
      code: coded(sct, '59621000', 'Essential hypertension'),
      subject: ref('Patient', self.id),
      encounter: ref('Encounter', ids.visitIn!),
      onsetDateTime: '2025-01-01',
    },
    { category: 'problem-list-item', code: `${sct}|59621000`, status: 'active', effectiveAt: new Date('2025-01-01T00:00:00Z') },
  );
  await store(
    'sprain',
    self.id,
    {
      resourceType: 'Condition',
      clinicalStatus: clinicalStatus('resolved'),
      category: [{ coding: [{ code: 'problem-list-item' }] }],
      code: coded(sct, '44465007', 'Sprain of ankle'),
      subject: ref('Patient', self.id),
      onsetDateTime: '2019-06-01T10:00:00Z',
      abatementDateTime: '2019-07-10',
    },
    { category: 'problem-list-item', code: `${sct}|44465007`, status: 'resolved', effectiveAt: new Date('2019-06-01T10:00:00Z') },
  );
  const allergy = (substance: string, recordedDate?: string) => ({
    resourceType: 'AllergyIntolerance',
    clinicalStatus: { coding: [{ code: 'active' }] },
    category: ['food'],
    code: { text: substance },
    patient: ref('Patient', self.id),
    ...(recordedDate && { recordedDate }),
  });
  await store('peanut', self.id, allergy('Peanut', '2025-02-01T09:00:00Z'), { effectiveAt: new Date('2025-02-01T09:00:00Z') });
  await store('latex', self.id, allergy('Latex'));
  await store(
    'lisinopril',
    self.id,
    {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: coded('http://www.nlm.nih.gov/research/umls/rxnorm', '314076', 'Lisinopril 10 MG Oral Tablet'),
      subject: ref('Patient', self.id),
      authoredOn: '2025-02-01T10:00:00Z',
      requester: ref('Practitioner', ids.practitioner!),
      reasonReference: [ref('Condition', ids.hypertension!)],
    },
    { status: 'active', effectiveAt: new Date('2025-02-01T10:00:00Z') },
  );
  await store(
    'flu',
    self.id,
    {
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: coded('http://hl7.org/fhir/sid/cvx', '140', 'Influenza, seasonal, injectable'),
      patient: ref('Patient', self.id),
      encounter: ref('Encounter', ids.visitIn!),
      occurrenceDateTime: '2025-03-10T15:10:00Z',
    },
    { status: 'completed', effectiveAt: new Date('2025-03-10T15:10:00Z') },
  );
  await store(
    'carePlan',
    self.id,
    {
      resourceType: 'CarePlan',
      status: 'active',
      intent: 'plan',
      title: 'Blood pressure plan',
      subject: ref('Patient', self.id),
      period: { start: '2025-03-10' },
      addresses: [ref('Condition', ids.hypertension!)],
    },
    { status: 'active', effectiveAt: new Date('2025-03-10T00:00:00Z') },
  );
  await store(
    'goal',
    self.id,
    {
      resourceType: 'Goal',
      lifecycleStatus: 'active',
      description: { text: 'Blood pressure below 130/80' },
      subject: ref('Patient', self.id),
      startDate: '2025-03-10',
    },
    { status: 'active', effectiveAt: new Date('2025-03-10T00:00:00Z') },
  );

  await storeLab('glucose', '2025-03-10T15:30:00Z', 'Glucose', 5.4, 'mmol/L');
  await storeLab('cholesterol', '2025-03-10T15:30:00Z', 'Cholesterol total', 5.1, 'mmol/L');
  await storeLab('ldl', '2025-03-10T15:30:00Z', 'LDL cholesterol', 3.37, 'mmol/L');
  await storeLab('a1c', '2025-03-10T15:30:00Z', 'Hemoglobin A1c', 7.93, '%');
  await storeLab('sodium', '2024-01-05T15:30:00Z', 'Sodium', 139.2, 'mmol/L');
  await store(
    'lipidPanel',
    self.id,
    {
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { text: 'Lipid panel' },
      subject: ref('Patient', self.id),
      encounter: ref('Encounter', ids.visitIn!),
      effectiveDateTime: '2025-03-10T15:30:00Z',
      result: [
        { reference: `Observation/${ids.cholesterol!}`, display: 'Cholesterol total' },
        { reference: `Observation/${ids.ldl!}`, display: 'LDL cholesterol' },
      ],
    },
    { category: 'LAB', effectiveAt: new Date('2025-03-10T15:30:00Z'), status: 'final' },
  );
  // Kept from the patient: a standalone result and one member of the released panel.
  await hold(ids.a1c!);
  await hold(ids.ldl!);
}

beforeAll(async () => {
  t = await buildTestApp();
  orgA = await buildOrganization(t.db);
  orgB = await buildOrganization(t.db);
  const staff: [string, Role, string][] = [
    ['clinician', 'clinician', orgA.organization.id],
    ['nurse', 'nurse', orgA.organization.id],
    ['front desk', 'front_desk', orgA.organization.id],
    ['clinician of another organization', 'clinician', orgB.organization.id],
  ];
  for (const [who, role, organizationId] of staff)
    tokens[who] = await signInAs(t.db, await buildUser(t.db, { role, organizationId, mfa: true }));
  const patient = await buildPatient(t.db, orgA.organization.id, { withAccount: true, givenName: 'Marisol' });
  self = patient.patient;
  tokens['the patient themself'] = await signInAs(t.db, patient.user!);
  const other = await buildPatient(t.db, orgA.organization.id, { withAccount: true });
  otherPatientId = other.patient.id;
  tokens['another patient'] = await signInAs(t.db, other.user!);
  await seedRecord();
});
afterAll(() => t.close());

const exportUrl = (patientId: string) => `/api/patients/${patientId}/record/export`;
const post = (who: string | null, patientId: string, payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: exportUrl(patientId),
    headers: { ...csrfHeaders, ...(who ? cookieFor(tokens[who]!) : {}) },
    payload,
  });
const auditOf = (response: { headers: Record<string, unknown> }) =>
  t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));

/** The PDF's text (read back with PDF.js), runs of spaces folded. */
async function pdfText(pdf: Buffer): Promise<string> {
  return (await readPdfText(pdf)).replace(/[ \t]+/g, ' ');
}

/** Every `reference` string anywhere in a value. */
function referencesIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node as unknown[]) referencesIn(item, out);
  else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.reference === 'string') out.push(record.reference);
    for (const value of Object.values(record)) referencesIn(value, out);
  }
  return out;
}

const entriesOf = (bundle: fhir4.Bundle) => (bundle.entry ?? []).map((e) => ({ fullUrl: e.fullUrl!, resource: e.resource! }));
const idsOf = (bundle: fhir4.Bundle) => new Set(entriesOf(bundle).map((e) => e.resource.id));
const allSections = ['problems', 'allergies', 'medications', 'immunizations', 'carePlans', 'visits', 'results'];

describe('POST /api/patients/:id/record/export', () => {
  it('gives the patient a PDF of the chosen sections as an attachment, with no name in the headers', async () => {
    const response = await post('the patient themself', self.id, { format: 'pdf', sections: ['results', 'problems'] });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="health-record-\d{4}-\d{2}-\d{2}\.pdf"$/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const headers = JSON.stringify(response.headers);
    for (const identifying of [self.givenName, self.familyName, self.mrn]) expect(headers).not.toContain(identifying);
    expect(response.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const text = await pdfText(response.rawPayload);
    expect(text).toContain(`${self.givenName} ${self.familyName}`);
    expect(text).toContain(self.mrn);
    expect(text).toContain(orgA.organization.name);
    for (const shown of ['Problems', 'Test results', 'Essential hypertension', 'Sprain of ankle', 'Glucose', '5.4', 'Lipid panel']) {
      expect(text).toContain(shown);
    }
    for (const unchosen of [
      'Allergies and intolerances',
      'Peanut',
      'Medications',
      'Lisinopril',
      'Immunizations',
      'Care plans',
      'Persistent cough',
    ]) {
      expect(text).not.toContain(unchosen);
    }
  });

  it('prints its own words and dates in the reader’s language and the record as stored', async () => {
    const reader = await buildUser(t.db, { role: 'clinician', organizationId: orgA.organization.id, mfa: true });
    await t.db.update(users).set({ locale: 'es' }).where(eq(users.id, reader.id));
    tokens['a Spanish-speaking clinician'] = await signInAs(t.db, reader);
    const body = { format: 'pdf', sections: ['problems', 'results'], from: '2025-01-01', to: '2025-12-31' };
    const response = await post('a Spanish-speaking clinician', self.id, body);
    expect(response.statusCode).toBe(200);
    const text = await pdfText(response.rawPayload);
    for (const spanish of [
      'Expediente de salud',
      'Paciente Marisol',
      'Fechas incluidas Del 1 ene 2025 al 31 dic 2025',
      'Secciones Problemas de salud, Resultados de pruebas',
      'Problema Estado Inicio Resolución',
      'Prueba Valor Unidad',
      'Página 1 de',
    ]) {
      expect(text).toContain(spanish);
    }
    expect(text).toMatch(/^Problemas de salud$/m);
    expect(text).toMatch(/^Resultados de pruebas$/m);
    for (const stored of ['Essential hypertension', 'Glucose', orgA.organization.name, self.mrn]) expect(text).toContain(stored);
    for (const english of ['Health record', 'Test results', 'Dates covered', 'Page 1 of']) expect(text).not.toContain(english);

    const english = await pdfText((await post('clinician', self.id, body)).rawPayload);
    for (const words of ['Health record', 'Dates covered 1 Jan 2025 to 31 Dec 2025', 'Test results', 'Page 1 of']) {
      expect(english).toContain(words);
    }
  });

  it('covers only the chosen days: visits, results and problems dated outside them are left out', async () => {
    const body = { format: 'pdf', sections: ['problems', 'visits', 'results'], from: '2025-01-01', to: '2025-12-31' };
    const response = await post('the patient themself', self.id, body);
    expect(response.statusCode).toBe(200);
    const text = await pdfText(response.rawPayload);
    expect(text).toContain('1 Jan 2025 to 31 Dec 2025');
    for (const shown of ['Persistent cough', 'New Year follow-up', 'Essential hypertension', 'Glucose']) expect(text).toContain(shown);
    for (const outside of ['Ankle review', 'Sprain of ankle', 'Sodium', '139.2', 'Planned check']) expect(text).not.toContain(outside);
  });

  it('filters the FHIR download by calendar day in the record zone, keeping dates without a time as written', async () => {
    const body = { format: 'fhir', sections: allSections, from: '2025-01-01', to: '2025-12-31' };
    const response = await post('the patient themself', self.id, body);
    expect(response.statusCode).toBe(200);
    const exported = idsOf(JSON.parse(response.body) as fhir4.Bundle);
    // 2026-01-01T04:30Z is 31 Dec 23:30 in New York; onset '2025-01-01' is that day though it is stored at UTC midnight.
    for (const name of [
      'visitIn',
      'visitLate',
      'hypertension',
      'peanut',
      'lisinopril',
      'flu',
      'carePlan',
      'goal',
      'glucose',
      'lipidPanel',
    ]) {
      expect(exported, name).toContain(ids[name]);
    }
    // Out of range, undated (only an unbounded export includes those), or never a visit.
    for (const name of ['visitOld', 'sprain', 'sodium', 'latex', 'visitPlanned']) expect(exported, name).not.toContain(ids[name]);

    const narrow = await post('the patient themself', self.id, { format: 'fhir', sections: ['visits'], to: '2025-12-30' });
    expect(idsOf(JSON.parse(narrow.body) as fhir4.Bundle)).not.toContain(ids.visitLate);
  });

  it('gives a FHIR collection Bundle: the Patient, the chosen resources as stored, the clinicians and places they name', async () => {
    const response = await post('the patient themself', self.id, { format: 'fhir', sections: allSections });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="health-record-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(response.headers['cache-control']).toBe('no-store');
    const bundle = JSON.parse(response.body) as fhir4.Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: expect.any(String) });

    const entries = entriesOf(bundle);
    expect(entries[0]!.resource).toMatchObject({
      resourceType: 'Patient',
      id: self.id,
      name: [{ family: self.familyName, given: [self.givenName] }],
      birthDate: '1980-05-06',
      gender: 'female',
      identifier: [{ type: { coding: [{ code: 'MR' }] }, value: self.mrn }],
    });
    const exported = idsOf(bundle);
    const expected = [
      'visitIn',
      'visitLate',
      'visitOld',
      'hypertension',
      'sprain',
      'peanut',
      'latex',
      'lisinopril',
      'flu',
      'carePlan',
      'goal',
    ];
    for (const name of [...expected, 'glucose', 'lipidPanel', 'cholesterol', 'sodium', 'practitioner', 'organization', 'location']) {
      expect(exported, name).toContain(ids[name]);
    }
    expect(exported).not.toContain(ids.visitPlanned);
    expect(entries).toHaveLength(new Set(entries.map((e) => e.fullUrl)).size);

    const condition = entries.find((e) => e.resource.id === ids.hypertension)!.resource;
    expect(condition.meta).toMatchObject({ versionId: '1', lastUpdated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    // Every reference points at an entry of the Bundle: the download reads on its own.
    const fullUrls = new Set(entries.map((e) => e.fullUrl));
    const references = referencesIn(bundle);
    expect(references.length).toBeGreaterThan(20);
    expect(references.filter((r) => !fullUrls.has(r))).toEqual([]);
  });

  it('keeps a held result out of both formats and out of the report that lists it, for the patient and for staff', async () => {
    for (const who of ['the patient themself', 'clinician']) {
      const response = await post(who, self.id, { format: 'fhir', sections: ['results'] });
      expect(response.statusCode).toBe(200);
      for (const trace of [ids.a1c!, ids.ldl!, 'Hemoglobin A1c', 'LDL', '7.93', '3.37']) expect(response.body).not.toContain(trace);
      const entries = entriesOf(JSON.parse(response.body) as fhir4.Bundle);
      const report = entries.find((e) => e.resource.id === ids.lipidPanel)!;
      const cholesterol = entries.find((e) => e.resource.id === ids.cholesterol)!;
      expect((report.resource as fhir4.DiagnosticReport).result).toEqual([
        { reference: cholesterol.fullUrl, display: 'Cholesterol total' },
      ]);

      const pdf = await post(who, self.id, { format: 'pdf', sections: ['results'] });
      const text = await pdfText(pdf.rawPayload);
      expect(text).toContain('Lipid panel');
      for (const trace of ['A1c', 'LDL', '7.93', '3.37']) expect(text).not.toContain(trace);
    }
  });

  it('lets a nurse export the chart', async () => {
    const response = await post('nurse', self.id, { format: 'pdf', sections: ['problems'] });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
  });

  it('audits the download with the choices and counts, never the content', async () => {
    const body = { format: 'pdf', sections: ['results', 'problems'], from: '2019-01-01', to: '2025-12-31' };
    const response = await post('the patient themself', self.id, body);
    expect(response.statusCode).toBe(200);
    const events = await auditOf(response);
    expect(events).toMatchObject([
      {
        action: 'record.export',
        outcome: 'success',
        patientId: self.id,
        details: {
          format: 'pdf',
          sections: ['problems', 'results'],
          from: '2019-01-01',
          to: '2025-12-31',
          counts: { problems: 2, results: 3 },
        },
      },
    ]);
    const details = JSON.stringify(events[0]!.details);
    for (const content of ['hypertension', 'Glucose', 'Sodium', self.familyName]) expect(details).not.toContain(content);
  });

  it.each([
    [{ format: 'pdf', sections: [] }, 'sections'],
    [{ format: 'pdf', sections: ['problems', 'billing'] }, 'sections.1'],
    [{ format: 'pdf', sections: ['problems'], from: '2025-03-01', to: '2025-02-01' }, 'from'],
    [{ format: 'pdf', sections: ['problems'], from: '2025-02-30' }, 'from'],
    [{ format: 'pdf', sections: ['problems'], to: 'yesterday' }, 'to'],
    [{ format: 'docx', sections: ['problems'] }, 'format'],
  ])('answers 400 naming the field for %j', async (body, field) => {
    const response = await post('the patient themself', self.id, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'validation_failed', field } });
    expect(await auditOf(response)).toEqual([]);
  });

  it('answers 401 without a session', async () => {
    const response = await post(null, self.id, { format: 'pdf', sections: ['problems'] });
    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain('%PDF');
  });

  it.each([
    ['another patient', 'another patient', () => self.id],
    ['a patient asking for another patient', 'the patient themself', () => otherPatientId],
    ['front desk', 'front desk', () => self.id],
    ['a clinician of another organization', 'clinician of another organization', () => self.id],
    ['a clinician asking for no patient', 'clinician', () => randomUUID()],
  ])('answers 404 to %s, with nothing of the record, audited as denied', async (_case, who, patientId) => {
    const response = await post(who, patientId(), { format: 'fhir', sections: allSections });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(response.body).not.toContain('Bundle');
    expect(await auditOf(response)).toMatchObject([{ action: 'record.export', outcome: 'denied', details: { format: 'fhir' } }]);
  });
});

describe('exporting a very long record', () => {
  it('exports the newest visits up to the cap, and the PDF and the audit event say the list was cut', async () => {
    const { patient } = await buildPatient(t.db, orgA.organization.id);
    const start = Date.parse('2020-01-01T15:00:00Z');
    const rows = Array.from({ length: exportSectionCap + 1 }, (_, i) => {
      const id = randomUUID();
      const at = new Date(start + i * 3600_000);
      return {
        id,
        organizationId: orgA.organization.id,
        patientId: patient.id,
        resourceType: 'Encounter',
        status: 'finished',
        effectiveAt: at,
        resource: { resourceType: 'Encounter', id, status: 'finished', class: { code: 'AMB' }, period: { start: at.toISOString() } },
      };
    });
    // Two statements: one would pass PostgreSQL's limit of 65,535 bind parameters.
    for (let i = 0; i < rows.length; i += 2500) await t.db.insert(fhirResources).values(rows.slice(i, i + 2500));

    const pdf = await post('clinician', patient.id, { format: 'pdf', sections: ['visits'] });
    expect(pdf.statusCode).toBe(200);
    expect((await auditOf(pdf))[0]!.details).toMatchObject({
      counts: { visits: exportSectionCap },
      truncated: { visits: exportSectionCap },
    });
    expect(await pdfText(pdf.rawPayload)).toContain('Only the newest 5,000 visits are shown.');

    const fhir = await post('clinician', patient.id, { format: 'fhir', sections: ['visits'] });
    const encounters = entriesOf(JSON.parse(fhir.body) as fhir4.Bundle).filter((e) => e.resource.resourceType === 'Encounter');
    expect(encounters).toHaveLength(exportSectionCap);
    // The oldest one is the one left out.
    expect(encounters.map((e) => e.resource.id)).not.toContain(rows[0]!.id);
  }, 120_000);
});

describe('exporting a record imported from Synthea', () => {
  it('exports every visit and result stored for the patient, as PDF and as FHIR', async (ctx) => {
    requireSynthea(ctx);
    const org = await buildOrganization(t.db);
    const file = syntheaFiles().find((name) => name.startsWith('Liz_Conn'))!;
    const bundle = JSON.parse(readFileSync(path.join(syntheaDir(), file), 'utf8')) as Parameters<typeof importBundle>[1]['bundle'];
    const audit = { requestId: 'export-test', ipAddress: null, actorUserId: null };
    await importBundle(t.db, { organizationId: org.organization.id, bundle, audit });
    const [patient] = await t.db.select().from(patients).where(eq(patients.organizationId, org.organization.id));
    tokens['Synthea clinician'] = await signInAs(
      t.db,
      await buildUser(t.db, { role: 'clinician', organizationId: org.organization.id, mfa: true }),
    );

    const storedCount = async (...conditions: Parameters<typeof and>) =>
      (
        await t.db
          .select({ n: count() })
          .from(fhirResources)
          .where(and(eq(fhirResources.patientId, patient!.id), ...conditions))
      )[0]!.n;
    const visits = await storedCount(
      eq(fhirResources.resourceType, 'Encounter'),
      or(isNull(fhirResources.status), notInArray(fhirResources.status, [...hiddenVisitStatuses])),
    );
    const resultObservations = await storedCount(eq(fhirResources.resourceType, 'Observation'), isResultSql());
    const reports = await storedCount(eq(fhirResources.resourceType, 'DiagnosticReport'));
    const reportRows = await t.db
      .select({ resource: fhirResources.resource })
      .from(fhirResources)
      .where(and(eq(fhirResources.patientId, patient!.id), inArray(fhirResources.resourceType, ['DiagnosticReport'])));
    const members = new Set(reportRows.flatMap((r) => ((r.resource as fhir4.DiagnosticReport).result ?? []).map((m) => m.reference)));
    expect(visits).toBeGreaterThan(3);
    expect(resultObservations).toBeGreaterThan(members.size);

    const fhir = await post('Synthea clinician', patient!.id, { format: 'fhir', sections: allSections });
    expect(fhir.statusCode).toBe(200);
    const exported = entriesOf(JSON.parse(fhir.body) as fhir4.Bundle);
    const ofType = (type: string) => exported.filter((e) => e.resource.resourceType === type).length;
    expect(ofType('Encounter')).toBe(visits);
    expect(ofType('Observation')).toBe(resultObservations);
    expect(ofType('DiagnosticReport')).toBe(reports);
    expect(exported[0]!.resource).toMatchObject({ resourceType: 'Patient', id: patient!.id, birthDate: patient!.birthDate });
    expect(ofType('Practitioner')).toBeGreaterThan(0);
    expect(ofType('Organization')).toBeGreaterThan(0);
    const fullUrls = new Set(exported.map((e) => e.fullUrl));
    expect(referencesIn(exported).filter((r) => r.startsWith('urn:uuid:') && !fullUrls.has(r))).toEqual([]);

    const pdf = await post('Synthea clinician', patient!.id, { format: 'pdf', sections: allSections });
    expect(pdf.statusCode).toBe(200);
    const [event] = await auditOf(pdf);
    // The PDF lists a panel once with its members folded in, as the results page does.
    expect(event!.details).toMatchObject({ counts: { visits, results: reports + resultObservations - members.size } });
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain(`${patient!.givenName} ${patient!.familyName}`);
    for (const heading of ['Problems', 'Allergies and intolerances', 'Medications', 'Immunizations', 'Visits', 'Test results']) {
      expect(text).toContain(heading);
    }
  }, 60_000);
});

describe('removeHeldReferences', () => {
  it('drops every reference to a held result with its display, and elements the removal leaves empty', () => {
    const held = new Set(['11111111-1111-4111-8111-111111111111']);
    const observation = {
      resourceType: 'Observation',
      hasMember: [{ reference: 'Observation/11111111-1111-4111-8111-111111111111', display: 'Secret' }],
      derivedFrom: [
        { reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' },
        { reference: 'Observation/22222222-2222-4222-8222-222222222222' },
      ],
      focus: [{ reference: 'https://example.org/fhir/Observation/11111111-1111-4111-8111-111111111111' }],
      extension: [{ url: 'x', valueReference: { reference: 'Observation/11111111-1111-4111-8111-111111111111' } }],
      subject: { reference: 'Patient/33333333-3333-4333-8333-333333333333' },
    };
    removeHeldReferences(observation, held);
    expect(observation).toEqual({
      resourceType: 'Observation',
      derivedFrom: [{ reference: 'Observation/22222222-2222-4222-8222-222222222222' }],
      extension: [{ url: 'x' }],
      subject: { reference: 'Patient/33333333-3333-4333-8333-333333333333' },
    });
  });
});
