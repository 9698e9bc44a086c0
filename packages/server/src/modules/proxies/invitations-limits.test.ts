import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyInvitations } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, linkTokenFrom, type TestApp } from '../../test/test-app.ts';

/**
 * What keeps invitations from sending mail in bulk or costing a password hash per guess (issue 11 §1): the caps hold
 * against cancel-and-invite-again and against racing requests, and a sign-up with a link that does not work is
 * refused before the password is hashed, and limited per client address.
 */
let t: TestApp;
let orgId: string;

const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const invite = (token: string | undefined, patientId: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/patients/${patientId}/proxy-invitations`, headers: headers(token), payload });
const signUp = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/proxy-invitations/sign-up', headers: headers(), payload });
const account = (token: string, overrides: Record<string, unknown> = {}) => ({
  token,
  birthDate: '1950-04-02',
  givenName: 'Ana',
  familyName: 'Quill',
  username: `ana-${Math.random().toString(36).slice(2, 8)}`,
  password: 'Lantern-Harbor-Cobalt-71',
  ...overrides,
});

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db, 'Riverside Health')).organization.id;
});
afterAll(() => t.close());

describe('POST /api/patients/:id/proxy-invitations, the caps', () => {
  it('answers 429 after 20 invitations in 24 hours, even if each was cancelled at once; older ones do not count', async () => {
    const p = await buildPatient(t.db, orgId, { withAccount: true });
    const token = await signInAs(t.db, p.user!);
    const payload = { email: 'same.person@example.test', name: 'N', level: 'full' };
    for (let i = 0; i < 20; i++) {
      const sent = await invite(token, p.patient.id, payload);
      expect(sent.statusCode).toBe(201);
      const id = sent.json<{ invitation: { id: string } }>().invitation.id;
      const cancelled = await t.app.inject({
        method: 'DELETE',
        url: `/api/patients/${p.patient.id}/proxy-invitations/${id}`,
        headers: headers(token),
      });
      expect(cancelled.statusCode).toBe(200);
    }
    const mails = async () => (await t.mail()).filter((m) => m.toAddress === payload.email).length;
    expect(await mails()).toBe(20);
    const response = await invite(token, p.patient.id, payload);
    expect(response.statusCode).toBe(429);
    expect(response.json()).toMatchObject({
      error: { code: 'too_many_invitations', message: 'This record has sent 20 invitations in the last 24 hours. Try again tomorrow.' },
    });
    expect(await mails()).toBe(20);
    await t.db
      .update(proxyInvitations)
      .set({ createdAt: new Date(Date.now() - 25 * 3_600_000) })
      .where(eq(proxyInvitations.patientId, p.patient.id));
    expect((await invite(token, p.patient.id, payload)).statusCode).toBe(201);
  });

  it('sends exactly 10 when 15 invitations race for the waiting places', async () => {
    const p = await buildPatient(t.db, orgId, { withAccount: true });
    const token = await signInAs(t.db, p.user!);
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) => invite(token, p.patient.id, { email: `race${i}@example.test`, name: 'N', level: 'full' })),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(10);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(5);
    expect(await t.db.select().from(proxyInvitations).where(eq(proxyInvitations.patientId, p.patient.id))).toHaveLength(10);
  });
});

describe('POST /api/proxy-invitations/sign-up, before the password', () => {
  it('looks the invitation up before the password: an unknown token answers 404 whatever the password', async () => {
    const response = await signUp(account('z'.repeat(43), { password: 'abcabcabcabcabc' }));
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found', message: 'The invitation was not found.' } });
  });

  it('answers 429 after 20 unknown invitations from one address an hour; other addresses are unaffected', async () => {
    const from = (remoteAddress: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/api/proxy-invitations/sign-up', headers: headers(), payload, remoteAddress });
    const ip = '192.0.2.91';
    for (let i = 0; i < 20; i++) expect((await from(ip, account(`unknown-${String(i).padStart(36, '0')}`))).statusCode).toBe(404);
    const p = await buildPatient(t.db, orgId, { withAccount: true, birthDate: '1950-04-02' });
    const email = 'limited@example.test';
    expect((await invite(await signInAs(t.db, p.user!), p.patient.id, { email, name: 'N', level: 'full' })).statusCode).toBe(201);
    const token = linkTokenFrom((await t.mail()).find((m) => m.toAddress === email)!.text);
    const limited = await from(ip, account(token));
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'too_many_attempts' } });
    const other = await from('192.0.2.92', account(token));
    expect(other.statusCode, other.body).toBe(201);
  });
});
