import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { npiCheckDigit } from '@portico/shared';
import { auditEvents, providerRegistrations, users } from '../../db/schema/index.ts';
import { buildOrganization, buildUser, cookieFor, signInAs, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, linkTokenFrom, sessionCookieFrom, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
let support: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
  support = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: orgId }));
});
afterAll(() => t.close());

const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers: { ...csrfHeaders, ...headers } });
const activate = (payload: object) => post('/api/provider-activation', payload);

/** A registration the support team approved: the provider's email and the activation token from its email. */
async function approvedProvider() {
  const nine = `1${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
  const tag = randomBytes(4).toString('hex');
  const email = `lin-${tag}@practice.example.test`;
  const [row] = await t.db
    .insert(providerRegistrations)
    .values({
      organizationId: orgId,
      givenName: 'Lin',
      familyName: 'Harbor',
      npi: `${nine}${npiCheckDigit(nine)}`,
      email,
      phone: '617 555 0120',
      practiceName: `Practice ${tag}`,
    })
    .returning();
  expect((await post(`/api/support/registrations/${row!.id}/approve`, {}, cookieFor(support))).statusCode).toBe(200);
  const [mail] = (await t.mail()).filter((m) => m.toAddress === email);
  return { email, token: linkTokenFrom(mail!.text), username: `dr-lin-${tag}` };
}

describe('POST /api/provider-activation', () => {
  it('sets the username and password, verifies the email, works once, and audits', async () => {
    const { email, token, username } = await approvedProvider();
    const before = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: csrfHeaders,
      payload: { identifier: email, password: testPassword },
    });
    expect(before.statusCode).toBeGreaterThanOrEqual(400);
    const response = await activate({ token, username, password: testPassword });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    const [user] = await t.db.select().from(users).where(eq(users.email, email));
    expect(user!.username).toBe(username);
    expect(user!.emailVerifiedAt).not.toBeNull();
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'provider.activate'), eq(auditEvents.actorUserId, user!.id)));
    expect(events).toHaveLength(1);
    const again = await activate({ token, username: `${username}-2`, password: `${testPassword} again` });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('invalid_token');
    expect((await t.db.select().from(users).where(eq(users.email, email)))[0]!.username).toBe(username);
  });

  it('then requires MFA enrolment at the first sign-in, like staff, without a full session', async () => {
    const { token, username } = await approvedProvider();
    expect((await activate({ token, username, password: testPassword })).statusCode).toBe(200);
    const signIn = await post('/api/auth/sign-in', { identifier: username, password: testPassword });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json()).toEqual({ status: 'mfa_required', methods: ['email'], enrollmentRequired: true });
    const pendingSession = sessionCookieFrom(signIn);
    expect(pendingSession).toBeDefined();
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: cookieFor(pendingSession!) })).statusCode).toBe(401);
  });

  it('answers 400 weak_password for a password sign-up refuses, and the link still works afterwards', async () => {
    const { token, username } = await approvedProvider();
    const weak = await activate({ token, username, password: `${username}-secret!` });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'weak_password', field: 'password' });
    expect((await activate({ token, username, password: 'short' })).statusCode).toBe(400);
    expect((await activate({ token, username, password: testPassword })).statusCode).toBe(200);
  });

  it('answers 409 username_taken for a username in use, and 400 for an unknown token or a bad username', async () => {
    const { token } = await approvedProvider();
    const taken = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const response = await activate({ token, username: taken.username, password: testPassword });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('username_taken');
    expect((await activate({ token: 'x'.repeat(43), username: 'someone-new', password: testPassword })).json().error.code).toBe(
      'invalid_token',
    );
    expect((await activate({ token, username: 'has space', password: testPassword })).statusCode).toBe(400);
    expect((await activate({ username: 'someone-new', password: testPassword })).statusCode).toBe(400);
  });
});
