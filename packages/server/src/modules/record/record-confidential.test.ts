import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { accessGrants, auditEvents, fhirResources, messageThreads, organizations, patients, users } from '../../db/schema/index.ts';
import { buildFhirResource, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { dayInZone } from '../access/access.policy.ts';
import { fullProxyCategories } from '../proxies/proxy-access.ts';
import { buildMessagingWorld, newThread, requestsFor, type MessagingWorld, type Person } from '../messaging/messaging.fixtures.ts';

/**
 * Issue 11 §1: from 12 to 17 a guardian does not see the visits, results and threads the teen or a clinician marked
 * confidential (meta.security R or V; a thread the teen kept private). The teen and the care team do; a guardian of an
 * 11-year-old does (full access under 12); the 12th birthday, on the organization's calendar, flips it.
 */
let t: TestApp;
let w: MessagingWorld;
let http: ReturnType<typeof requestsFor>;
let guardian: Person;
const zone = 'America/Los_Angeles';
const ids: Record<'secretVisit' | 'openVisit' | 'secretResult' | 'openResult', string> = {
  secretVisit: '',
  openVisit: '',
  secretResult: '',
  openResult: '',
};
const sct = 'http://snomed.info/sct';
const loinc = 'http://loinc.org';
const restricted = { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] };

/** A birth date `years` years before today in the organization's zone, shifted by `days` (positive: a later birthday). */
function birthDate(years: number, days = 0): string {
  const [y, m, d] = dayInZone(new Date(), zone).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y - years, m - 1, d + days)).toISOString().slice(0, 10);
}

async function setAge(years: number, days = 0): Promise<void> {
  await t.db
    .update(patients)
    .set({ birthDate: birthDate(years, days) })
    .where(eq(patients.id, w.patient.patientId));
}

async function visit(display: string, meta?: object): Promise<string> {
  const start = '2026-05-04T15:00:00Z';
  const row = await buildFhirResource(t.db, {
    organizationId: w.orgA,
    patientId: w.patient.patientId,
    resource: {
      resourceType: 'Encounter',
      ...(meta ? { meta } : {}),
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      type: [{ coding: [{ system: sct, code: '185347001', display }], text: display }],
      subject: { reference: `Patient/${w.patient.patientId}` },
      period: { start, end: '2026-05-04T15:30:00Z' },
    },
    category: 'AMB',
    status: 'finished',
    effectiveAt: new Date(start),
  });
  return row.id;
}

async function lab(code: string, display: string, meta?: object): Promise<string> {
  const at = '2026-05-04T16:00:00Z';
  const row = await buildFhirResource(t.db, {
    organizationId: w.orgA,
    patientId: w.patient.patientId,
    resource: {
      resourceType: 'Observation',
      ...(meta ? { meta } : {}),
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
      code: { coding: [{ system: loinc, code, display }], text: display },
      subject: { reference: `Patient/${w.patient.patientId}` },
      effectiveDateTime: at,
      valueQuantity: { value: 42, unit: 'ng/mL' },
    },
    category: 'laboratory',
    code: `${loinc}|${code}`,
    status: 'final',
    effectiveAt: new Date(at),
  });
  return row.id;
}

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildMessagingWorld(t);
  http = requestsFor(t);
  await t.db.update(organizations).set({ timeZone: zone }).where(eq(organizations.id, w.orgA));
  await setAge(15);
  const user = await buildUser(t.db, { role: 'proxy', organizationId: w.orgA });
  await t.db.update(users).set({ displayName: 'Ana Guardian' }).where(eq(users.id, user.id));
  // A guardian set up by the care team, with every area and every sensitive category consented (so only the mark hides).
  await t.db.insert(accessGrants).values({
    granteeUserId: user.id,
    patientId: w.patient.patientId,
    kind: 'proxy',
    relationship: 'guardian',
    level: 'full',
    categories: [...fullProxyCategories],
    sensitiveCategories: ['mental_health', 'substance_use', 'sexual_reproductive', 'hiv', 'genetics'],
    grantedBy: w.pcp.id,
  });
  guardian = { id: user.id, name: 'Ana Guardian', token: await signInAs(t.db, user) };
  ids.secretVisit = await visit('Adolescent clinic visit', restricted);
  ids.openVisit = await visit('Sports physical');
  ids.secretResult = await lab('2276-4', 'Ferritin', restricted);
  ids.openResult = await lab('2345-7', 'Glucose');
});
afterAll(async () => t?.close());

const record = (path: string) => `/api/patients/${w.patient.patientId}/record${path}`;
const threads = (path = '') => `/api/patients/${w.patient.patientId}/messages/threads${path}`;

async function exportAs(who: Person, format: 'pdf' | 'fhir') {
  return t.app.inject({
    method: 'POST',
    url: record('/export'),
    headers: { ...csrfHeaders, ...cookieFor(who.token) },
    payload: { format, sections: ['visits', 'results'] },
  });
}

/** What one reader sees of the marked rows: the lists, the details, the search and both exports. */
async function seen(who: Person) {
  const visits = await http.get(who, record('/visits'));
  const results = await http.get(who, record('/results'));
  const search = await http.post(who, record('/results/search'), { name: 'Ferr' });
  expect([visits.statusCode, results.statusCode, search.statusCode]).toEqual([200, 200, 200]);
  const pdf = await exportAs(who, 'pdf');
  const fhir = await exportAs(who, 'fhir');
  expect([pdf.statusCode, fhir.statusCode]).toEqual([200, 200]);
  const pdfWords = await pdfText(pdf.rawPayload);
  return {
    visitListed: visits.body.includes(ids.secretVisit),
    openVisitListed: visits.body.includes(ids.openVisit),
    visitDetail: (await http.get(who, record(`/visits/${ids.secretVisit}`))).statusCode,
    resultListed: results.body.includes(ids.secretResult),
    openResultListed: results.body.includes(ids.openResult),
    resultDetail: (await http.get(who, record(`/results/${ids.secretResult}`))).statusCode,
    searched: search.body.includes(ids.secretResult),
    inPdf: pdfWords.includes('Adolescent clinic visit') || pdfWords.includes('Ferritin'),
    openInPdf: pdfWords.includes('Sports physical') && pdfWords.includes('Glucose'),
    inFhir: fhir.body.includes(ids.secretVisit) || fhir.body.includes(ids.secretResult),
  };
}

const hidden = {
  visitListed: false,
  openVisitListed: true,
  visitDetail: 404,
  resultListed: false,
  openResultListed: true,
  resultDetail: 404,
  searched: false,
  inPdf: false,
  openInPdf: true,
  inFhir: false,
};
const shown = {
  ...hidden,
  visitListed: true,
  visitDetail: 200,
  resultListed: true,
  resultDetail: 200,
  searched: true,
  inPdf: true,
  inFhir: true,
};

describe('visits and results marked confidential (meta.security R)', () => {
  it('stores the mark in the confidential column, as the importer derives it', async () => {
    const [row] = await t.db.select().from(fhirResources).where(eq(fhirResources.id, ids.secretVisit));
    expect(row).toMatchObject({ confidential: true, sensitiveCategory: null });
  });

  it('hides them from the guardian of a 15-year-old: absent from lists, search and exports, 404 on detail (audited)', async () => {
    expect(await seen(guardian)).toEqual(hidden);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, guardian.id), eq(auditEvents.action, 'record.visit.read')));
    expect(events.length).toBeGreaterThan(0);
  });

  it('shows them to the teen and to her clinician', async () => {
    expect(await seen(w.patient)).toEqual(shown);
    expect(await seen(w.pcp)).toEqual(shown);
  });

  it('shows them to the guardian of an 11-year-old (full access under 12)', async () => {
    await setAge(11, 1);
    try {
      expect(await seen(guardian)).toEqual(shown);
    } finally {
      await setAge(15);
    }
  });

  it('leaves a confidential member of a visible report out of the guardian’s FHIR export, not the teen’s', async () => {
    const member = await lab('2502-3', 'Iron saturation', restricted);
    const at = '2026-05-04T16:00:00Z';
    const report = await buildFhirResource(t.db, {
      organizationId: w.orgA,
      patientId: w.patient.patientId,
      resource: {
        resourceType: 'DiagnosticReport',
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
        code: { coding: [{ system: loinc, code: '50190-8', display: 'Iron panel' }], text: 'Iron panel' },
        subject: { reference: `Patient/${w.patient.patientId}` },
        effectiveDateTime: at,
        result: [{ reference: `Observation/${member}` }, { reference: `Observation/${ids.openResult}` }],
      },
      category: 'LAB',
      code: `${loinc}|50190-8`,
      status: 'final',
      effectiveAt: new Date(at),
    });
    const asGuardian = await exportAs(guardian, 'fhir');
    expect(asGuardian.body).toContain(report.id);
    expect(asGuardian.body).not.toContain(member);
    expect((await exportAs(w.patient, 'fhir')).body).toContain(member);
    await t.db.delete(fhirResources).where(eq(fhirResources.id, report.id));
    await t.db.delete(fhirResources).where(eq(fhirResources.id, member));
  });

  it('hides them from the 12th birthday in the organization’s zone, not the day before', async () => {
    try {
      await setAge(12, 1);
      expect((await http.get(guardian, record(`/visits/${ids.secretVisit}`))).statusCode).toBe(200);
      await setAge(12, 0);
      expect((await http.get(guardian, record(`/visits/${ids.secretVisit}`))).statusCode).toBe(404);
      expect((await http.get(guardian, record(`/results/${ids.secretResult}`))).statusCode).toBe(404);
    } finally {
      await setAge(15);
    }
  });
});

describe('a thread the teen keeps private from her parents', () => {
  let threadId = '';

  it('lets the teen mark a new thread private; her guardian does not see it (absent, 404), the care team does', async () => {
    const created = await http.post(w.patient, threads(), newThread(w, { confidential: true }));
    expect(created.statusCode, created.body).toBe(201);
    threadId = created.json().thread.id as string;
    const [row] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, threadId));
    expect(row?.confidential).toBe(true);

    const list = await http.get(guardian, threads());
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(threadId);
    expect((await http.get(guardian, threads(`/${threadId}`))).statusCode).toBe(404);
    const reply = await http.post(guardian, threads(`/${threadId}/messages`), { body: 'Mum here.' });
    expect(reply.statusCode).toBe(404);

    expect((await http.get(w.patient, threads())).body).toContain(threadId);
    const staff = await http.get(w.pcp, `/api/inbox/threads/${threadId}`);
    expect(staff.statusCode).toBe(200);
    // Said in words to those who see it, so the care team does not mention it to a parent and the teen knows.
    expect(staff.json().thread.confidential).toBe(true);
    const asTeen = (await http.get(w.patient, threads())).json<{ threads: { id: string; confidential: boolean }[] }>();
    expect(asTeen.threads.find((x) => x.id === threadId)?.confidential).toBe(true);
  });

  it('keeps the care team’s reply in the private thread: the teen reads it, the guardian still cannot', async () => {
    const reply = await http.post(w.pcp, `/api/inbox/threads/${threadId}/messages`, { body: 'Thanks for writing. Let us talk.' });
    expect(reply.statusCode, reply.body).toBe(201);
    const asTeen = await http.get(w.patient, threads(`/${threadId}`));
    expect(asTeen.body).toContain('Let us talk');
    expect((await http.get(guardian, threads(`/${threadId}`))).statusCode).toBe(404);
    expect((await http.get(guardian, threads())).body).not.toContain(threadId);
  });

  it('shows the guardian the teen’s other threads', async () => {
    const created = await http.post(w.patient, threads(), newThread(w));
    expect(created.statusCode).toBe(201);
    const id = created.json().thread.id as string;
    expect((await http.get(guardian, threads(`/${id}`))).statusCode).toBe(200);
  });

  it('refuses the flag from a guardian (403), from staff (404 on the patient side) and from a patient who is not 12-17', async () => {
    const byGuardian = await http.post(guardian, threads(), newThread(w, { confidential: true }));
    expect(byGuardian.statusCode).toBe(403);
    expect(byGuardian.json().error.field).toBe('confidential');
    expect((await http.post(w.pcp, threads(), newThread(w, { confidential: true }))).statusCode).toBe(404);
    const adult = await http.post(
      w.otherPatient,
      `/api/patients/${w.otherPatient.patientId}/messages/threads`,
      newThread(w, { confidential: true }),
    );
    expect(adult.statusCode).toBe(403);
    const notBoolean = await http.post(w.patient, threads(), newThread(w, { confidential: 'yes' }));
    expect(notBoolean.statusCode).toBe(400);
  });
});
