import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { oneTimeTokens, sessions, users } from '../../db/schema/index.ts';
import { buildOrganization, buildUser, cookieFor, signInAs, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, linkTokenFrom, sessionCookieFrom, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
/** The deployment's organization: every email is signed with its name. */
let orgName: string;
beforeAll(async () => {
  t = await buildTestApp();
  const { organization } = await buildOrganization(t.db);
  orgId = organization.id;
  orgName = organization.name;
});
afterAll(() => t.close());

const newPassword = 'a brand new passphrase 2025';

const post = (url: string, payload: object, token?: string) =>
  t.app.inject({ method: 'POST', url, headers: { ...csrfHeaders, ...(token ? cookieFor(token) : {}) }, payload });
const signIn = (identifier: string, password: string) => post('/api/auth/sign-in', { identifier, password });
const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: cookieFor(token) });
const patientUser = () => buildUser(t.db, { role: 'patient', organizationId: orgId });

async function mailTo(address: string) {
  return (await t.mail()).filter((m) => m.toAddress === address);
}

/** Asks for a reset link for the user and returns the token from the email. */
async function resetTokenFor(email: string): Promise<string> {
  expect((await post('/api/auth/password/forgot', { email })).statusCode).toBe(202);
  const [message] = (await mailTo(email)).filter((m) => m.subject === 'Reset your Portico password');
  return linkTokenFrom(message!.text);
}

describe('POST /api/auth/password/forgot', () => {
  it('answers 202 with the same body whether or not the address has an account, and mails only the real one', async () => {
    const user = await patientUser();
    const unknownAddress = `nobody-${randomBytes(4).toString('hex')}@example.test`;
    const real = await post('/api/auth/password/forgot', { email: user.email.toUpperCase() });
    const unknown = await post('/api/auth/password/forgot', { email: unknownAddress });
    expect(real.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(real.body).toBe(unknown.body);
    expect(real.json()).toEqual({ ok: true });
    expect(await mailTo(unknownAddress)).toHaveLength(0);
    const [message, ...others] = await mailTo(user.email);
    expect(others).toHaveLength(0);
    expect(message!.subject).toBe('Reset your Portico password');
    const token = linkTokenFrom(message!.text);
    expect(message!.text).toContain(`/reset-password#token=${token}`);
    expect(message!.text).not.toMatch(/[?&]token=/);
  });

  it('mails nothing for a disabled account but answers the same 202', async () => {
    const user = await patientUser();
    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    const response = await post('/api/auth/password/forgot', { email: user.email });
    expect(response.statusCode).toBe(202);
    expect(await mailTo(user.email)).toHaveLength(0);
  });

  it('answers 400 validation_failed naming email for a malformed address, without a session', async () => {
    const response = await post('/api/auth/password/forgot', { email: 'no-at-sign' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'email' });
  });
});

describe('POST /api/auth/password/reset', () => {
  it('sets the new password with 200, ends every session of the user, tells the owner, and works once', async () => {
    const user = await patientUser();
    const bystander = await patientUser();
    const direct = await signInAs(t.db, user);
    const viaApi = sessionCookieFrom(await signIn(user.username, testPassword))!;
    const bystanderSession = await signInAs(t.db, bystander);
    const token = await resetTokenFor(user.email);

    const reset = await post('/api/auth/password/reset', { token, password: newPassword });
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toEqual({ ok: true });
    expect((await me(direct)).statusCode).toBe(401);
    expect((await me(viaApi)).statusCode).toBe(401);
    expect((await me(bystanderSession)).statusCode).toBe(200);
    const live = await t.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(live.every((s) => s.revokedAt !== null)).toBe(true);

    expect((await signIn(user.username, testPassword)).statusCode).toBe(401);
    expect((await signIn(user.username, newPassword)).statusCode).toBe(200);
    expect((await mailTo(user.email)).map((m) => m.subject)).toContain('Your Portico password was changed');

    const again = await post('/api/auth/password/reset', { token, password: 'yet another passphrase 99' });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('invalid_token');
    expect((await signIn(user.username, newPassword)).statusCode).toBe(200);
  });

  it('answers 400 invalid_token for an expired link and keeps the old password', async () => {
    const user = await patientUser();
    const token = await resetTokenFor(user.email);
    await t.db
      .update(oneTimeTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.purpose, 'reset_password')));
    const response = await post('/api/auth/password/reset', { token, password: newPassword });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_token');
    expect((await signIn(user.username, testPassword)).statusCode).toBe(200);
  });

  it('answers 400 invalid_token for an unknown token, and validation_failed for a short token', async () => {
    const unknown = await post('/api/auth/password/reset', { token: randomBytes(32).toString('base64url'), password: newPassword });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('invalid_token');
    const short = await post('/api/auth/password/reset', { token: 'short', password: newPassword });
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({ code: 'validation_failed', field: 'token' });
  });

  it('lifts a sign-in pause: 5 wrong passwords give 429, and after a reset the new password signs in', async () => {
    const user = await patientUser();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn(user.username, `wrong guess number ${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect((await signIn(user.username, testPassword)).statusCode).toBe(429);
    const token = await resetTokenFor(user.email);
    expect((await post('/api/auth/password/reset', { token, password: newPassword })).statusCode).toBe(200);
    const after = await signIn(user.username, newPassword);
    expect(after.statusCode).toBe(200);
    expect(after.json().status).toBe('signed_in');
  });

  it('answers 400 weak_password for a weak new password without using up the link', async () => {
    const user = await patientUser();
    const token = await resetTokenFor(user.email);
    for (const password of ['password1234', `my ${user.username} passphrase`]) {
      const weak = await post('/api/auth/password/reset', { token, password });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error).toMatchObject({ code: 'weak_password', field: 'password' });
    }
    const tooShort = await post('/api/auth/password/reset', { token, password: 'short pw' });
    expect(tooShort.json().error).toMatchObject({ code: 'validation_failed', field: 'password' });
    expect((await signIn(user.username, testPassword)).statusCode).toBe(200);
    const [row] = await t.db
      .select()
      .from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.purpose, 'reset_password')));
    expect(row!.usedAt).toBeNull();
    expect((await post('/api/auth/password/reset', { token, password: newPassword })).statusCode).toBe(200);
    expect((await signIn(user.username, newPassword)).statusCode).toBe(200);
  });
});

describe('POST /api/auth/password/change', () => {
  const change = (token: string | undefined, currentPassword: string, next: string) =>
    post('/api/auth/password/change', { currentPassword, newPassword: next }, token);

  it('answers 401 without a session', async () => {
    const response = await change(undefined, testPassword, newPassword);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
  });

  it('answers 401 mfa_required for a session still waiting for its second factor', async () => {
    const clinician = await buildUser(t.db, { role: 'clinician', organizationId: orgId, mfa: true });
    const pending = sessionCookieFrom(await signIn(clinician.username, testPassword))!;
    const response = await change(pending, testPassword, newPassword);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('mfa_required');
    expect((await signIn(clinician.username, newPassword)).statusCode).toBe(401);
  });

  it('answers 400 invalid_credentials naming currentPassword when the current password is wrong, and changes nothing', async () => {
    const user = await patientUser();
    const token = await signInAs(t.db, user);
    const response = await change(token, 'not my password at all', newPassword);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_credentials', field: 'currentPassword' });
    expect((await signIn(user.username, newPassword)).statusCode).toBe(401);
    expect((await me(token)).statusCode).toBe(200);
  });

  it('answers 400 weak_password naming newPassword for a common or too short new password', async () => {
    const user = await patientUser();
    const token = await signInAs(t.db, user);
    const common = await change(token, testPassword, 'password1234');
    expect(common.statusCode).toBe(400);
    expect(common.json().error).toMatchObject({ code: 'weak_password', field: 'newPassword' });
    const short = await change(token, testPassword, 'tiny');
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({ code: 'validation_failed', field: 'newPassword' });
    expect((await signIn(user.username, testPassword)).statusCode).toBe(200);
  });

  it('changes the password with 200, ends the other sessions, keeps the current one, and mails a notice', async () => {
    const user = await patientUser();
    const current = await signInAs(t.db, user);
    const otherDirect = await signInAs(t.db, user);
    const otherViaApi = sessionCookieFrom(await signIn(user.email, testPassword))!;
    const response = await change(current, testPassword, newPassword);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    expect((await me(current)).statusCode).toBe(200);
    expect((await me(otherDirect)).statusCode).toBe(401);
    expect((await me(otherViaApi)).statusCode).toBe(401);
    expect((await signIn(user.username, testPassword)).statusCode).toBe(401);
    expect((await signIn(user.username, newPassword)).statusCode).toBe(200);
    const notices = (await mailTo(user.email)).filter((m) => m.subject === 'Your Portico password was changed');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).not.toContain(newPassword);
  });
});

describe('password emails in the recipient’s language', () => {
  const forgot = (email: string, language: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/password/forgot',
      headers: { ...csrfHeaders, 'accept-language': language },
      payload: { email },
    });

  it('writes the reset email to an English-speaking user exactly as before, whatever the request’s language', async () => {
    const user = await patientUser();
    expect((await forgot(user.email, 'es-MX,es;q=0.9')).statusCode).toBe(202);
    const [message] = await mailTo(user.email);
    const link = /^http\S+\/reset-password#token=[A-Za-z0-9_-]+$/m.exec(message!.text)?.[0];
    expect(link).toBeDefined();
    expect(message!.subject).toBe('Reset your Portico password');
    expect(message!.text).toBe(
      `Someone asked to reset the password of your Portico account. To choose a new password, open this link within 60 minutes (it works once):\n\n${link}\n\nIf you did not ask, ignore this email; your password stays the same.\n\n-- \n${orgName}`,
    );
  });

  it('writes the reset and changed emails to a Spanish-speaking user in Spanish, whatever the request’s language', async () => {
    const user = await patientUser();
    await t.db.update(users).set({ locale: 'es' }).where(eq(users.id, user.id));
    expect((await forgot(user.email, 'en-US,en;q=0.9')).statusCode).toBe(202);
    const [message] = await mailTo(user.email);
    expect(message!.subject).toBe('Restablezca su contraseña de Portico');
    expect(message!.text).toContain('Alguien pidió restablecer la contraseña de su cuenta de Portico.');
    expect(message!.text).toContain('en los próximos 60 minutos (funciona una sola vez)');
    expect(message!.text).not.toMatch(/Someone|new password|ignore this email/);
    const token = linkTokenFrom(message!.text);
    expect(message!.text).toContain(`/reset-password#token=${token}`);

    expect((await post('/api/auth/password/reset', { token, password: newPassword })).statusCode).toBe(200);
    const [notice] = await mailTo(user.email);
    expect(notice!.subject).toBe('Se cambió su contraseña de Portico');
    expect(notice!.text).toContain('Se acaba de restablecer la contraseña de su cuenta de Portico');
  });
});
