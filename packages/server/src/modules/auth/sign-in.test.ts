import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, sessionCookieFrom, type TestApp } from '../../test/test-app.ts';
import { currentTotpCode } from './totp.ts';

let t: TestApp;
let orgId: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
});
afterAll(() => t.close());

const signIn = (identifier: string, password: string, cookie?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    headers: { ...csrfHeaders, ...(cookie ? { cookie: `portico_session=${cookie}` } : {}) },
    payload: { identifier, password },
  });

describe('POST /api/auth/sign-in', () => {
  it('signs a patient without MFA straight in, by username or by email in any case', async () => {
    const { user } = await buildPatient(t.db, orgId, { withAccount: true });
    const byName = await signIn(user!.username, testPassword);
    expect(byName.statusCode).toBe(200);
    expect(byName.json()).toMatchObject({ status: 'signed_in', user: { id: user!.id, memberships: [], abilities: [] } });
    const cookie = byName.cookies.find((c) => c.name === 'portico_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const byEmail = await signIn(user!.email.toUpperCase(), testPassword);
    expect(byEmail.statusCode).toBe(200);
    expect(sessionCookieFrom(byEmail)).not.toBe(sessionCookieFrom(byName));
  });

  it('answers 401 invalid_credentials for a wrong password and for an unknown account alike', async () => {
    const { user } = await buildPatient(t.db, orgId, { withAccount: true });
    const wrong = await signIn(user!.username, 'not the password at all');
    const unknown = await signIn('nobody-here', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
  });

  it('answers 400 naming the field when the body is incomplete', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: csrfHeaders, payload: { identifier: 'x' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'password' });
  });

  it('refuses a request without the CSRF header with 403', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { identifier: 'x', password: 'y' } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('csrf_failed');
  });

  it('pauses sign-in after 5 wrong passwords with 429, audits each failure, and mails the owner', async () => {
    const { user } = await buildPatient(t.db, orgId, { withAccount: true });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await signIn(user!.username, `wrong password ${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    const paused = await signIn(user!.username, testPassword);
    expect(paused.statusCode).toBe(429);
    expect(paused.json().error.code).toBe('too_many_attempts');
    expect(paused.json().error.message).toMatch(/reset your password/);
    const failures = await t.db.select().from(auditEvents).where(eq(auditEvents.actorUserId, user!.id));
    expect(failures.filter((e) => e.action === 'auth.sign_in' && e.outcome === 'failure')).toHaveLength(5);
    const mail = await t.mail();
    expect(mail.some((m) => m.toAddress === user!.email && /paused/.test(m.subject))).toBe(true);
  });

  it('refuses an unverified email with 403 email_not_verified', async () => {
    const user = await buildUser(t.db, { role: 'patient', organizationId: orgId, verified: false });
    const response = await signIn(user.username, testPassword);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('email_not_verified');
  });

  it('refuses a disabled account with 403 account_disabled', async () => {
    const user = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    expect((await signIn(user.username, testPassword)).json().error.code).toBe('account_disabled');
  });
});

describe('POST /api/auth/mfa/verify', () => {
  it('keeps staff in an MFA-pending state that sees no patient data until the TOTP code is right', async () => {
    const clinician = await buildUser(t.db, { role: 'clinician', organizationId: orgId, mfa: true });
    const first = await signIn(clinician.username, testPassword);
    expect(first.json()).toEqual({ status: 'mfa_required', methods: ['totp', 'email'], enrollmentRequired: false });
    const pending = sessionCookieFrom(first)!;
    const search = await t.app.inject({
      method: 'POST',
      url: '/api/patients/search',
      headers: { ...csrfHeaders, cookie: `portico_session=${pending}` },
      payload: { q: 'Tester' },
    });
    expect(search.statusCode).toBe(401);
    expect(search.json().error.code).toBe('mfa_required');
    const verify = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/verify',
      headers: { ...csrfHeaders, cookie: `portico_session=${pending}` },
      payload: { method: 'totp', code: currentTotpCode(clinician.totpSecret!) },
    });
    expect(verify.statusCode).toBe(200);
    const active = sessionCookieFrom(verify)!;
    expect(active).not.toBe(pending);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `portico_session=${active}` } });
    expect(me.json().user.memberships).toMatchObject([{ kind: 'staff', role: 'clinician' }]);
    const old = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `portico_session=${pending}` } });
    expect(old.statusCode).toBe(401);
  });

  it('kills the challenge after 5 wrong codes with 429 challenge_exhausted', async () => {
    const nurse = await buildUser(t.db, { role: 'nurse', organizationId: orgId, mfa: true });
    const pending = sessionCookieFrom(await signIn(nurse.username, testPassword))!;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/mfa/verify',
        headers: { ...csrfHeaders, cookie: `portico_session=${pending}` },
        payload: { method: 'totp', code: '000000' },
      });
      statuses.push(r.statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/verify',
      headers: { ...csrfHeaders, cookie: `portico_session=${pending}` },
      payload: { method: 'totp', code: currentTotpCode(nurse.totpSecret!) },
    });
    expect(after.statusCode).toBe(401);
  });

  it('answers 401 without a pending session', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/verify',
      headers: csrfHeaders,
      payload: { method: 'totp', code: '123456' },
    });
    expect(r.statusCode).toBe(401);
  });
});
