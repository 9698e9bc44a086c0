import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEntry, ActivityPage, ActivityPeople } from '@portico/shared';
import { queryRows } from '../../db/client.ts';
import { accessGrants, auditEvents, patients, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { appendAuditEvents } from '../audit/audit.repository.ts';
import { activityPageSql } from './activity.repository.ts';

let t: TestApp;
let organizationName: string;
let patientId: string;
let patientUserId: string;
let otherPatientId: string;
let nurseId: string;
let proxyId: string;
const tokens: Record<'patient' | 'otherPatient' | 'nurse' | 'clinician' | 'proxy' | 'areasProxy', string> = {
  patient: '',
  otherPatient: '',
  nurse: '',
  clinician: '',
  proxy: '',
  areasProxy: '',
};

const logUrl = (id: string, query = '') => `/api/patients/${id}/activity${query ? `?${query}` : ''}`;
const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? cookieFor(token) : {} });
const page = async (query = '', token = tokens.patient): Promise<ActivityPage> => {
  const response = await get(logUrl(patientId, query), token);
  expect(response.statusCode).toBe(200);
  return response.json();
};

/** Events written straight into the trail, as the audited code would write them, at chosen times. */
function eventsFor(
  patient: string,
  actor: string | null,
  times: readonly Date[],
  extra: Partial<{ action: string; outcome: string; details: Record<string, unknown> }> = {},
) {
  return appendAuditEvents(
    t.db,
    times.map((occurredAt) => ({
      occurredAt,
      requestId: null,
      actorUserId: actor,
      onBehalfOfUserId: null,
      patientId: patient,
      action: extra.action ?? 'record.summary.read',
      objectType: 'Patient',
      objectId: patient,
      outcome: extra.outcome ?? 'success',
      severity: 'info',
      ipAddress: null,
      details: extra.details ?? { via: 'organization_staff', reason: 'organization_nurse' },
    })),
  );
}

beforeAll(async () => {
  t = await buildTestApp();
  const { organization, department } = await buildOrganization(t.db);
  organizationName = organization.name;
  const organizationId = organization.id;
  const patient = await buildPatient(t.db, organizationId, { withAccount: true, givenName: 'Rosa', familyName: 'Activity' });
  patientId = patient.patient.id;
  patientUserId = patient.user!.id;
  await t.db.update(users).set({ displayName: 'Rosa Activity' }).where(eq(users.id, patientUserId));
  const other = await buildPatient(t.db, organizationId, { withAccount: true, givenName: 'Otto', familyName: 'Elsewhere' });
  otherPatientId = other.patient.id;
  const nurse = await buildUser(t.db, { role: 'nurse', organizationId, mfa: true, departmentId: department.id });
  nurseId = nurse.id;
  await t.db.update(users).set({ displayName: 'Nina Nurse' }).where(eq(users.id, nurseId));
  const clinician = await buildUser(t.db, { role: 'clinician', organizationId, mfa: true, departmentId: department.id });
  const proxy = await buildUser(t.db, { role: 'proxy' });
  proxyId = proxy.id;
  await t.db.update(users).set({ displayName: 'Paula Proxy' }).where(eq(users.id, proxyId));
  await t.db.insert(accessGrants).values({
    granteeUserId: proxyId,
    patientId,
    kind: 'proxy',
    level: 'full',
    categories: ['demographics', 'clinical', 'appointments', 'billing', 'preferences', 'messages'],
    relationship: 'invited',
    grantedBy: patientUserId,
  });
  const areasProxy = await buildUser(t.db, { role: 'proxy' });
  await t.db.insert(accessGrants).values({
    granteeUserId: areasProxy.id,
    patientId,
    kind: 'proxy',
    level: 'full',
    categories: ['demographics', 'appointments'],
    relationship: 'invited',
    grantedBy: patientUserId,
  });
  tokens.patient = await signInAs(t.db, patient.user!);
  tokens.otherPatient = await signInAs(t.db, other.user!);
  tokens.nurse = await signInAs(t.db, nurse);
  tokens.clinician = await signInAs(t.db, clinician);
  tokens.proxy = await signInAs(t.db, proxy);
  tokens.areasProxy = await signInAs(t.db, areasProxy);
});
afterAll(() => t.close());

describe('GET /api/patients/:id/activity', () => {
  it("lists a nurse's view of the health summary within the same second, with name, role, organization and relationship", async () => {
    const before = Date.now();
    expect((await get(`/api/patients/${patientId}/record/summary`, tokens.nurse)).statusCode).toBe(200);
    const { entries, timeZone } = await page();
    expect(timeZone).toBe('America/New_York');
    const seen = entries.find((e) => e.who.userId === nurseId && e.what === 'summary');
    expect(seen).toMatchObject({
      who: { userId: nurseId, name: 'Nina Nurse', role: 'nurse', organization: organizationName, isYou: false },
      what: 'summary',
      via: 'organization_staff',
      onBehalfOf: null,
      relationship: null,
      format: null,
    });
    expect(Math.abs(new Date(seen!.at).getTime() - before)).toBeLessThan(1000);
  });

  it("lists the patient's own views and downloads as theirs ('you'), with the file format", async () => {
    const export_ = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${patientId}/record/export`,
      headers: { ...cookieFor(tokens.patient), 'x-requested-with': 'portico' },
      payload: { format: 'fhir', sections: ['problems'] },
    });
    expect(export_.statusCode).toBe(200);
    const { entries } = await page();
    const download = entries.find((e) => e.what === 'download');
    expect(download).toMatchObject({
      who: { userId: patientUserId, name: 'Rosa Activity', role: 'patient', organization: null, isYou: true },
      format: 'fhir',
      via: 'own_record',
    });
    // Reading the log is itself an access, listed like any other.
    expect(entries.some((e) => e.what === 'activity' && e.who.isYou)).toBe(true);
  });

  it("shows a proxy's access on the patient's behalf, through family access with its relationship", async () => {
    expect((await get(`/api/patients/${patientId}/record/summary`, tokens.proxy)).statusCode).toBe(200);
    const { entries } = await page();
    expect(entries.find((e) => e.who.userId === proxyId)).toMatchObject({
      who: { name: 'Paula Proxy', role: 'proxy', organization: null, isYou: false },
      what: 'summary',
      via: 'proxy',
      relationship: 'invited',
      onBehalfOf: { name: 'Rosa Activity', isYou: true },
    });
  });

  it('lets a full proxy read the log, and names the proxy as "you" (a read is listed from the next read on)', async () => {
    await page('', tokens.proxy);
    const { entries } = await page('', tokens.proxy);
    expect(entries[0]).toMatchObject({ what: 'activity', who: { userId: proxyId, isYou: true }, onBehalfOf: { isYou: false } });
  });

  it('leaves out refused attempts, other patients, and events about no patient (sign-in)', async () => {
    const now = new Date();
    await eventsFor(patientId, nurseId, [now], { action: 'result.read', outcome: 'denied', details: { reason: 'x' } });
    await eventsFor(otherPatientId, nurseId, [now], { action: 'result.read' });
    const { entries } = await page();
    expect(entries.some((e) => e.what === 'result')).toBe(false);
    const text = JSON.stringify(entries);
    expect(text).not.toContain('Otto');
    expect(text).not.toContain('Elsewhere');
  });

  it("never names someone else the event says it was done for (only the patient is ever 'on behalf of')", async () => {
    const otherUser = (
      await t.db
        .select({ id: users.id })
        .from(users)
        .innerJoin(patients, eq(patients.userId, users.id))
        .where(eq(patients.id, otherPatientId))
    )[0]!;
    await appendAuditEvents(t.db, [
      {
        occurredAt: new Date(),
        requestId: null,
        actorUserId: nurseId,
        onBehalfOfUserId: otherUser.id,
        patientId,
        action: 'record.visits.read',
        objectType: 'Patient',
        objectId: patientId,
        outcome: 'success',
        severity: 'info',
        ipAddress: null,
        details: { via: 'organization_staff', reason: 'organization_nurse' },
      },
    ]);
    const { entries } = await page();
    expect(entries.find((e) => e.what === 'visits' && e.who.userId === nurseId)).toMatchObject({ onBehalfOf: null });
    expect(JSON.stringify(entries)).not.toMatch(/Otto|Elsewhere/);
  });

  it('audits each read of the log as activity.read', async () => {
    await page('person=' + nurseId);
    const rows = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.patientId, patientId), eq(auditEvents.action, 'activity.read'), eq(auditEvents.actorUserId, patientUserId)),
      );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => (r.details as { person?: string }).person === nurseId && r.outcome === 'success')).toBe(true);
  });

  it('answers 401 without a session', async () => {
    expect((await get(logUrl(patientId))).statusCode).toBe(401);
  });

  it.each([
    ['a cursor it did not write', 'cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['a day that does not exist', 'from=2026-02-30', 'from'],
    ['the first day after the last', 'from=2026-03-05&to=2026-03-04', 'from'],
    ['a person who is no id', 'person=nobody', 'person'],
    ['a page size over 100', 'limit=1000', 'limit'],
    ['a last day whose next day PostgreSQL refuses', 'to=9999-12-31', 'to'],
    ['a first day in the year 1', 'from=0001-01-01', 'from'],
  ])('answers 400 naming the field for %s', async (_what, query, field) => {
    const response = await get(logUrl(patientId, query), tokens.patient);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'validation_failed', field } });
  });

  it.each([
    ['another patient', 'otherPatient'],
    ['a nurse of the organization', 'nurse'],
    ['a clinician of the organization', 'clinician'],
    ['a proxy without the settings area', 'areasProxy'],
  ] as const)('answers 404 to %s, and audits the refusal', async (_who, who) => {
    const response = await get(logUrl(patientId), tokens[who]);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(response.body).not.toContain('Nina');
  });

  it('answers 404 for a patient that does not exist', async () => {
    expect((await get(logUrl(randomUUID()), tokens.patient)).statusCode).toBe(404);
  });
});

describe('paging and filters', () => {
  let pagedPatientId: string;
  let pagedToken: string;
  let staffA: string;
  let staffB: string;

  beforeAll(async () => {
    const { organization } = await buildOrganization(t.db);
    const paged = await buildPatient(t.db, organization.id, { withAccount: true });
    pagedPatientId = paged.patient.id;
    pagedToken = await signInAs(t.db, paged.user!);
    staffA = (await buildUser(t.db, { role: 'clinician', organizationId: organization.id })).id;
    staffB = (await buildUser(t.db, { role: 'front_desk', organizationId: organization.id })).id;
    // 130 events over 65 instants: every instant twice, so page ends fall between events of the same time.
    const base = Date.UTC(2025, 2, 1, 12);
    const times = Array.from({ length: 65 }, (_, i) => new Date(base + i * 3_600_000));
    await eventsFor(pagedPatientId, staffA, times, { details: { via: 'organization_staff', reason: 'organization_clinician' } });
    await eventsFor(pagedPatientId, staffB, times, {
      action: 'appointment.list',
      details: { via: 'organization_staff', reason: 'organization_front_desk' },
    });
  });

  const read = async (query: string) => {
    const response = await get(`/api/patients/${pagedPatientId}/activity?${query}`, pagedToken);
    expect(response.statusCode).toBe(200);
    return response.json<ActivityPage>();
  };
  const staffOnly = (entries: ActivityEntry[]) => entries.filter((e) => e.what !== 'activity');

  it('walks every event once, newest first, without duplicates or gaps', async () => {
    // Dates bound the walk to the seeded events (the log's own reads come later).
    const seen: ActivityEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `from=2025-03-01&to=2025-03-31&limit=17${cursor ? `&cursor=${cursor}` : ''}`;
      const answer = await read(query);
      seen.push(...answer.entries);
      cursor = answer.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(130);
    expect(new Set(seen.map((e) => e.id)).size).toBe(130);
    const keys = seen.map((e) => [new Date(e.at).getTime(), Number(e.id)] as const);
    for (let i = 1; i < keys.length; i++) {
      const [at, id] = keys[i]!;
      const [prevAt, prevId] = keys[i - 1]!;
      expect(at < prevAt || (at === prevAt && id < prevId)).toBe(true);
    }
  });

  it('answers pages of 50 by default', async () => {
    const answer = await read('from=2025-03-01&to=2025-03-31');
    expect(answer.entries).toHaveLength(50);
    expect(answer.nextCursor).not.toBeNull();
  });

  it('filters by person', async () => {
    const answer = await read(`from=2025-03-01&to=2025-03-31&person=${staffB}&limit=100`);
    expect(answer.entries).toHaveLength(65);
    expect(answer.entries.every((e) => e.who.userId === staffB && e.who.role === 'front_desk' && e.what === 'appointments')).toBe(true);
  });

  it("filters by days of the record's time zone (New York), the last day included", async () => {
    // 2025-03-01 12:00Z … 2025-03-04 04:00Z. In New York (UTC-5) March 2 runs 05:00Z March 2 to 05:00Z March 3.
    const answer = await read('from=2025-03-02&to=2025-03-02&limit=100');
    const staff = staffOnly(answer.entries);
    expect(staff).toHaveLength(48);
    expect(staff.at(-1)!.at).toBe('2025-03-02T05:00:00.000Z');
    expect(staff[0]!.at).toBe('2025-03-03T04:00:00.000Z');
  });

  it('lists the people who looked, latest first, with counts', async () => {
    const response = await get(`/api/patients/${pagedPatientId}/activity/people`, pagedToken);
    expect(response.statusCode).toBe(200);
    const { people } = response.json<ActivityPeople>();
    const byId = new Map(people.map((p) => [p.userId, p]));
    expect(byId.get(staffA)).toMatchObject({ role: 'clinician', count: 65, isYou: false });
    expect(byId.get(staffB)).toMatchObject({ role: 'front_desk', count: 65 });
  });

  it('reads a page through the (patient_id, occurred_at) index on a patient with many events', async () => {
    const { organization } = await buildOrganization(t.db);
    const busy = await buildPatient(t.db, organization.id);
    // 20,000 events of this patient over three years, and 30,000 of others.
    await t.db.execute(sql`
      insert into audit_events (occurred_at, actor_user_id, patient_id, action, outcome, severity, details, hash)
      select now() - (g || ' minutes')::interval, ${staffA}::uuid,
        case when g % 5 < 2 then ${busy.patient.id}::uuid else gen_random_uuid() end,
        'record.summary.read', 'success', 'info', '{"via":"organization_staff"}'::jsonb, 'x'
      from generate_series(1, 50000) g`);
    await t.db.execute(sql`analyze audit_events`);
    const filter = { patientId: busy.patient.id, reader: null, from: null, before: null, person: null };
    for (const cursor of [null, { at: new Date(Date.now() - 86_400_000 * 10).toISOString().replace('Z', '000Z'), id: 1e12 }]) {
      const plan = await queryRows<{ 'QUERY PLAN': string }>(t.db, sql`explain ${activityPageSql(filter, cursor, 50)}`);
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toContain('audit_events_patient_idx');
      expect(text).not.toContain('Seq Scan');
    }
  });
});

describe('GET /api/patients/:id/activity.csv', () => {
  it('downloads the log as CSV, formula cells defused, audited', async () => {
    const sneaky = await buildUser(t.db, { role: 'proxy' });
    await t.db.update(users).set({ displayName: '=HYPERLINK("http://evil.test","x"), "quoted"' }).where(eq(users.id, sneaky.id));
    await eventsFor(patientId, sneaky.id, [new Date()], { action: 'record.visits.read', details: { via: 'proxy' } });
    await eventsFor(patientId, nurseId, [new Date()], {
      action: 'record.transmit',
      details: { via: 'own_record', addressee: '+cmd|calc' },
    });
    const response = await get(`/api/patients/${patientId}/activity.csv`, tokens.patient);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="activity-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.body;
    expect(body.startsWith('\uFEFFWhen,When (UTC),Who,Role,Organization,What,On behalf of,Allowed through\r\n')).toBe(true);
    expect(body).toContain(`"'=HYPERLINK(""http://evil.test"",""x""), ""quoted""",Family member or caregiver`);
    expect(body).toContain('Sent the record, to +cmd|calc');
    expect(body).not.toMatch(/(^|,)[=+\-@]/m);
    expect(body).toContain('Nina Nurse,Nurse,');
    const audited = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patientId), eq(auditEvents.action, 'activity.export')));
    expect(audited.at(-1)).toMatchObject({ outcome: 'success', details: expect.objectContaining({ format: 'csv' }) as unknown });
  });

  it('writes the words in Spanish for a Spanish reader', async () => {
    await t.db.update(users).set({ locale: 'es' }).where(eq(users.id, proxyId));
    const spanish = await signInAs(t.db, { id: proxyId });
    const response = await get(`/api/patients/${patientId}/activity.csv`, spanish);
    expect(response.statusCode).toBe(200);
    expect(response.body.startsWith('\uFEFFCuándo,Cuándo (UTC),Quién,')).toBe(true);
  });

  it('answers 400 for a bad date, 401 without a session, 404 for staff', async () => {
    expect((await get(`/api/patients/${patientId}/activity.csv?to=2026-13-01`, tokens.patient)).statusCode).toBe(400);
    for (const [query, field] of [
      ['to=9999-12-31', 'to'],
      ['from=0001-01-01', 'from'],
    ] as const) {
      const response = await get(`/api/patients/${patientId}/activity.csv?${query}`, tokens.patient);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'validation_failed', field } });
    }
    expect((await get(`/api/patients/${patientId}/activity.csv`)).statusCode).toBe(401);
    expect((await get(`/api/patients/${patientId}/activity.csv`, tokens.nurse)).statusCode).toBe(404);
  });
});

describe('GET /api/patients/:id/activity.pdf', () => {
  it("downloads the log as a PDF in the reader's language, audited with its format", async () => {
    const response = await get(`/api/patients/${patientId}/activity.pdf?person=${nurseId}`, tokens.patient);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="activity-log-\d{4}-\d{2}-\d{2}\.pdf"$/);
    const text = (await pdfText(response.rawPayload)).replace(/[ \t]+/g, ' ');
    expect(text).toContain('Record activity log');
    expect(text).toContain('Rosa Activity');
    expect(text).toContain('Nina Nurse');
    expect(text).toContain('Health summary');
    expect(text).not.toContain('Paula Proxy');
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.patientId, patientId),
          eq(auditEvents.action, 'activity.export'),
          sql`${auditEvents.details}->>'format' = 'pdf'`,
        ),
      );
    expect(event).toMatchObject({ outcome: 'success', actorUserId: patientUserId });
  });

  it('answers 404 to a nurse and 400 for days in the wrong order', async () => {
    expect((await get(`/api/patients/${patientId}/activity.pdf`, tokens.nurse)).statusCode).toBe(404);
    expect((await get(`/api/patients/${patientId}/activity.pdf?from=2026-02-02&to=2026-02-01`, tokens.patient)).statusCode).toBe(400);
  });
});
