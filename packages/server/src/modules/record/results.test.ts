import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Role } from '@portico/shared';
import { auditEvents, fhirResources, resultComments, resultHolds } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { trendPointLimit } from './results.service.ts';

let t: TestApp;
let orgA: Awaited<ReturnType<typeof buildOrganization>>;
let orgB: Awaited<ReturnType<typeof buildOrganization>>;
/** The patient most tests read, with a portal account. */
let self: { id: string; userId: string };
let otherPatientId: string;
const users: Record<string, { id: string; name: string }> = {};
/** Session tokens by who holds them. */
const tokens: Record<string, string> = {};
/** Stored resource ids by name. */
const ids: Record<string, string> = {};

const day = 86_400_000;
const now = Date.now();
const observationCategory = (code: string) => [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] },
];

interface LabInput {
  daysAgo: number;
  code: string;
  display: string;
  value?: number;
  unit?: string;
  low?: number;
  high?: number;
  category?: string;
  fields?: Record<string, unknown>;
}

/** A laboratory (or other) Observation stored the way the importer stores it. */
async function storeObservation(patientId: string, input: LabInput) {
  const effectiveAt = new Date(now - input.daysAgo * day);
  const category = input.category ?? 'laboratory';
  const row = await buildFhirResource(t.db, {
    organizationId: orgA.organization.id,
    patientId,
    category,
    code: `http://loinc.org|${input.code}`,
    effectiveAt,
    status: 'final',
    resource: {
      resourceType: 'Observation',
      status: 'final',
      category: observationCategory(category),
      code: { coding: [{ system: 'http://loinc.org', code: input.code, display: input.display }], text: input.display },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: effectiveAt.toISOString(),
      ...(input.value !== undefined ? { valueQuantity: { value: input.value, unit: input.unit ?? 'mmol/L' } } : {}),
      ...(input.low !== undefined && input.high !== undefined
        ? { referenceRange: [{ low: { value: input.low }, high: { value: input.high } }] }
        : {}),
      ...input.fields,
    },
  });
  return row.id;
}

/** A DiagnosticReport naming member Observations, as the importer rewrites references (`Observation/<id>`). */
async function storeReport(patientId: string, daysAgo: number, name: string, memberIds: string[], fields: Record<string, unknown> = {}) {
  const effectiveAt = new Date(now - daysAgo * day);
  const row = await buildFhirResource(t.db, {
    organizationId: orgA.organization.id,
    patientId,
    category: 'LAB',
    code: `http://loinc.org|${name}`,
    effectiveAt,
    status: 'final',
    resource: {
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { text: name },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: effectiveAt.toISOString(),
      issued: new Date(effectiveAt.getTime() + 3600_000).toISOString(),
      result: memberIds.map((id) => ({ reference: `Observation/${id}`, display: 'member' })),
      ...fields,
    },
  });
  return row.id;
}

beforeAll(async () => {
  t = await buildTestApp();
  orgA = await buildOrganization(t.db);
  orgB = await buildOrganization(t.db);
  const staff: [string, Role, string][] = [
    ['clinician', 'clinician', orgA.organization.id],
    ['nurse', 'nurse', orgA.organization.id],
    ['front_desk', 'front_desk', orgA.organization.id],
    ['clinician of another organization', 'clinician', orgB.organization.id],
  ];
  for (const [who, role, organizationId] of staff) {
    const user = await buildUser(t.db, { role, organizationId, mfa: true });
    users[who] = { id: user.id, name: user.displayName };
    tokens[who] = await signInAs(t.db, user);
  }
  const patient = await buildPatient(t.db, orgA.organization.id, { withAccount: true });
  self = { id: patient.patient.id, userId: patient.user!.id };
  tokens['the patient themself'] = await signInAs(t.db, patient.user!);
  const other = await buildPatient(t.db, orgA.organization.id, { withAccount: true });
  otherPatientId = other.patient.id;
  tokens['another patient'] = await signInAs(t.db, other.user!);

  // Directory and visit resources the detail names people from.
  const practitioner = await buildFhirResource(t.db, {
    organizationId: orgA.organization.id,
    patientId: null,
    resource: { resourceType: 'Practitioner', name: [{ prefix: ['Dr.'], given: ['Ada'], family: 'Okafor' }] },
  });
  const encounter = await buildFhirResource(t.db, {
    organizationId: orgA.organization.id,
    patientId: self.id,
    effectiveAt: new Date(now - 40 * day),
    resource: {
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'AMB' },
      subject: { reference: `Patient/${self.id}` },
      participant: [{ individual: { reference: `Practitioner/${practitioner.id}` } }],
    },
  });
  ids.encounter = encounter.id;
  const order = await buildFhirResource(t.db, {
    organizationId: orgA.organization.id,
    patientId: self.id,
    resource: {
      resourceType: 'ServiceRequest',
      status: 'completed',
      intent: 'order',
      subject: { reference: `Patient/${self.id}` },
      requester: { reference: 'Practitioner/unknown', display: 'Dr. Sam Reyes' },
    },
  });

  // Potassium over time: the newest one is the detailed result, with an order, notes, a performer and a range.
  for (const [daysAgo, value] of [
    [300, 3.9],
    [200, 5.6],
    [100, 4.4],
  ] as const) {
    await storeObservation(self.id, { daysAgo, code: '2823-3', display: 'Potassium', value, low: 3.5, high: 5.1 });
  }
  ids.potassium = await storeObservation(self.id, {
    daysAgo: 40,
    code: '2823-3',
    display: 'Potassium',
    value: 5.8,
    low: 3.5,
    high: 5.1,
    fields: {
      interpretation: [{ coding: [{ code: 'H', display: 'High' }] }],
      basedOn: [{ reference: `ServiceRequest/${order.id}` }],
      performer: [{ display: 'Main Street Lab' }],
      issued: new Date(now - 39 * day).toISOString(),
      note: [{ text: 'Sample slightly hemolyzed.' }],
      encounter: { reference: `Encounter/${encounter.id}` },
    },
  });
  await t.db.update(fhirResources).set({ encounterId: encounter.id }).where(eq(fhirResources.id, ids.potassium));
  ids.sodium = await storeObservation(self.id, {
    daysAgo: 30,
    code: '2951-2',
    display: 'Sodium',
    value: 140,
    low: 135,
    high: 145,
    fields: { encounter: { reference: `Encounter/${encounter.id}` } },
  });
  await t.db.update(fhirResources).set({ encounterId: encounter.id }).where(eq(fhirResources.id, ids.sodium));

  // A panel: its members are listed with it, not on their own.
  ids.hemoglobin = await storeObservation(self.id, {
    daysAgo: 10,
    code: '718-7',
    display: 'Hemoglobin',
    value: 9.8,
    unit: 'g/dL',
    low: 12,
    high: 16,
  });
  ids.leukocytes = await storeObservation(self.id, {
    daysAgo: 10,
    code: '6690-2',
    display: 'Leukocytes',
    value: 7,
    unit: '10*3/uL',
    low: 4,
    high: 11,
  });
  ids.cbc = await storeReport(self.id, 10, 'Complete blood count', [ids.hemoglobin, ids.leukocytes], {
    performer: [{ display: 'Dr. Lab Director' }],
  });

  // An imaging report: conclusion and a plain-text presented form.
  ids.xray = await storeReport(self.id, 5, 'Chest X-ray', [], {
    conclusion: 'No acute disease.',
    presentedForm: [{ contentType: 'text/plain', data: Buffer.from('FINDINGS: Clear lungs.').toString('base64') }],
  });

  // Not results: a vital sign and a survey.
  ids.heartRate = await storeObservation(self.id, {
    daysAgo: 1,
    code: '8867-4',
    display: 'Heart rate',
    value: 72,
    category: 'vital-signs',
  });
  ids.survey = await storeObservation(self.id, { daysAgo: 2, code: '72166-2', display: 'Tobacco use', category: 'survey' });

  ids.otherPatientResult = await storeObservation(otherPatientId, { daysAgo: 3, code: '2345-7', display: 'Glucose', value: 99 });
});
afterAll(() => t.close());

const headersOf = (who: string | null) => (who ? cookieFor(tokens[who]!) : {});
const get = (who: string | null, url: string) => t.app.inject({ method: 'GET', url, headers: headersOf(who) });
const send = (who: string | null, method: 'POST' | 'PUT', url: string, payload: unknown) =>
  t.app.inject({ method, url, headers: { ...csrfHeaders, ...headersOf(who) }, payload: payload as Record<string, unknown> });
const listUrl = (patientId: string, query = '') => `/api/patients/${patientId}/record/results${query}`;
const detailUrl = (patientId: string, resultId: string) => `/api/patients/${patientId}/record/results/${resultId}`;
const auditOf = (response: { headers: Record<string, unknown> }) =>
  t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));
const inFuture = (days: number) => new Date(Date.now() + days * day).toISOString();

describe('GET /api/patients/:id/record/results', () => {
  it('lists the patient their results newest first: a panel once with its members folded in, no vitals or surveys', async () => {
    const response = await get('the patient themself', listUrl(self.id));
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body.results.map((r: { id: string }) => r.id)).toEqual([
      ids.xray,
      ids.cbc,
      ids.sodium,
      ids.potassium,
      expect.any(String),
      expect.any(String),
      expect.any(String),
    ]);
    expect(body.nextCursor).toBeNull();
    expect(body.results[0]).toEqual({
      id: ids.xray,
      kind: 'report',
      name: 'Chest X-ray',
      value: null,
      unit: null,
      referenceRange: null,
      flag: null,
      status: 'final',
      effectiveAt: expect.any(String),
      held: false,
      components: [],
      isNew: true,
    });
    expect(body.results[1]).toMatchObject({ id: ids.cbc, kind: 'report', name: 'Complete blood count', flag: 'A' });
    expect(body.results[1].components.map((c: { id: string }) => c.id)).toEqual([ids.hemoglobin, ids.leukocytes]);
    expect(body.results[3]).toMatchObject({
      kind: 'observation',
      name: 'Potassium',
      value: '5.8',
      unit: 'mmol/L',
      referenceRange: '3.5-5.1',
      flag: 'H',
      status: 'final',
      held: false,
    });
    const listed = body.results.map((r: { id: string }) => r.id);
    for (const hidden of [ids.hemoglobin, ids.leukocytes, ids.heartRate, ids.survey]) expect(listed).not.toContain(hidden);
  });

  it('audits the read as result.list.read', async () => {
    const response = await get('nurse', listUrl(self.id));
    expect(response.statusCode).toBe(200);
    expect(await auditOf(response)).toMatchObject([
      { action: 'result.list.read', outcome: 'success', patientId: self.id, actorUserId: users.nurse!.id },
    ]);
  });

  it('pages through 120 results without gaps or duplicates, ties and undated results included', async () => {
    const { patient } = await buildPatient(t.db, orgA.organization.id);
    const base = Date.UTC(2024, 0, 1);
    const rows = Array.from({ length: 120 }, (_, i) => {
      const id = randomUUID();
      // Every third result shares its time with the one before it; the last five have no time at all.
      const effectiveAt = i >= 115 ? null : new Date(base - Math.floor(i / 3) * 3 * 3600_000 - (i % 3 === 2 ? 1 : 0));
      return {
        id,
        organizationId: orgA.organization.id,
        patientId: patient.id,
        resourceType: 'Observation',
        category: 'laboratory',
        code: 'http://loinc.org|2345-7',
        effectiveAt,
        status: 'final',
        resource: {
          resourceType: 'Observation',
          id,
          status: 'final',
          code: { text: 'Glucose' },
          valueQuantity: { value: i, unit: 'mg/dL' },
        },
      };
    });
    await t.db.insert(fhirResources).values(rows);
    const seen: { id: string; effectiveAt: string | null }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await get('clinician', listUrl(patient.id, query));
      expect(response.statusCode).toBe(200);
      const body = response.json();
      seen.push(...body.results);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(120);
    expect(new Set(seen.map((r) => r.id)).size).toBe(120);
    const dated = seen.filter((r) => r.effectiveAt !== null).map((r) => r.effectiveAt!);
    expect(dated).toEqual([...dated].sort().reverse());
    expect(seen.slice(115).every((r) => r.effectiveAt === null)).toBe(true);
  });

  it('answers 400 naming cursor for a cursor it did not make', async () => {
    const forged = Buffer.from(JSON.stringify(['2024-02-30T00:00:00.000000Z', randomUUID()])).toString('base64url');
    for (const cursor of ['not-a-cursor', forged, Buffer.from('{"a":1}').toString('base64url')]) {
      const response = await get('the patient themself', listUrl(self.id, `?cursor=${cursor}`));
      expect(response.statusCode, cursor).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'cursor' });
    }
  });

  it('answers 400 for a patient id that is not a UUID and for a limit over 100', async () => {
    expect((await get('clinician', listUrl('12345'))).json().error).toMatchObject({ field: 'id' });
    const response = await get('clinician', listUrl(self.id, '?limit=101'));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ field: 'limit' });
  });

  it('answers 401 without a session', async () => {
    expect((await get(null, listUrl(self.id))).statusCode).toBe(401);
  });

  it.each(['another patient', 'front_desk', 'clinician of another organization'])(
    'answers 404 to %s and audits the denial',
    async (who) => {
      const response = await get(who, listUrl(self.id));
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toMatch(/Potassium|Chest/);
      expect(await auditOf(response)).toMatchObject([{ action: 'result.list.read', outcome: 'denied' }]);
    },
  );
});

describe('GET /api/patients/:id/record/results/:resultId', () => {
  it('shows an Observation in full: value, range, interpretation, order, performer, dates, notes and its trend', async () => {
    const response = await get('the patient themself', detailUrl(self.id, ids.potassium!));
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      result: { id: ids.potassium, name: 'Potassium', value: '5.8', unit: 'mmol/L', flag: 'H', held: false },
      low: 3.5,
      high: 5.1,
      interpretation: 'High',
      orderedBy: 'Dr. Sam Reyes',
      performer: 'Main Street Lab',
      collectedAt: new Date(now - 40 * day).toISOString(),
      resultedAt: new Date(now - 39 * day).toISOString(),
      notes: ['Sample slightly hemolyzed.'],
      comments: [],
      report: null,
      holds: [],
    });
    expect(body.trend).toMatchObject({ unit: 'mmol/L', low: 3.5, high: 5.1 });
    expect(body.trend.points.map((p: { value: number; flag: string | null }) => [p.value, p.flag])).toEqual([
      [3.9, null],
      [5.6, 'H'],
      [4.4, null],
      [5.8, 'H'],
    ]);
  });

  it('names the visit clinician as the orderer when the result has no order of its own', async () => {
    const body = (await get('clinician', detailUrl(self.id, ids.sodium!))).json();
    expect(body.orderedBy).toBe('Dr. Ada Okafor');
  });

  it('shows a panel with its members in report order, and a text report with its conclusion and text', async () => {
    const panel = (await get('the patient themself', detailUrl(self.id, ids.cbc!))).json();
    expect(panel.result).toMatchObject({ kind: 'report', flag: 'A' });
    expect(panel.report.members.map((m: { name: string; flag: string | null }) => [m.name, m.flag])).toEqual([
      ['Hemoglobin', 'L'],
      ['Leukocytes', null],
    ]);
    expect(panel).toMatchObject({ trend: null, orderedBy: 'Dr. Lab Director', resultedAt: expect.any(String) });
    const xray = (await get('the patient themself', detailUrl(self.id, ids.xray!))).json();
    expect(xray.report).toEqual({ conclusion: 'No acute disease.', text: 'FINDINGS: Clear lungs.', members: [] });
  });

  it('opens a panel member on its own, with the panel performer', async () => {
    const body = (await get('the patient themself', detailUrl(self.id, ids.hemoglobin!))).json();
    expect(body).toMatchObject({ result: { name: 'Hemoglobin', value: '9.8', flag: 'L' }, performer: 'Dr. Lab Director' });
  });

  it(`draws at most ${trendPointLimit} points, the newest, oldest first`, async () => {
    const { patient } = await buildPatient(t.db, orgA.organization.id);
    const rows = Array.from({ length: trendPointLimit + 5 }, (_, i) => {
      const id = randomUUID();
      return {
        id,
        organizationId: orgA.organization.id,
        patientId: patient.id,
        resourceType: 'Observation',
        category: 'laboratory',
        code: 'http://loinc.org|4548-4',
        effectiveAt: new Date(now - (i + 1) * day),
        status: 'final',
        resource: { resourceType: 'Observation', id, status: 'final', code: { text: 'A1c' }, valueQuantity: { value: i, unit: '%' } },
      };
    });
    await t.db.insert(fhirResources).values(rows);
    const body = (await get('clinician', detailUrl(patient.id, rows[0]!.id))).json();
    const values = body.trend.points.map((p: { value: number }) => p.value);
    expect(values).toHaveLength(trendPointLimit);
    expect(values[0]).toBe(trendPointLimit - 1);
    expect(values.at(-1)).toBe(0);
  });

  it('audits the read as result.read naming the result', async () => {
    const response = await get('the patient themself', detailUrl(self.id, ids.xray!));
    expect(await auditOf(response)).toMatchObject([
      { action: 'result.read', outcome: 'success', patientId: self.id, details: { resultId: ids.xray } },
    ]);
  });

  it('answers 404 for another patient result, for a vital sign and for an unknown id, and audits each', async () => {
    for (const resultId of [ids.otherPatientResult!, ids.heartRate!, randomUUID()]) {
      const response = await get('the patient themself', detailUrl(self.id, resultId));
      expect(response.statusCode).toBe(404);
      expect(response.json().error.message).toBe('The result was not found.');
      expect(await auditOf(response)).toMatchObject([{ action: 'result.read', outcome: 'failure', details: { resultId } }]);
    }
  });

  it('answers 404 to another patient and to another organization clinician', async () => {
    for (const who of ['another patient', 'clinician of another organization']) {
      expect((await get(who, detailUrl(self.id, ids.potassium!))).statusCode).toBe(404);
    }
  });

  it('answers 400 for a result id that is not a UUID, and 401 without a session', async () => {
    const bad = await get('clinician', detailUrl(self.id, 'x1'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'resultId' });
    expect((await get(null, detailUrl(self.id, ids.potassium!))).statusCode).toBe(401);
  });
});

describe('POST /api/patients/:id/record/results/:resultId/holds', () => {
  const holdUrl = (resultId: string) => `${detailUrl(self.id, resultId)}/holds`;

  it('lets a clinician hold a result: hidden from the patient, marked held for staff, audited with the reason', async () => {
    const until = inFuture(7);
    const response = await send('clinician', 'POST', holdUrl(ids.sodium!), { reason: 'Discuss at the visit first', until });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      id: expect.any(String),
      kind: 'clinician',
      reason: 'Discuss at the visit first',
      heldBy: users.clinician!.name,
      heldUntil: until,
      createdAt: expect.any(String),
    });
    expect(await auditOf(response)).toMatchObject([
      { action: 'result.hold', outcome: 'success', details: { resultId: ids.sodium, holdReason: 'Discuss at the visit first', until } },
    ]);

    const patientList = (await get('the patient themself', listUrl(self.id))).json();
    expect(patientList.results.map((r: { id: string }) => r.id)).not.toContain(ids.sodium);
    expect((await get('the patient themself', detailUrl(self.id, ids.sodium!))).statusCode).toBe(404);
    const staffList = (await get('nurse', listUrl(self.id))).json();
    expect(staffList.results.find((r: { id: string }) => r.id === ids.sodium)).toMatchObject({ held: true });
    const staffDetail = (await get('nurse', detailUrl(self.id, ids.sodium!))).json();
    expect(staffDetail.holds).toMatchObject([{ kind: 'clinician', reason: 'Discuss at the visit first' }]);
  });

  it('answers 409 when the result already has an active clinician hold', async () => {
    const response = await send('clinician', 'POST', holdUrl(ids.sodium!), { reason: 'Second opinion', until: inFuture(3) });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('conflict');
  });

  it('lets exactly one of 10 racing holds on one result succeed; the rest answer 409', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => send('clinician', 'POST', holdUrl(ids.xray!), { reason: 'Racing hold', until: inFuture(1) })),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
    const active = await t.db
      .select()
      .from(resultHolds)
      .where(and(eq(resultHolds.resourceId, ids.xray!), isNull(resultHolds.releasedAt)));
    expect(active).toHaveLength(1);
    await send('clinician', 'POST', `${detailUrl(self.id, ids.xray!)}/release`, {});
  });

  it('answers 400 naming the field for a short reason, a past until and an until beyond 30 days', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ reason: 'abc', until: inFuture(1) }, 'reason'],
      [{ reason: 'Valid reason', until: inFuture(-1) }, 'until'],
      [{ reason: 'Valid reason', until: inFuture(31) }, 'until'],
      [{ reason: 'Valid reason', until: 'tomorrow' }, 'until'],
    ];
    for (const [payload, field] of cases) {
      const response = await send('clinician', 'POST', holdUrl(ids.potassium!), payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
    }
  });

  it('answers 403 to a nurse and to the patient, stores nothing, and audits the denial', async () => {
    for (const who of ['nurse', 'the patient themself']) {
      const response = await send(who, 'POST', holdUrl(ids.potassium!), { reason: 'Not my call', until: inFuture(2) });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
      expect(await auditOf(response)).toMatchObject([{ action: 'result.hold', outcome: 'denied', details: { resultId: ids.potassium } }]);
    }
    expect(await t.db.select().from(resultHolds).where(eq(resultHolds.resourceId, ids.potassium!))).toEqual([]);
  });

  it('answers 404 to front desk, to another organization clinician and for another patient result', async () => {
    expect((await send('front_desk', 'POST', holdUrl(ids.potassium!), { reason: 'Front desk hold', until: inFuture(2) })).statusCode).toBe(
      404,
    );
    const other = await send('clinician of another organization', 'POST', holdUrl(ids.potassium!), {
      reason: 'Other org',
      until: inFuture(2),
    });
    expect(other.statusCode).toBe(404);
    const foreign = await send('clinician', 'POST', holdUrl(ids.otherPatientResult!), { reason: 'Wrong patient', until: inFuture(2) });
    expect(foreign.statusCode).toBe(404);
  });

  it('answers 401 without a session', async () => {
    expect((await send(null, 'POST', holdUrl(ids.potassium!), { reason: 'No session', until: inFuture(2) })).statusCode).toBe(401);
  });
});

describe('POST /api/patients/:id/record/results/:resultId/release', () => {
  const releaseUrl = (resultId: string) => `${detailUrl(self.id, resultId)}/release`;

  it('answers 403 to a nurse and 404 to another organization clinician, leaving the hold in place', async () => {
    expect((await send('nurse', 'POST', releaseUrl(ids.sodium!), {})).statusCode).toBe(403);
    expect((await send('clinician of another organization', 'POST', releaseUrl(ids.sodium!), {})).statusCode).toBe(404);
    expect((await get('the patient themself', detailUrl(self.id, ids.sodium!))).statusCode).toBe(404);
  });

  it('lets a clinician end the hold: the patient sees the result again, and the release is audited', async () => {
    const response = await send('clinician', 'POST', releaseUrl(ids.sodium!), {});
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    expect(await auditOf(response)).toMatchObject([{ action: 'result.release', outcome: 'success', details: { resultId: ids.sodium } }]);
    expect((await get('the patient themself', detailUrl(self.id, ids.sodium!))).statusCode).toBe(200);
    const [hold] = await t.db.select().from(resultHolds).where(eq(resultHolds.resourceId, ids.sodium!));
    expect(hold).toMatchObject({ releasedBy: users.clinician!.id, releasedAt: expect.any(Date) });
  });

  it('answers 400 for fields in the body, and 401 without a session', async () => {
    expect((await send('clinician', 'POST', releaseUrl(ids.sodium!), { status: 'released' })).statusCode).toBe(400);
    expect((await send(null, 'POST', releaseUrl(ids.sodium!), {})).statusCode).toBe(401);
  });
});

describe('POST /api/patients/:id/record/results/:resultId/comments', () => {
  const commentUrl = (resultId: string) => `${detailUrl(self.id, resultId)}/comments`;

  it('stores a nurse comment that the patient then reads with the author name and role', async () => {
    const response = await send('nurse', 'POST', commentUrl(ids.potassium!), { text: '  Slightly high; we will repeat it.  ' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      id: expect.any(String),
      authorName: users.nurse!.name,
      authorRole: 'nurse',
      text: 'Slightly high; we will repeat it.',
      createdAt: expect.any(String),
    });
    expect(await auditOf(response)).toMatchObject([{ action: 'result.comment', outcome: 'success', details: { resultId: ids.potassium } }]);
    const detail = (await get('the patient themself', detailUrl(self.id, ids.potassium!))).json();
    expect(detail.comments).toEqual([response.json()]);
  });

  it('answers 403 to the patient, 404 to another organization, 400 for empty text, 401 without a session', async () => {
    const patient = await send('the patient themself', 'POST', commentUrl(ids.potassium!), { text: 'Can I comment?' });
    expect(patient.statusCode).toBe(403);
    expect(await auditOf(patient)).toMatchObject([{ action: 'result.comment', outcome: 'denied' }]);
    expect((await send('clinician of another organization', 'POST', commentUrl(ids.potassium!), { text: 'Hello' })).statusCode).toBe(404);
    const empty = await send('clinician', 'POST', commentUrl(ids.potassium!), { text: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ field: 'text' });
    expect((await send(null, 'POST', commentUrl(ids.potassium!), { text: 'Hello' })).statusCode).toBe(401);
    const stored = await t.db
      .select()
      .from(resultComments)
      .where(and(eq(resultComments.resourceId, ids.potassium!)));
    expect(stored).toHaveLength(1);
  });
});

describe('GET and PUT /api/patients/:id/record/results-release', () => {
  const url = (patientId: string) => `/api/patients/${patientId}/record/results-release`;

  it('reads immediate by default, and the patient can choose after_review, which their clinician reads', async () => {
    const { patient, user } = await buildPatient(t.db, orgA.organization.id, { withAccount: true });
    const token = await signInAs(t.db, user!);
    tokens['a second patient'] = token;
    expect((await get('a second patient', url(patient.id))).json()).toEqual({ mode: 'immediate' });
    const put = await send('a second patient', 'PUT', url(patient.id), { mode: 'after_review' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ mode: 'after_review' });
    expect(await auditOf(put)).toMatchObject([{ action: 'results_release.update', outcome: 'success', details: { mode: 'after_review' } }]);
    expect((await get('clinician', url(patient.id))).json()).toEqual({ mode: 'after_review' });
    expect((await get('nurse', url(patient.id))).json()).toEqual({ mode: 'after_review' });
  });

  it('answers 403 to a clinician who tries to choose for the patient', async () => {
    const response = await send('clinician', 'PUT', url(self.id), { mode: 'after_review' });
    expect(response.statusCode).toBe(403);
    expect(await auditOf(response)).toMatchObject([{ action: 'results_release.update', outcome: 'denied' }]);
    expect((await get('the patient themself', url(self.id))).json()).toEqual({ mode: 'immediate' });
  });

  it('answers 404 to front desk and to another patient, 400 for an unknown mode, 401 without a session', async () => {
    expect((await get('front_desk', url(self.id))).statusCode).toBe(404);
    expect((await send('another patient', 'PUT', url(self.id), { mode: 'immediate' })).statusCode).toBe(404);
    const bad = await send('the patient themself', 'PUT', url(self.id), { mode: 'never' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'mode' });
    expect((await get(null, url(self.id))).statusCode).toBe(401);
  });
});
