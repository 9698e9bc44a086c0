import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, auditEvents, resultHolds, shareLinks, users } from '../../db/schema/index.ts';
import { fullProxyCategories } from '../proxies/proxy-access.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { buildTestApp, csrfHeaders, linkTokenFrom, type TestApp } from '../../test/test-app.ts';

/**
 * "Share my record" (issue 11 §2): links with a passcode and an expiry, opened without signing in, revocable, every
 * open audited; the emailed link is the transmit.
 */
let t: TestApp;
const publicUrl = 'http://localhost:3000';
let pat: { patientId: string; userId: string; token: string };
let stranger: { patientId: string; token: string };
let nurseToken = '';
const ids: Record<string, string> = {};
const sct = 'http://snomed.info/sct';

const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const create = (token: string | undefined, patientId: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/patients/${patientId}/share-links`, headers: headers(token), payload });
const list = (token: string | undefined, patientId: string) =>
  t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/share-links`, headers: headers(token) });
const revoke = (token: string | undefined, patientId: string, linkId: string) =>
  t.app.inject({ method: 'DELETE', url: `/api/patients/${patientId}/share-links/${linkId}`, headers: headers(token) });
let ipCounter = 1;
/** Each caller from its own address unless told: the per-address limit is tested on its own. */
const freshIp = () => `10.0.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;
const open = (token: string, passcode: string, ip = freshIp()) =>
  t.app.inject({ method: 'POST', url: '/api/shared/open', headers: headers(), payload: { token, passcode }, remoteAddress: ip });
const download = (token: string, passcode: string, ip = freshIp()) =>
  t.app.inject({ method: 'POST', url: '/api/shared/download', headers: headers(), payload: { token, passcode }, remoteAddress: ip });

interface Created {
  link: { id: string; status: string; openCount: number };
  url: string;
  passcode: string;
}

/** Makes a link as Pat; returns its id, the token from its URL and the passcode. */
async function makeLink(payload: Record<string, unknown> = {}) {
  const response = await create(pat.token, pat.patientId, {
    label: 'Dr. Lee, dermatology',
    scope: 'summary',
    expiresInDays: 7,
    ...payload,
  });
  expect(response.statusCode).toBe(201);
  const body = response.json<Created>();
  return { id: body.link.id, token: linkTokenFrom(body.url), passcode: body.passcode, body };
}

/** A wrong passcode that is surely not the right one. */
const wrong = (passcode: string) => (passcode === '00000000' ? '11111111' : '00000000');

async function eventsOfLink(linkId: string) {
  return t.db.select().from(auditEvents).where(eq(auditEvents.objectId, linkId)).orderBy(desc(auditEvents.id));
}

/** The newest successful event of an action: a read's event names the patient as its object (access.service.ts). */
async function lastSuccess(action: string) {
  const [event] = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.outcome, 'success')))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return event;
}

beforeAll(async () => {
  t = await buildTestApp({ publicUrl });
  const { organization, department } = await buildOrganization(t.db, 'Riverside Health');
  const p = await buildPatient(t.db, organization.id, {
    withAccount: true,
    givenName: 'Pat',
    familyName: 'Quill',
    birthDate: '1950-04-02',
  });
  pat = { patientId: p.patient.id, userId: p.user!.id, token: await signInAs(t.db, p.user!) };
  const s = await buildPatient(t.db, organization.id, { withAccount: true });
  stranger = { patientId: s.patient.id, token: await signInAs(t.db, s.user!) };
  const nurse = await buildUser(t.db, { role: 'nurse', organizationId: organization.id, mfa: true, departmentId: department.id });
  nurseToken = await signInAs(t.db, nurse);

  const condition = (code: string, display: string) => ({
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    category: [{ coding: [{ code: 'problem-list-item' }] }],
    code: { coding: [{ system: sct, code, display }], text: display },
    subject: { reference: `Patient/${pat.patientId}` },
    onsetDateTime: '2020-01-01',
  });
  const base = { organizationId: organization.id, patientId: pat.patientId, category: 'problem-list-item', status: 'active' };
  await buildFhirResource(t.db, {
    ...base,
    effectiveAt: new Date('2020-01-01'),
    code: `${sct}|59621000`,
    resource: condition('59621000', 'Essential hypertension'),
  });
  await buildFhirResource(t.db, {
    ...base,
    effectiveAt: new Date('2020-01-01'),
    code: `${sct}|35489007`,
    sensitiveCategory: 'mental_health',
    resource: condition('35489007', 'Depressive disorder'),
  });
  const observation = async (code: string, display: string, daysAgo: number) => {
    const effectiveAt = new Date(Date.now() - daysAgo * 86_400_000);
    const row = await buildFhirResource(t.db, {
      organizationId: organization.id,
      patientId: pat.patientId,
      category: 'laboratory',
      code: `http://loinc.org|${code}`,
      effectiveAt,
      status: 'final',
      resource: {
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
        code: { coding: [{ system: 'http://loinc.org', code, display }], text: display },
        subject: { reference: `Patient/${pat.patientId}` },
        effectiveDateTime: effectiveAt.toISOString(),
        valueQuantity: { value: 140, unit: 'mmol/L' },
      },
    });
    return row.id;
  };
  ids.sodium = await observation('2951-2', 'Sodium', 3);
  ids.potassium = await observation('2823-3', 'Potassium', 2);
  await t.db.insert(resultHolds).values({ resourceId: ids.potassium, patientId: pat.patientId, kind: 'patient_preference' });
});
afterAll(() => t.close());

describe('POST /api/patients/:id/share-links', () => {
  it('answers 201 with the link, its address and an 8-digit passcode once; stores only hashes', async () => {
    const { id, token, passcode, body } = await makeLink();
    expect(body.url).toBe(`${publicUrl}/shared#token=${token}`);
    expect(passcode).toMatch(/^\d{8}$/);
    expect(body.link).toMatchObject({
      id,
      label: 'Dr. Lee, dermatology',
      scope: 'summary',
      status: 'active',
      openCount: 0,
      recipientEmail: null,
    });
    const [row] = await t.db.select().from(shareLinks).where(eq(shareLinks.id, id));
    expect(row!.tokenHash).not.toContain(token);
    expect(row!.passcodeHash).not.toContain(passcode);
    expect(row!.passcodeHash).toMatch(/^\$argon2id\$/);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(7 * 86_400_000);
    const [event] = await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'share_link.create')).orderBy(desc(auditEvents.id));
    expect(event).toMatchObject({ patientId: pat.patientId, actorUserId: pat.userId, outcome: 'success' });
    expect(JSON.stringify(event!.details)).not.toContain(passcode);
  });

  it('emails the link to the recipient in the patient’s language, with no passcode and no patient data (the transmit)', async () => {
    const email = 'dr.lee@clinic.example';
    const { id, token, passcode } = await makeLink({ recipientEmail: email, scope: 'download', label: 'Dr. Lee' });
    const mail = (await t.mail()).find((m) => m.toAddress === email)!;
    expect(mail.subject).toBe('A health record was shared with you');
    expect(mail.text).toContain(`${publicUrl}/shared#token=${token}`);
    expect(mail.text).toContain('Riverside Health');
    expect(mail.text).not.toContain(passcode);
    expect(mail.text).not.toMatch(/Pat|Quill|1950|hypertension|Sodium|Lee/);
    const [event] = await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'record.transmit')).orderBy(desc(auditEvents.id));
    expect(event!.details).toMatchObject({ shareLinkId: id, addressee: email, format: 'pdf' });

    await t.db.update(users).set({ locale: 'es' }).where(eq(users.id, pat.userId));
    try {
      await makeLink({ recipientEmail: 'dra.ruiz@clinic.example' });
      const es = (await t.mail()).find((m) => m.toAddress === 'dra.ruiz@clinic.example')!;
      expect(es.subject).toBe('Alguien compartió un expediente médico con usted');
    } finally {
      await t.db.update(users).set({ locale: 'en' }).where(eq(users.id, pat.userId));
    }
  });

  it('answers 400 naming the field for a bad label, scope, number of days or email', async () => {
    const good = { label: 'X', scope: 'summary', expiresInDays: 7 };
    for (const [payload, field] of [
      [{ ...good, label: '  ' }, 'label'],
      [{ ...good, scope: 'everything' }, 'scope'],
      [{ ...good, expiresInDays: 31 }, 'expiresInDays'],
      [{ ...good, expiresInDays: 0 }, 'expiresInDays'],
      [{ ...good, recipientEmail: 'not an email' }, 'recipientEmail'],
    ] as const) {
      const response = await create(pat.token, pat.patientId, payload);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'validation_failed', field } });
    }
  });

  it('answers 401 without a session, 404 for another patient’s record and for staff, sending nothing', async () => {
    const payload = { label: 'X', scope: 'summary', expiresInDays: 7, recipientEmail: 'nobody@clinic.example' };
    expect((await create(undefined, pat.patientId, payload)).statusCode).toBe(401);
    expect((await create(stranger.token, pat.patientId, payload)).statusCode).toBe(404);
    expect((await create(nurseToken, pat.patientId, payload)).statusCode).toBe(404);
    expect((await t.mail()).some((m) => m.toAddress === 'nobody@clinic.example')).toBe(false);
  });

  it('lets a full proxy make a link on the patient’s behalf; a proxy limited to some areas gets 404', async () => {
    const proxy = async (categories: string[]) => {
      const user = await buildUser(t.db, { role: 'proxy', organizationId: null });
      await t.db.insert(accessGrants).values({
        granteeUserId: user.id,
        patientId: pat.patientId,
        kind: 'proxy',
        level: 'full',
        relationship: 'invited',
        grantedBy: pat.userId,
        categories,
      });
      return signInAs(t.db, user);
    };
    const payload = { label: 'Dr. Lee', scope: 'summary', expiresInDays: 2 };
    const full = await create(await proxy([...fullProxyCategories]), pat.patientId, payload);
    expect(full.statusCode).toBe(201);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'share_link.create'))
      .orderBy(desc(auditEvents.id))
      .limit(1);
    expect(event).toMatchObject({ onBehalfOfUserId: pat.userId, outcome: 'success' });
    expect((await create(await proxy(['demographics', 'appointments']), pat.patientId, payload)).statusCode).toBe(404);
  });

  it('answers 429 once 20 links are active', async () => {
    const p = await buildPatient(t.db, (await buildOrganization(t.db)).organization.id, { withAccount: true });
    const token = await signInAs(t.db, p.user!);
    const payload = { label: 'N', scope: 'summary', expiresInDays: 1 };
    for (let i = 0; i < 20; i++) expect((await create(token, p.patient.id, payload)).statusCode).toBe(201);
    const response = await create(token, p.patient.id, payload);
    expect(response.statusCode).toBe(429);
    expect(response.json()).toMatchObject({ error: { code: 'too_many_share_links' } });
  });
});

describe('GET and DELETE /api/patients/:id/share-links', () => {
  it('lists the links with their status, opens and last open; 401 and 404 for others', async () => {
    const { id, token, passcode } = await makeLink({ label: 'Listed' });
    expect((await open(token, passcode)).statusCode).toBe(200);
    const response = await list(pat.token, pat.patientId);
    expect(response.statusCode).toBe(200);
    const listed = response.json<{ links: { id: string; status: string; openCount: number; lastOpenedAt: string | null }[] }>().links;
    expect(listed.find((l) => l.id === id)).toMatchObject({ status: 'active', openCount: 1, lastOpenedAt: expect.any(String) });
    expect((await list(undefined, pat.patientId)).statusCode).toBe(401);
    expect((await list(stranger.token, pat.patientId)).statusCode).toBe(404);
    expect((await list(nurseToken, pat.patientId)).statusCode).toBe(404);
  });

  it('revokes a link: the next open answers 404 and is audited; 400, 401 and 404 otherwise', async () => {
    const { id, token, passcode } = await makeLink();
    expect((await revoke(pat.token, pat.patientId, 'not-a-uuid')).statusCode).toBe(400);
    expect((await revoke(undefined, pat.patientId, id)).statusCode).toBe(401);
    expect((await revoke(stranger.token, pat.patientId, id)).statusCode).toBe(404);
    expect((await revoke(stranger.token, stranger.patientId, id)).statusCode).toBe(404);
    expect((await revoke(nurseToken, pat.patientId, id)).statusCode).toBe(404);
    expect((await revoke(pat.token, pat.patientId, randomUUID())).statusCode).toBe(404);
    expect((await revoke(pat.token, pat.patientId, id)).json()).toEqual({ ok: true });
    const refused = await open(token, passcode);
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ error: { code: 'not_found' } });
    const listed = (await list(pat.token, pat.patientId)).json<{ links: { id: string; status: string }[] }>().links;
    expect(listed.find((l) => l.id === id)?.status).toBe('revoked');
    const [event] = await eventsOfLink(id);
    expect(event).toMatchObject({ action: 'share_link.summary.read', outcome: 'denied', actorUserId: null, patientId: pat.patientId });
    expect(event!.details).toMatchObject({ via: 'share_link', shareLinkId: id, outcome: 'revoked' });
    expect((await revoke(pat.token, pat.patientId, id)).json()).toEqual({ ok: true });
  });
});

describe('POST /api/shared/open', () => {
  it('answers the read-only summary with the name and birth date, audits the open and counts it', async () => {
    const { id, token, passcode } = await makeLink();
    const response = await open(token, ` ${passcode.slice(0, 4)} ${passcode.slice(4)} `);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      scope: 'summary',
      patient: { name: 'Pat Quill', birthDate: '1950-04-02' },
      organizationName: 'Riverside Health',
    });
    const [row] = await t.db.select().from(shareLinks).where(eq(shareLinks.id, id));
    expect(row).toMatchObject({ openCount: 1, lastOpenedAt: expect.any(Date) });
    const event = await lastSuccess('share_link.summary.read');
    expect(event).toMatchObject({ actorUserId: null, patientId: pat.patientId });
    expect(event!.details).toMatchObject({ via: 'share_link', grantId: id, shareLinkId: id });

    // The patient's activity log lists the open as someone with a link (no person, not Portico itself).
    const log = await t.app.inject({ method: 'GET', url: `/api/patients/${pat.patientId}/activity`, headers: cookieFor(pat.token) });
    expect(log.statusCode).toBe(200);
    const opened = log
      .json<{ entries: { via: string | null; who: { role: string; userId: string | null } }[] }>()
      .entries.find((entry) => entry.via === 'share_link');
    expect(opened?.who).toMatchObject({ role: 'unknown', userId: null });
  });

  it('hides sensitive categories and held results from the link’s reader (the patient sees the held one hidden too)', async () => {
    const { token, passcode } = await makeLink();
    const body = (await open(token, passcode)).json<{
      summary: { problems: { name: string }[] };
      results: { id: string; name: string }[];
    }>();
    const problems = body.summary.problems.map((p) => p.name);
    expect(problems).toContain('Essential hypertension');
    expect(problems).not.toContain('Depressive disorder');
    const results = body.results.map((r) => r.id);
    expect(results).toContain(ids.sodium);
    expect(results).not.toContain(ids.potassium);
    // The patient themself sees the sensitive problem: the link hides it, not the record.
    const own = await t.app.inject({ method: 'GET', url: `/api/patients/${pat.patientId}/record/summary`, headers: cookieFor(pat.token) });
    expect(own.json<{ problems: { name: string }[] }>().problems.map((p) => p.name)).toContain('Depressive disorder');
  });

  it('answers 400 wrong_passcode with the tries left, locks at the fifth, then 404; each try audited', async () => {
    const { id, token, passcode } = await makeLink();
    for (let i = 1; i <= 4; i++) {
      const response = await open(token, wrong(passcode));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'wrong_passcode', field: 'passcode' } });
      expect(response.json().error.message).toContain(`${5 - i} ${5 - i === 1 ? 'try is' : 'tries are'} left`);
    }
    const fifth = await open(token, wrong(passcode));
    expect(fifth.statusCode).toBe(400);
    expect(fifth.json().error.message).toContain('The link is now locked');
    expect((await open(token, passcode)).statusCode).toBe(404);
    const [row] = await t.db.select().from(shareLinks).where(eq(shareLinks.id, id));
    expect(row).toMatchObject({ failedAttempts: 5, openCount: 0, lockedAt: expect.any(Date) });
    const events = await eventsOfLink(id);
    expect(events.map((e) => [e.outcome, (e.details as { outcome: string }).outcome])).toEqual([
      ['denied', 'locked'],
      ['failure', 'locked'],
      ...Array.from({ length: 4 }, () => ['failure', 'wrong_passcode']),
    ]);
    expect(events.every((e) => e.actorUserId === null && e.patientId === pat.patientId)).toBe(true);
    expect(
      (await list(pat.token, pat.patientId)).json<{ links: { id: string; status: string }[] }>().links.find((l) => l.id === id)?.status,
    ).toBe('locked');
  });

  it('answers the same 404 for an unknown token and an expired link, and 400 for a malformed body', async () => {
    const { id, token, passcode } = await makeLink({ expiresInDays: 1 });
    await t.db
      .update(shareLinks)
      .set({ createdAt: new Date(Date.now() - 2 * 86_400_000), expiresAt: new Date(Date.now() - 86_400_000) })
      .where(eq(shareLinks.id, id));
    const expired = await open(token, passcode);
    const unknown = await open('x'.repeat(43), passcode);
    expect(expired.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(expired.json().error.message).toBe(unknown.json().error.message);
    expect((await eventsOfLink(id))[0]!.details).toMatchObject({ outcome: 'expired' });
    expect((await open('short', passcode)).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/shared/open', headers: headers(), payload: { token } })).statusCode).toBe(400);
  });

  it('refuses an open from the moment of revocation, even with the passcode already checked elsewhere', async () => {
    const { id, token, passcode } = await makeLink();
    expect((await open(token, passcode)).statusCode).toBe(200);
    await revoke(pat.token, pat.patientId, id);
    expect((await open(token, passcode)).statusCode).toBe(404);
    const [row] = await t.db.select().from(shareLinks).where(eq(shareLinks.id, id));
    expect(row!.openCount).toBe(1);
  });

  it('answers a download link’s open without any record content', async () => {
    const { id, token, passcode } = await makeLink({ scope: 'download' });
    const response = await open(token, passcode);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ scope: 'download', organizationName: 'Riverside Health', expiresAt: expect.any(String) });
    expect((await eventsOfLink(id))[0]).toMatchObject({ action: 'share_link.open', outcome: 'success', actorUserId: null });
  });

  it('answers 429 after 20 failed tries from one address an hour; other addresses are unaffected', async () => {
    const { token, passcode } = await makeLink();
    const ip = '192.0.2.77';
    for (let i = 0; i < 20; i++) expect((await open(`unknown-token-${String(i).padStart(20, '0')}`, '12345678', ip)).statusCode).toBe(404);
    const limited = await open(token, passcode, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'too_many_attempts' } });
    expect((await open(token, passcode)).statusCode).toBe(200);
  });
});

describe('POST /api/shared/download', () => {
  it('answers the record as a PDF without the sensitive or held items, counts and audits the open', async () => {
    const { id, token, passcode } = await makeLink({ scope: 'download' });
    const response = await download(token, passcode);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['cache-control']).toBe('no-store');
    const text = await pdfText(response.rawPayload);
    expect(text).toContain('Essential hypertension');
    expect(text).toContain('Sodium');
    expect(text).not.toContain('Depressive disorder');
    expect(text).not.toContain('Potassium');
    const [row] = await t.db.select().from(shareLinks).where(eq(shareLinks.id, id));
    expect(row!.openCount).toBe(1);
    const event = await lastSuccess('share_link.download');
    expect(event).toMatchObject({ outcome: 'success', actorUserId: null, patientId: pat.patientId });
    expect(event!.details).toMatchObject({ via: 'share_link', grantId: id, shareLinkId: id, format: 'pdf' });
  });

  it('answers 404 for a summary link and a revoked link, 400 for a wrong passcode', async () => {
    const summary = await makeLink();
    expect((await download(summary.token, summary.passcode)).statusCode).toBe(404);
    const link = await makeLink({ scope: 'download' });
    expect((await download(link.token, wrong(link.passcode))).json()).toMatchObject({ error: { code: 'wrong_passcode' } });
    await revoke(pat.token, pat.patientId, link.id);
    expect((await download(link.token, link.passcode)).statusCode).toBe(404);
  });
});
