import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { activationCodes, memberships, oneTimeTokens, patients, users } from '../../db/schema/index.ts';
import { buildActivationCode, buildOrganization, buildPatient, buildUser, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, linkTokenFrom, sessionCookieFrom, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
/** The organization's name, which ends every email (branding). */
let orgName: string;
beforeAll(async () => {
  t = await buildTestApp();
  const { organization } = await buildOrganization(t.db);
  orgId = organization.id;
  orgName = organization.name;
});
afterAll(() => t.close());

const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: csrfHeaders, payload });
const signIn = (identifier: string, password = testPassword) => post('/api/auth/sign-in', { identifier, password });

/** New credentials nobody has used yet. */
function account() {
  const username = `amy-${randomBytes(4).toString('hex')}`;
  return { username, email: `${username}@mail.example.test`, password: testPassword };
}

async function patientWithCode(
  options: { birthDate?: string; givenName?: string; familyName?: string; mrn?: string; expiresAt?: Date } = {},
) {
  const { patient } = await buildPatient(t.db, orgId, { mrn: `MRN-${randomBytes(6).toString('hex')}`, ...options });
  const code = await buildActivationCode(t.db, patient.id, options.expiresAt ? { expiresAt: options.expiresAt } : {});
  return { patient, code };
}

const byCode = (code: string, birthDate: string, credentials = account()) => ({
  method: 'activation_code',
  activationCode: code,
  birthDate,
  ...credentials,
});

async function userByEmail(email: string) {
  const [row] = await t.db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row;
}

async function mailTo(address: string) {
  return (await t.mail()).filter((m) => m.toAddress === address);
}

describe('POST /api/signup', () => {
  it('opens an unconfirmed patient account from an activation code with 201, without starting a session', async () => {
    const { patient, code } = await patientWithCode();
    const credentials = account();
    const response = await post('/api/signup', byCode(code.toLowerCase(), patient.birthDate, credentials));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ status: 'verification_sent', email: credentials.email });
    expect(sessionCookieFrom(response)).toBeUndefined();
    const user = await userByEmail(credentials.email);
    expect(user).toMatchObject({ username: credentials.username, organizationId: orgId, emailVerifiedAt: null });
    expect(await t.db.select().from(memberships).where(eq(memberships.userId, user!.id))).toEqual([]);
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    const [linked] = await t.db.select().from(patients).where(eq(patients.id, patient.id));
    expect(linked!.userId).toBe(user!.id);
    const [redeemed] = await t.db.select().from(activationCodes).where(eq(activationCodes.patientId, patient.id));
    expect(redeemed!.redeemedAt).not.toBeNull();
  });

  it('emails a confirmation link with the token only in the #token= fragment and no patient name or clinical data', async () => {
    const { patient, code } = await patientWithCode({
      givenName: 'Marguerite',
      familyName: 'Quillfeather',
      birthDate: '1975-03-14',
      mrn: '7319024',
    });
    const credentials = account();
    expect((await post('/api/signup', byCode(code, '1975-03-14', credentials))).statusCode).toBe(201);
    const [message, ...others] = await mailTo(credentials.email);
    expect(others).toHaveLength(0);
    expect(message!.subject).toBe('Confirm your email for Portico');
    for (const secret of ['Marguerite', 'Quillfeather', '7319024', '1975-03-14', patient.id, code]) {
      expect(message!.text).not.toContain(secret);
      expect(message!.subject).not.toContain(secret);
    }
    const token = linkTokenFrom(message!.text);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(message!.text).toContain(`http://localhost:3000/verify-email#token=${token}`);
    expect(message!.text.split(token)).toHaveLength(2);
    expect(message!.text).not.toMatch(/[?&]token=/);
  });

  it('refuses sign-in with 403 email_not_verified until the link is used, then signs the patient in', async () => {
    const { patient, code } = await patientWithCode();
    const credentials = account();
    await post('/api/signup', byCode(code, patient.birthDate, credentials));
    const early = await signIn(credentials.username);
    expect(early.statusCode).toBe(403);
    expect(early.json().error.code).toBe('email_not_verified');
    const token = linkTokenFrom((await mailTo(credentials.email))[0]!.text);
    const verified = await post('/api/signup/verify-email', { token });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toEqual({ ok: true });
    const later = await signIn(credentials.email);
    expect(later.statusCode).toBe(200);
    expect(later.json()).toMatchObject({
      status: 'signed_in',
      user: { username: credentials.username, patientId: patient.id, memberships: [], abilities: [] },
    });
  });

  it('matches by legal name in any case, birth date and MRN', async () => {
    const { patient } = await buildPatient(t.db, orgId, { givenName: 'Zoë', familyName: "O'Brien-Lasky", birthDate: '1990-12-31' });
    const credentials = account();
    const response = await post('/api/signup', {
      method: 'demographics',
      givenName: '  ZOË ',
      familyName: "o'brien-lasky",
      birthDate: '1990-12-31',
      mrn: patient.mrn,
      ...credentials,
    });
    expect(response.statusCode).toBe(201);
    const user = await userByEmail(credentials.email);
    const [linked] = await t.db.select().from(patients).where(eq(patients.id, patient.id));
    expect(linked!.userId).toBe(user!.id);
    expect(user!.displayName).toBe("Zoë O'Brien-Lasky");
  });

  it.each([
    ['a wrong birth date', { birthDate: '1980-05-07' }],
    ['a wrong activation code', { activationCode: 'WRNG-CODE-XXXX' }],
    ['an expired activation code', { expired: true }],
  ])(
    'answers 400 patient_not_matched for %s and creates nothing',
    async (_case, change: { birthDate?: string; activationCode?: string; expired?: boolean }) => {
      const { patient, code } = await patientWithCode(change.expired ? { expiresAt: new Date(Date.now() - 60_000) } : {});
      const credentials = account();
      const body = { ...byCode(change.activationCode ?? code, change.birthDate ?? patient.birthDate, credentials) };
      const response = await post('/api/signup', body);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('patient_not_matched');
      expect(await userByEmail(credentials.email)).toBeUndefined();
      const [row] = await t.db.select().from(patients).where(eq(patients.id, patient.id));
      expect(row!.userId).toBeNull();
    },
  );

  it('answers 400 patient_not_matched when the name does not match the MRN and birth date', async () => {
    const { patient } = await buildPatient(t.db, orgId);
    const response = await post('/api/signup', {
      method: 'demographics',
      givenName: 'Someone',
      familyName: patient.familyName,
      birthDate: patient.birthDate,
      mrn: patient.mrn,
      ...account(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('patient_not_matched');
  });

  it('answers 409 already_activated for a second sign-up of a patient who has an account', async () => {
    const { patient, user } = await buildPatient(t.db, orgId, { withAccount: true });
    const demographics = await post('/api/signup', {
      method: 'demographics',
      givenName: patient.givenName,
      familyName: patient.familyName,
      birthDate: patient.birthDate,
      mrn: patient.mrn,
      ...account(),
    });
    expect(demographics.statusCode).toBe(409);
    expect(demographics.json().error.code).toBe('already_activated');
    const newCode = await buildActivationCode(t.db, patient.id);
    const withCode = await post('/api/signup', byCode(newCode, patient.birthDate));
    expect(withCode.statusCode).toBe(409);
    expect(withCode.json().error.code).toBe('already_activated');
    const [row] = await t.db.select().from(patients).where(eq(patients.id, patient.id));
    expect(row!.userId).toBe(user!.id);
  });

  it('answers 409 already_activated when the activation code was already redeemed', async () => {
    const { patient, code } = await patientWithCode();
    expect((await post('/api/signup', byCode(code, patient.birthDate))).statusCode).toBe(201);
    const again = await post('/api/signup', byCode(code, patient.birthDate));
    expect(again.json().error?.code).toBe('already_activated');
    expect(again.statusCode).toBe(409);
  });

  it('answers 409 username_taken (any case) and leaves the code usable', async () => {
    const existing = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const { patient, code } = await patientWithCode();
    const taken = await post('/api/signup', byCode(code, patient.birthDate, { ...account(), username: existing.username.toUpperCase() }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'username_taken', field: 'username' });
    expect((await post('/api/signup', byCode(code, patient.birthDate))).statusCode).toBe(201);
  });

  it('answers 409 email_taken (any case) and leaves the code usable', async () => {
    const existing = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const { patient, code } = await patientWithCode();
    const taken = await post('/api/signup', byCode(code, patient.birthDate, { ...account(), email: existing.email.toUpperCase() }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'email_taken', field: 'email' });
    expect((await post('/api/signup', byCode(code, patient.birthDate))).statusCode).toBe(201);
  });

  it('answers 409 email_taken, not username_taken, when the taken address contains the word "username"', async () => {
    const { patient, code } = await patientWithCode();
    const first = { ...account(), email: `username.${randomBytes(3).toString('hex')}@mail.example.test` };
    expect((await post('/api/signup', byCode(code, patient.birthDate, first))).statusCode).toBe(201);
    const other = await patientWithCode();
    const taken = await post('/api/signup', byCode(other.code, other.patient.birthDate, { ...account(), email: first.email }));
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'email_taken', field: 'email' });
  });

  describe('password rules', () => {
    it('answers 400 validation_failed naming password for 11 characters and for 129', async () => {
      const { patient, code } = await patientWithCode();
      for (const password of ['x7#kq9!vbn2', 'x'.repeat(129)]) {
        const response = await post('/api/signup', byCode(code, patient.birthDate, { ...account(), password }));
        expect(response.statusCode).toBe(400);
        expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'password' });
      }
    });

    it('answers 400 weak_password for a common password and for ones containing the username or the email local part', async () => {
      const { patient, code } = await patientWithCode();
      const credentials = { ...account(), email: `marigold.${randomBytes(3).toString('hex')}@mail.example.test` };
      const local = credentials.email.split('@')[0]!;
      const weak = ['password1234', `My ${credentials.username.toUpperCase()} secret!`, `secret ${local} phrase`];
      for (const password of weak) {
        const response = await post('/api/signup', byCode(code, patient.birthDate, { ...credentials, password }));
        expect(response.statusCode, password).toBe(400);
        expect(response.json().error).toMatchObject({ code: 'weak_password', field: 'password' });
      }
      expect(await userByEmail(credentials.email)).toBeUndefined();
    });

    it('accepts 128 characters of any Unicode', async () => {
      const { patient, code } = await patientWithCode();
      const password = 'ünïcødé pässwörd 密码 ✓ '.repeat(8).slice(0, 128);
      expect(password).toHaveLength(128);
      const credentials = { ...account(), password };
      expect((await post('/api/signup', byCode(code, patient.birthDate, credentials))).statusCode).toBe(201);
      const token = linkTokenFrom((await mailTo(credentials.email))[0]!.text);
      await post('/api/signup/verify-email', { token });
      expect((await signIn(credentials.username, password)).statusCode).toBe(200);
    });
  });

  it('answers 400 validation_failed naming the field for a malformed body', async () => {
    const response = await post('/api/signup', {
      method: 'activation_code',
      activationCode: 'ABCD-EFGH',
      birthDate: '1980-02-30',
      ...account(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'birthDate' });
  });
});

describe('POST /api/signup/verify-email', () => {
  it('answers 400 invalid_token for a link that was already used, and for an expired one', async () => {
    const { patient, code } = await patientWithCode();
    const credentials = account();
    await post('/api/signup', byCode(code, patient.birthDate, credentials));
    const token = linkTokenFrom((await mailTo(credentials.email))[0]!.text);
    expect((await post('/api/signup/verify-email', { token })).statusCode).toBe(200);
    const reused = await post('/api/signup/verify-email', { token });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.code).toBe('invalid_token');

    const second = await patientWithCode();
    const late = account();
    await post('/api/signup', byCode(second.code, second.patient.birthDate, late));
    const lateToken = linkTokenFrom((await mailTo(late.email))[0]!.text);
    const user = await userByEmail(late.email);
    await t.db
      .update(oneTimeTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(oneTimeTokens.userId, user!.id));
    const expired = await post('/api/signup/verify-email', { token: lateToken });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.code).toBe('invalid_token');
    expect((await userByEmail(late.email))!.emailVerifiedAt).toBeNull();
  });

  it('answers 400 invalid_token for an unknown token and validation_failed for a short one', async () => {
    const unknown = await post('/api/signup/verify-email', { token: randomBytes(32).toString('base64url') });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('invalid_token');
    const short = await post('/api/signup/verify-email', { token: 'abc' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({ code: 'validation_failed', field: 'token' });
  });
});

describe('POST /api/signup/resend-verification', () => {
  it('answers 202 with the same body for an unknown and for a real unconfirmed address, and mails a new working link to the real one only', async () => {
    const { patient, code } = await patientWithCode();
    const credentials = account();
    await post('/api/signup', byCode(code, patient.birthDate, credentials));
    const firstToken = linkTokenFrom((await mailTo(credentials.email))[0]!.text);
    const unknownAddress = `nobody-${randomBytes(4).toString('hex')}@mail.example.test`;
    const unknown = await post('/api/signup/resend-verification', { email: unknownAddress });
    const real = await post('/api/signup/resend-verification', { email: credentials.email.toUpperCase() });
    expect(unknown.statusCode).toBe(202);
    expect(real.statusCode).toBe(202);
    expect(real.body).toBe(unknown.body);
    expect(real.json()).toEqual({ ok: true });
    expect(await mailTo(unknownAddress)).toHaveLength(0);
    const mails = await mailTo(credentials.email);
    expect(mails).toHaveLength(2);
    const newToken = linkTokenFrom(mails[0]!.text);
    expect(newToken).not.toBe(firstToken);
    expect((await post('/api/signup/verify-email', { token: newToken })).statusCode).toBe(200);
    expect((await signIn(credentials.username)).statusCode).toBe(200);
  });

  it('sends nothing to an address that is already confirmed', async () => {
    const user = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const response = await post('/api/signup/resend-verification', { email: user.email });
    expect(response.statusCode).toBe(202);
    expect(await mailTo(user.email)).toHaveLength(0);
  });

  it('answers 400 validation_failed for a malformed address', async () => {
    const response = await post('/api/signup/resend-verification', { email: 'not-an-address' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'email' });
  });
});

describe('sign-up endpoints without a session', () => {
  it('need no session cookie (never 401) but still require the CSRF header (403)', async () => {
    const { patient, code } = await patientWithCode();
    const credentials = account();
    const calls = [
      ['/api/signup', byCode(code, patient.birthDate, credentials)],
      ['/api/signup/resend-verification', { email: credentials.email }],
      ['/api/signup/verify-email', { token: randomBytes(32).toString('base64url') }],
    ] as const;
    for (const [url, payload] of calls) {
      const refused = await t.app.inject({ method: 'POST', url, payload });
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json().error.code).toBe('csrf_failed');
    }
    const statuses = [];
    for (const [url, payload] of calls) statuses.push((await post(url, payload)).statusCode);
    expect(statuses).toEqual([201, 202, 400]);
  });
});

describe('the confirmation email’s language', () => {
  const signUpIn = (language: string | undefined, payload: object) =>
    t.app.inject({
      method: 'POST',
      url: '/api/signup',
      headers: { ...csrfHeaders, ...(language ? { 'accept-language': language } : {}) },
      payload,
    });

  it('is the language the person signed up in (the page’s, sent as Accept-Language), which becomes theirs', async () => {
    const { patient, code } = await patientWithCode();
    const credentials = account();
    expect((await signUpIn('es-MX,es;q=0.9,en;q=0.5', byCode(code, patient.birthDate, credentials))).statusCode).toBe(201);
    expect((await userByEmail(credentials.email))!.locale).toBe('es');
    const [message] = await mailTo(credentials.email);
    expect(message!.subject).toBe('Confirme su correo electrónico para Portico');
    expect(message!.text).toContain('Le damos la bienvenida a Portico.');
    expect(message!.text).toContain('en las próximas 24 horas');
    expect(message!.text).toContain(`/verify-email#token=${linkTokenFrom(message!.text)}`);
  });

  it('is English, worded as before, without a language asked for', async () => {
    const { patient, code } = await patientWithCode();
    const credentials = account();
    expect((await signUpIn(undefined, byCode(code, patient.birthDate, credentials))).statusCode).toBe(201);
    expect((await userByEmail(credentials.email))!.locale).toBe('en');
    const [message] = await mailTo(credentials.email);
    const link = /^http\S+\/verify-email#token=[A-Za-z0-9_-]+$/m.exec(message!.text)?.[0];
    expect(link).toBeDefined();
    expect(message!.subject).toBe('Confirm your email for Portico');
    expect(message!.text).toBe(
      `Welcome to Portico. To finish setting up your account, confirm your email address by opening this link within 24 hours:\n\n${link}\n\nIf you did not sign up, ignore this email.\n\n-- \n${orgName}`,
    );
  });
});
