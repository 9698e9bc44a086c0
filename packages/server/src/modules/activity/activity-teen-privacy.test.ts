import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { ActivityEntry, ActivityPage, ActivityPeople, ShareLinkCreateResponse } from '@portico/shared';
import { queryRows } from '../../db/client.ts';
import { accessGrants, organizations, patients, users } from '../../db/schema/index.ts';
import { buildFhirResource, buildPatient, buildUser, signInAs } from '../../test/factories.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { dayInZone, type RowFilter } from '../access/access.policy.ts';
import { fullProxyCategories } from '../proxies/proxy-access.ts';
import { buildMessagingWorld, newThread, requestsFor, type MessagingWorld, type Person } from '../messaging/messaging.fixtures.ts';
import { activityPageSql } from './activity.repository.ts';

/**
 * Security review (issue 11 §1, §3): the activity log of a 12-17 year old, read by her guardian, must not tell him what
 * she keeps private. Not what she did herself (a private thread, where she sent her record and to whom, her links, her
 * reading of the log), not the care team's replies in a thread she kept private, not reads of what is marked
 * confidential or of a sensitive category; the same on the page, the people list, both downloads, the person filter and
 * a question about an entry. The teen sees everything, and an adult's full proxy sees what it saw before.
 */
let t: TestApp;
let w: MessagingWorld;
let http: ReturnType<typeof requestsFor>;
let guardian: Person;
const zone = 'America/Los_Angeles';
const restricted = { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] };
const allSensitive = ['mental_health', 'substance_use', 'sexual_reproductive', 'hiv', 'genetics'] as const;
const addressee = 'records@other-clinic.example.test';
/** The teen's record: what the nurse reads, and what the teen and the care team write. */
const teen = { privateThread: '', pcpReplyEvent: '', transmitEvent: '', nurseSummaryEvent: '' };
/** An adult patient of the same organization, with a full proxy who consented to everything and one who did not. */
let adult: Person & { patientId: string };
let adultProxy: Person;
let adultProxyNoConsent: Person;

/** A birth date `years` years before today in the organization's zone. */
function birthDate(years: number): string {
  const [y, m, d] = dayInZone(new Date(), zone).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y - years, m - 1, d)).toISOString().slice(0, 10);
}

/** A lab result of the patient: marked confidential (meta.security R), of a sensitive category, or neither. */
async function lab(patientId: string, display: string, mark: { meta?: object; sensitive?: 'hiv' } = {}): Promise<string> {
  const at = '2026-05-04T16:00:00Z';
  const row = await buildFhirResource(t.db, {
    organizationId: w.orgA,
    patientId,
    resource: {
      resourceType: 'Observation',
      ...(mark.meta ? { meta: mark.meta } : {}),
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display }], text: display },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: at,
      valueQuantity: { value: 42, unit: 'mg/dL' },
    },
    category: 'laboratory',
    code: 'http://loinc.org|2345-7',
    status: 'final',
    effectiveAt: new Date(at),
    sensitiveCategory: mark.sensitive ?? null,
  });
  return row.id;
}

/** A visit of the patient, marked confidential or not. */
async function visit(patientId: string, meta?: object): Promise<string> {
  const start = '2026-05-04T15:00:00Z';
  const row = await buildFhirResource(t.db, {
    organizationId: w.orgA,
    patientId,
    resource: {
      resourceType: 'Encounter',
      ...(meta ? { meta } : {}),
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${patientId}` },
      period: { start, end: '2026-05-04T15:30:00Z' },
    },
    category: 'AMB',
    status: 'finished',
    effectiveAt: new Date(start),
  });
  return row.id;
}

async function proxyFor(patientId: string, name: string, grant: { relationship: string; grantedBy: string; sensitive: readonly string[] }) {
  const user = await buildUser(t.db, { role: 'proxy', organizationId: w.orgA });
  await t.db.update(users).set({ displayName: name }).where(eq(users.id, user.id));
  await t.db.insert(accessGrants).values({
    granteeUserId: user.id,
    patientId,
    kind: 'proxy',
    relationship: grant.relationship,
    level: 'full',
    categories: [...fullProxyCategories],
    sensitiveCategories: [...grant.sensitive],
    grantedBy: grant.grantedBy,
  });
  return { id: user.id, name, token: await signInAs(t.db, user) };
}

const logUrl = (patientId: string, rest = '') => `/api/patients/${patientId}/activity${rest}`;

async function page(who: Person, patientId = w.patient.patientId, query = ''): Promise<ActivityEntry[]> {
  const response = await http.get(who, logUrl(patientId, `?limit=100${query}`));
  expect(response.statusCode, response.body).toBe(200);
  return response.json<ActivityPage>().entries;
}

async function people(who: Person, patientId = w.patient.patientId) {
  const response = await http.get(who, logUrl(patientId, '/people'));
  expect(response.statusCode, response.body).toBe(200);
  return response.json<ActivityPeople>().people;
}

/** The id of the newest event of an action by one person on the teen's record. */
async function eventOf(action: string, actorUserId: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    t.db,
    sql`select id from audit_events where patient_id = ${w.patient.patientId}::uuid and action = ${action}
        and actor_user_id = ${actorUserId}::uuid and outcome = 'success' order by id desc limit 1`,
  );
  expect(row, action).toBeDefined();
  return String(row!.id);
}

const count = (entries: ActivityEntry[], test: (e: ActivityEntry) => boolean) => entries.filter(test).length;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildMessagingWorld(t);
  http = requestsFor(t);
  await t.db.update(organizations).set({ timeZone: zone }).where(eq(organizations.id, w.orgA));
  await t.db
    .update(patients)
    .set({ birthDate: birthDate(15) })
    .where(eq(patients.id, w.patient.patientId));
  // A guardian the care team set up, with every area and every sensitive category: only the age band hides anything.
  guardian = await proxyFor(w.patient.patientId, 'Gary Guardian', {
    relationship: 'guardian',
    grantedBy: w.pcp.id,
    sensitive: allSensitive,
  });
  const record = (path: string) => `/api/patients/${w.patient.patientId}/record${path}`;

  // The teen: a conversation she keeps private, her clinician's reply in it, her record sent to another clinic by a
  // link someone then opens, a download of her record, and a read of her own log.
  const created = await http.post(w.patient, `/api/patients/${w.patient.patientId}/messages/threads`, newThread(w, { confidential: true }));
  expect(created.statusCode, created.body).toBe(201);
  teen.privateThread = created.json<{ thread: { id: string } }>().thread.id;
  const reply = await http.post(w.pcp, `/api/inbox/threads/${teen.privateThread}/messages`, { body: 'Let us talk at your visit.' });
  expect(reply.statusCode, reply.body).toBe(201);
  teen.pcpReplyEvent = await eventOf('inbox.message.send', w.pcp.id);
  const link = { label: 'Other clinic', scope: 'summary', expiresInDays: 7, recipientEmail: addressee };
  const shared = await http.post(w.patient, `/api/patients/${w.patient.patientId}/share-links`, link);
  expect(shared.statusCode, shared.body).toBe(201);
  teen.transmitEvent = await eventOf('record.transmit', w.patient.id);
  const { url, passcode } = shared.json<ShareLinkCreateResponse>();
  const opened = await http.post(null, '/api/shared/open', { token: url.split('#token=')[1]!, passcode });
  expect(opened.statusCode, opened.body).toBe(200);
  expect((await http.post(w.patient, record('/export'), { format: 'fhir', sections: ['problems'] })).statusCode).toBe(200);
  expect((await http.get(w.patient, logUrl(w.patient.patientId))).statusCode).toBe(200);

  // The nurse: the summary, and a result and a visit of each kind (open, confidential, of a sensitive category).
  expect((await http.get(w.nurse, record('/summary'))).statusCode).toBe(200);
  teen.nurseSummaryEvent = await eventOf('record.summary.read', w.nurse.id);
  for (const id of [await lab(w.patient.patientId, 'Glucose'), await lab(w.patient.patientId, 'Ferritin', { meta: restricted })])
    expect((await http.get(w.nurse, record(`/results/${id}`))).statusCode).toBe(200);
  expect(
    (await http.get(w.nurse, record(`/results/${await lab(w.patient.patientId, 'HIV viral load', { sensitive: 'hiv' })}`))).statusCode,
  ).toBe(200);
  for (const id of [await visit(w.patient.patientId), await visit(w.patient.patientId, restricted)])
    expect((await http.get(w.nurse, record(`/visits/${id}`))).statusCode).toBe(200);

  // The guardian's own conversation, answered by the nurse: his to see.
  const his = await http.post(guardian, `/api/patients/${w.patient.patientId}/messages/threads`, newThread(w, { clinicianId: null }));
  expect(his.statusCode, his.body).toBe(201);
  const hisThread = his.json<{ thread: { id: string } }>().thread.id;
  expect((await http.post(w.nurse, `/api/inbox/threads/${hisThread}/messages`, { body: 'Bring the forms.' })).statusCode).toBe(201);

  // An adult, her message answered by her clinician, her record sent, and the nurse reading her HIV result.
  const built = await buildPatient(t.db, w.orgA, { withAccount: true, pcpId: w.pcp.id, givenName: 'Alma' });
  adult = { id: built.user!.id, name: 'Alma', token: await signInAs(t.db, built.user!), patientId: built.patient.id };
  adultProxy = await proxyFor(adult.patientId, 'Ada Daughter', { relationship: 'invited', grantedBy: adult.id, sensitive: allSensitive });
  adultProxyNoConsent = await proxyFor(adult.patientId, 'Sam Son', { relationship: 'invited', grantedBy: adult.id, sensitive: [] });
  const hers = await http.post(adult, `/api/patients/${adult.patientId}/messages/threads`, newThread(w));
  expect(hers.statusCode, hers.body).toBe(201);
  const hersId = hers.json<{ thread: { id: string } }>().thread.id;
  expect((await http.post(w.pcp, `/api/inbox/threads/${hersId}/messages`, { body: 'Noted.' })).statusCode).toBe(201);
  expect((await http.post(adult, `/api/patients/${adult.patientId}/share-links`, link)).statusCode).toBe(201);
  const hiv = await lab(adult.patientId, 'HIV viral load', { sensitive: 'hiv' });
  expect((await http.get(w.nurse, `/api/patients/${adult.patientId}/record/results/${hiv}`)).statusCode).toBe(200);
});
afterAll(async () => t?.close());

describe('GET /api/patients/:id/activity of a 12-17 year old, read by her guardian', () => {
  it('leaves out everything the teen did herself, and says nowhere where she sent her record', async () => {
    const entries = await page(guardian);
    expect(entries.filter((e) => e.who.userId === w.patient.id)).toEqual([]);
    expect(entries.some((e) => e.what === 'transmit' || e.what === 'download' || e.addressee !== null)).toBe(false);
    expect(JSON.stringify(entries)).not.toContain(addressee);
  });

  it('shows him no addressee at all, not even of a record he sent himself', async () => {
    const link = { label: 'Camp', scope: 'summary', expiresInDays: 3, recipientEmail: 'nurse@camp.example.test' };
    expect((await http.post(guardian, `/api/patients/${w.patient.patientId}/share-links`, link)).statusCode).toBe(201);
    const sent = (await page(guardian)).filter((e) => e.what === 'transmit');
    expect(sent).toEqual([expect.objectContaining({ who: expect.objectContaining({ isYou: true }) as unknown, addressee: null })]);
  });

  it("leaves out the clinician's reply in her private thread and the opening of the link she made", async () => {
    const entries = await page(guardian);
    expect(entries.filter((e) => e.who.userId === w.pcp.id)).toEqual([]);
    expect(entries.filter((e) => e.via === 'share_link')).toEqual([]);
  });

  it('leaves out reads of a confidential or sensitive result or visit, and still lists the others', async () => {
    const entries = await page(guardian);
    const byNurse = (what: string) => count(entries, (e) => e.who.userId === w.nurse.id && e.what === what);
    expect({ summary: byNurse('summary'), result: byNurse('result'), visit: byNurse('visit') }).toEqual({
      summary: 1,
      result: 1,
      visit: 1,
    });
    // The nurse's answer in the guardian's own conversation, and the guardian's own reads, are his.
    expect(byNurse('message_sent')).toBe(1);
    expect(entries.some((e) => e.who.isYou && e.what === 'message_sent')).toBe(true);
  });

  it('finds nothing of hers through the person filter, and does not offer her or her clinician in the people list', async () => {
    expect(await page(guardian, w.patient.patientId, `&person=${w.patient.id}`)).toEqual([]);
    expect(await page(guardian, w.patient.patientId, `&person=${w.pcp.id}`)).toEqual([]);
    const listed = await people(guardian);
    expect(listed.map((p) => p.userId)).not.toContain(w.patient.id);
    expect(listed.map((p) => p.userId)).not.toContain(w.pcp.id);
    expect(listed.find((p) => p.userId === w.nurse.id)).toMatchObject({ count: 4 });
  });

  it('leaves the same out of the CSV and the PDF', async () => {
    const csv = await http.get(guardian, logUrl(w.patient.patientId, '.csv'));
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain('Sarah Chen');
    expect(csv.body).not.toContain(addressee);
    expect(csv.body).not.toContain('Maria Lopez,Patient');
    expect(csv.body).toContain('Nora Diaz');
    const pdf = await http.get(guardian, logUrl(w.patient.patientId, '.pdf'));
    expect(pdf.statusCode).toBe(200);
    const text = (await pdfText(pdf.rawPayload)).replace(/[ \t]+/g, ' ');
    expect(text).not.toContain('Sarah Chen');
    expect(text).not.toContain(addressee);
    expect(text).toContain('Nora Diaz');
  });

  it('answers 404 naming eventId when he asks the privacy office about an entry his log leaves out', async () => {
    const ask = (eventId: string) =>
      http.post(guardian, logUrl(w.patient.patientId, `/${eventId}/question`), { question: 'Why was this?' });
    for (const hidden of [teen.pcpReplyEvent, teen.transmitEvent]) {
      const response = await ask(hidden);
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found', field: 'eventId' } });
    }
    // An entry he is shown is found (this clinic has no privacy office, so the answer is the 409 that says so).
    expect((await ask(teen.nurseSummaryEvent)).json()).toMatchObject({ error: { code: 'no_privacy_office' } });
  });
});

describe('GET /api/patients/:id/activity of a 12-17 year old, read by herself', () => {
  it('lists everything: her own entries with the addressee, her clinician, her link, every read', async () => {
    const entries = await page(w.patient);
    expect(entries.find((e) => e.what === 'transmit' && e.who.isYou)).toMatchObject({ addressee });
    expect(count(entries, (e) => e.who.userId === w.pcp.id && e.what === 'message_sent')).toBe(1);
    expect(entries.some((e) => e.via === 'share_link')).toBe(true);
    const byNurse = (what: string) => count(entries, (e) => e.who.userId === w.nurse.id && e.what === what);
    expect({ result: byNurse('result'), visit: byNurse('visit') }).toEqual({ result: 3, visit: 2 });
    expect((await people(w.patient)).map((p) => p.userId)).toEqual(expect.arrayContaining([w.patient.id, w.pcp.id, w.nurse.id]));
  });
});

describe('GET /api/patients/:id/activity of an adult, read by a full proxy', () => {
  it("lists the patient's own entries with the addressee, her clinician's reply and the read of a consented result", async () => {
    const entries = await page(adultProxy, adult.patientId);
    expect(entries.find((e) => e.what === 'transmit')).toMatchObject({ who: { userId: adult.id }, addressee });
    expect(count(entries, (e) => e.who.userId === w.pcp.id && e.what === 'message_sent')).toBe(1);
    expect(count(entries, (e) => e.who.userId === w.nurse.id && e.what === 'result')).toBe(1);
    expect((await people(adultProxy, adult.patientId)).map((p) => p.userId)).toEqual(expect.arrayContaining([adult.id, w.pcp.id]));
  });

  it('leaves out the read of a result of a category the patient did not consent to show this proxy', async () => {
    const entries = await page(adultProxyNoConsent, adult.patientId);
    expect(count(entries, (e) => e.who.userId === w.nurse.id && e.what === 'result')).toBe(0);
    expect(entries.find((e) => e.what === 'transmit')).toMatchObject({ addressee });
  });
});

describe("the guardian's page statement", () => {
  it('leaves events out in the same statement, still walking the (patient_id, occurred_at) index, on a patient with many events', async () => {
    await t.db.execute(sql`
      insert into audit_events (occurred_at, actor_user_id, patient_id, action, outcome, severity, details, hash)
      select now() - (g || ' minutes')::interval, ${w.nurse.id}::uuid,
        case when g % 5 < 2 then ${w.patient.patientId}::uuid else gen_random_uuid() end,
        case when g % 3 = 0 then 'result.read' else 'record.summary.read' end, 'success', 'info',
        case when g % 10 = 0 then jsonb_build_object('via', 'organization_staff', 'threadId', ${teen.privateThread}::text)
          else jsonb_build_object('via', 'organization_staff', 'resultId', gen_random_uuid()::text) end, 'x'
      from generate_series(1, 20000) g`);
    await t.db.execute(sql`analyze audit_events`);
    const filter: RowFilter = {
      hiddenSensitive: [...allSensitive],
      seesConfidential: false,
      seesHeldResults: false,
      seesInternalNotes: false,
      seesClinicalThreads: true,
    };
    const reader = { userId: guardian.id, patientUserId: w.patient.id, filter };
    const base = { patientId: w.patient.patientId, reader, from: null, before: null, person: null };
    const plan = await queryRows<{ 'QUERY PLAN': string }>(t.db, sql`explain ${activityPageSql(base, null, 50)}`);
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('audit_events_patient_idx');
    expect(text).not.toMatch(/Seq Scan on audit_events/);
    // The threads and resources the events name are looked up inside the page's own statement, never after it.
    expect(text).toContain('on message_threads');
    expect(text).toContain('on fhir_resources');
  });
});
