import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.ts';
import { buildOrganization, buildUser, cookieFor, signInAs, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, sessionCookieFrom, type TestApp } from '../../test/test-app.ts';
import { currentTotpCode } from './totp.ts';

let t: TestApp;
let orgId: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
});
afterAll(() => t.close());

const post = (url: string, token: string | undefined, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: { ...csrfHeaders, ...(token ? cookieFor(token) : {}) }, ...(payload ? { payload } : {}) });
const signIn = (identifier: string) => post('/api/auth/sign-in', undefined, { identifier, password: testPassword });
const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: cookieFor(token) });
const verify = (pending: string, method: 'totp' | 'email' | 'recovery', code: string) =>
  post('/api/auth/mfa/verify', pending, { method, code });

/** Signs in with the password and returns the MFA-pending cookie. */
async function pendingSessionOf(username: string): Promise<string> {
  const response = await signIn(username);
  expect(response.json().status).toBe('mfa_required');
  return sessionCookieFrom(response)!;
}

/** The 6-digit code in a sign-in code email. */
const codeFrom = (text: string) => /\b(\d{6})\b/.exec(text)?.[1];

async function mailTo(address: string) {
  return (await t.mail()).filter((m) => m.toAddress === address);
}

describe('TOTP enrolment at first sign-in (POST /api/auth/mfa/totp/setup, /enable)', () => {
  it('makes a clinician without TOTP prove their email, then enrol before signing in; issues 10 recovery codes, each works once', async () => {
    const clinician = await buildUser(t.db, { role: 'clinician', organizationId: orgId });
    const first = await signIn(clinician.username);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'mfa_required', methods: ['email'], enrollmentRequired: true });
    const pending = sessionCookieFrom(first)!;
    expect((await me(pending)).json().error.code).toBe('mfa_required');

    const early = await post('/api/auth/mfa/totp/setup', pending, {});
    expect(early.statusCode).toBe(403);
    expect(early.json().error.code).toBe('forbidden');
    expect((await post('/api/auth/mfa/email-code', pending)).statusCode).toBe(200);
    const emailed = codeFrom((await mailTo(clinician.email))[0]?.text ?? '');
    const proved = await verify(pending, 'email', emailed ?? '');
    expect(proved.statusCode).toBe(200);
    expect(proved.json()).toEqual({ status: 'mfa_required', methods: [], enrollmentRequired: true });
    expect(sessionCookieFrom(proved)).toBeUndefined();
    expect((await me(pending)).json().error.code).toBe('mfa_required');

    const setup = await post('/api/auth/mfa/totp/setup', pending, {});
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl } = setup.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);

    const wrong = await post('/api/auth/mfa/totp/enable', pending, { code: currentTotpCode(secret) === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('invalid_code');

    const enable = await post('/api/auth/mfa/totp/enable', pending, { code: currentTotpCode(secret) });
    expect(enable.statusCode).toBe(200);
    const body = enable.json();
    expect(body.recoveryCodes).toHaveLength(10);
    expect(new Set(body.recoveryCodes).size).toBe(10);
    expect(body.user).toMatchObject({ id: clinician.id, mfaEnrolled: true });
    expect(body.session.idleTimeoutSeconds).toBe(900);
    const active = sessionCookieFrom(enable)!;
    expect(active).not.toBe(pending);
    expect((await me(active)).statusCode).toBe(200);
    expect((await me(pending)).statusCode).toBe(401);

    const later = await signIn(clinician.username);
    expect(later.json()).toEqual({ status: 'mfa_required', methods: ['totp', 'email', 'recovery'], enrollmentRequired: false });
    const recovered = await verify(sessionCookieFrom(later)!, 'recovery', body.recoveryCodes[0]);
    expect(recovered.statusCode).toBe(200);
    expect(recovered.json()).toMatchObject({ status: 'signed_in', user: { id: clinician.id } });

    const reused = await verify(await pendingSessionOf(clinician.username), 'recovery', body.recoveryCodes[0]);
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.code).toBe('invalid_code');
    expect((await verify(await pendingSessionOf(clinician.username), 'recovery', body.recoveryCodes[1].toLowerCase())).statusCode).toBe(
      200,
    );
  });

  // The web client always sends a JSON body ({}); a POST with no body at all is refused with 400 before the handler runs.
  it('answers 401 for setup and enable without any session', async () => {
    expect((await post('/api/auth/mfa/totp/setup', undefined, {})).statusCode).toBe(401);
    expect((await post('/api/auth/mfa/totp/enable', undefined, { code: '123456' })).statusCode).toBe(401);
  });

  it('answers 409 when TOTP is already set up', async () => {
    const nurse = await buildUser(t.db, { role: 'nurse', organizationId: orgId, mfa: true });
    const setup = await post('/api/auth/mfa/totp/setup', await pendingSessionOf(nurse.username), {});
    expect(setup.statusCode).toBe(409);
    const [row] = await t.db.select().from(users).where(eq(users.id, nurse.id));
    expect(row!.totpSecret).toBe(nurse.totpSecret);
  });
});

describe('TOTP for patients from an active session', () => {
  it('turns TOTP on only with the password (400 without it or with a wrong one), notifies, and then asks for it at sign-in', async () => {
    const patient = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const token = await signInAs(t.db, patient);
    for (const payload of [{}, { password: 'wrong password entirely' }]) {
      const refused = await post('/api/auth/mfa/totp/setup', token, payload);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'invalid_credentials', field: 'password' });
    }
    const setup = await post('/api/auth/mfa/totp/setup', token, { password: testPassword });
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json();

    for (const password of [undefined, 'wrong password entirely']) {
      const refused = await post('/api/auth/mfa/totp/enable', token, { code: currentTotpCode(secret), ...(password ? { password } : {}) });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'invalid_credentials', field: 'password' });
    }
    expect((await me(token)).json().user.mfaEnrolled).toBe(false);

    const enable = await post('/api/auth/mfa/totp/enable', token, { code: currentTotpCode(secret), password: testPassword });
    expect(enable.statusCode).toBe(200);
    expect(enable.json().recoveryCodes).toHaveLength(10);
    expect(sessionCookieFrom(enable)).toBeUndefined();
    expect((await me(token)).json().user.mfaEnrolled).toBe(true);
    expect((await mailTo(patient.email)).map((m) => m.subject)).toContain('Two-step verification is on for your Portico account');
    expect((await signIn(patient.username)).json()).toMatchObject({ status: 'mfa_required', enrollmentRequired: false });
  });

  it('turns TOTP off only with the password, and notifies', async () => {
    const patient = await buildUser(t.db, { role: 'patient', organizationId: orgId, mfa: true });
    const token = await signInAs(t.db, patient);
    const missing = await post('/api/auth/mfa/totp/disable', token, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'validation_failed', field: 'password' });
    const wrong = await post('/api/auth/mfa/totp/disable', token, { password: 'wrong password entirely' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'invalid_credentials', field: 'password' });
    expect((await me(token)).json().user.mfaEnrolled).toBe(true);

    const off = await post('/api/auth/mfa/totp/disable', token, { password: testPassword });
    expect(off.statusCode).toBe(200);
    expect((await me(token)).json().user.mfaEnrolled).toBe(false);
    expect((await mailTo(patient.email)).map((m) => m.subject)).toContain('Two-step verification was turned off');
    expect((await signIn(patient.username)).json().status).toBe('signed_in');
  });

  it('answers 403 when a clinician tries to turn TOTP off, and keeps it on', async () => {
    const clinician = await buildUser(t.db, { role: 'clinician', organizationId: orgId, mfa: true });
    const token = await signInAs(t.db, clinician);
    const response = await post('/api/auth/mfa/totp/disable', token, { password: testPassword });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('forbidden');
    const [row] = await t.db.select().from(users).where(eq(users.id, clinician.id));
    expect(row!.totpEnabledAt).not.toBeNull();
  });

  it('answers 401 for disable without a session, and mfa_required with a pending one', async () => {
    const clinician = await buildUser(t.db, { role: 'clinician', organizationId: orgId, mfa: true });
    expect((await post('/api/auth/mfa/totp/disable', undefined, { password: testPassword })).statusCode).toBe(401);
    const pending = await post('/api/auth/mfa/totp/disable', await pendingSessionOf(clinician.username), { password: testPassword });
    expect(pending.statusCode).toBe(401);
    expect(pending.json().error.code).toBe('mfa_required');
  });
});

describe('POST /api/auth/mfa/email-code', () => {
  it('mails a 6-digit code that signs the pending session in once', async () => {
    const clinician = await buildUser(t.db, { role: 'clinician', organizationId: orgId, mfa: true });
    const pending = await pendingSessionOf(clinician.username);
    const send = await post('/api/auth/mfa/email-code', pending);
    expect(send.statusCode).toBe(200);
    expect(send.json()).toEqual({ ok: true });
    const [message] = await mailTo(clinician.email);
    expect(message!.subject).toBe('Your Portico sign-in code');
    const code = codeFrom(message!.text)!;
    expect(code).toMatch(/^\d{6}$/);

    const done = await verify(pending, 'email', code);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'signed_in', user: { id: clinician.id } });
    expect((await me(sessionCookieFrom(done)!)).statusCode).toBe(200);

    expect((await verify(pending, 'email', code)).statusCode).toBe(401);
    const again = await verify(await pendingSessionOf(clinician.username), 'email', code);
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('invalid_code');
  });

  it('does not let a clinician who must enrol TOTP skip enrolment with an emailed code', async () => {
    const clinician = await buildUser(t.db, { role: 'clinician', organizationId: orgId });
    const pending = await pendingSessionOf(clinician.username);
    await post('/api/auth/mfa/email-code', pending);
    const code = codeFrom((await mailTo(clinician.email))[0]?.text ?? '') ?? '000000';
    const response = await verify(pending, 'email', code);
    expect(response.json()).toEqual({ status: 'mfa_required', methods: [], enrollmentRequired: true });
    expect(sessionCookieFrom(response)).toBeUndefined();
    const stillPending = await me(pending);
    expect(stillPending.statusCode).toBe(401);
    expect(stillPending.json().error.code).toBe('mfa_required');
  });

  it('answers 429 to the 6th send within an hour', async () => {
    const clinician = await buildUser(t.db, { role: 'clinician', organizationId: orgId, mfa: true });
    const pending = await pendingSessionOf(clinician.username);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post('/api/auth/mfa/email-code', pending)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await mailTo(clinician.email)).toHaveLength(5);
    const fresh = await post('/api/auth/mfa/email-code', await pendingSessionOf(clinician.username));
    expect(fresh.statusCode).toBe(429);
    expect(fresh.json().error.code).toBe('too_many_requests');
  });

  it('answers 401 without a pending session, including from a fully signed-in one', async () => {
    expect((await post('/api/auth/mfa/email-code', undefined)).statusCode).toBe(401);
    const active = await signInAs(t.db, await buildUser(t.db, { role: 'patient', organizationId: orgId }));
    expect((await post('/api/auth/mfa/email-code', active)).statusCode).toBe(401);
  });
});

describe('POST /api/auth/mfa/verify with TOTP', () => {
  it('refuses a replayed TOTP code: the same code for a second sign-in within 30 s answers 400', async () => {
    const clinician = await buildUser(t.db, { role: 'clinician', organizationId: orgId, mfa: true });
    const code = currentTotpCode(clinician.totpSecret!);
    const first = await verify(await pendingSessionOf(clinician.username), 'totp', code);
    expect(first.statusCode).toBe(200);
    const replay = await verify(await pendingSessionOf(clinician.username), 'totp', code);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.code).toBe('invalid_code');
  });
});

describe('POST /api/auth/mfa/recovery-codes', () => {
  it('issues 10 new codes with the password; the old ones stop working and a new one signs in', async () => {
    const nurse = await buildUser(t.db, { role: 'nurse', organizationId: orgId, mfa: true });
    const token = await signInAs(t.db, nurse);
    const first = await post('/api/auth/mfa/recovery-codes', token, { password: testPassword });
    expect(first.statusCode).toBe(200);
    const old: string[] = first.json().recoveryCodes;
    const second = await post('/api/auth/mfa/recovery-codes', token, { password: testPassword });
    const fresh: string[] = second.json().recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => old.includes(c))).toEqual([]);
    const pending = await pendingSessionOf(nurse.username);
    expect((await verify(pending, 'recovery', old[0]!)).statusCode).toBe(400);
    expect((await verify(pending, 'recovery', fresh[0]!)).json().status).toBe('signed_in');
  });

  it('answers 400 for a wrong password, 409 without an authenticator, 401 without a session', async () => {
    const nurse = await buildUser(t.db, { role: 'nurse', organizationId: orgId, mfa: true });
    const wrong = await post('/api/auth/mfa/recovery-codes', await signInAs(t.db, nurse), { password: 'not my password at all' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('password');
    const patient = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const none = await post('/api/auth/mfa/recovery-codes', await signInAs(t.db, patient), { password: testPassword });
    expect(none.statusCode).toBe(409);
    expect((await post('/api/auth/mfa/recovery-codes', undefined, { password: testPassword })).statusCode).toBe(401);
  });
});
