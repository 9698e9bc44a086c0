import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { memberships, sessions, users } from '../../db/schema/index.ts';
import { sha256Hex } from '../../security/crypto.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, sessionCookieFrom, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
});
afterAll(() => t.close());

const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: cookieFor(token) });
const post = (url: string, token?: string) =>
  t.app.inject({ method: 'POST', url, headers: { ...csrfHeaders, ...(token ? cookieFor(token) : {}) } });
const patientUser = () => buildUser(t.db, { role: 'patient', organizationId: orgId });

async function sessionOf(token: string) {
  const [row] = await t.db
    .select()
    .from(sessions)
    .where(eq(sessions.tokenHash, sha256Hex(token)));
  if (!row) throw new Error('no such session');
  return row;
}

describe('GET /api/auth/me', () => {
  it('answers 401 unauthenticated without a cookie and with a garbage cookie', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('unauthenticated');
    for (const garbage of [randomBytes(32).toString('base64url'), 'x', 'a'.repeat(500), '%00%ff']) {
      const response = await me(garbage);
      expect(response.statusCode, garbage).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
  });

  it('answers GET /api/me the same as its alias, and 401 without a session', async () => {
    const { user } = await buildPatient(t.db, orgId, { withAccount: true });
    const token = await signInAs(t.db, user!);
    const viaMe = await t.app.inject({ method: 'GET', url: '/api/me', headers: cookieFor(token) });
    expect(viaMe.statusCode).toBe(200);
    expect(viaMe.json().user).toEqual((await me(token)).json().user);
    expect((await t.app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
  });

  it('describes a nurse who is also a patient: a membership, her own record, and the nurse abilities', async () => {
    const org = await buildOrganization(t.db);
    const { patient, user } = await buildPatient(t.db, orgId, { withAccount: true });
    await t.db.insert(memberships).values({ userId: user!.id, kind: 'staff', organizationId: org.organization.id, role: 'nurse' });
    const token = await signInAs(t.db, user!);
    const body = (await t.app.inject({ method: 'GET', url: '/api/me', headers: cookieFor(token) })).json();
    expect(body.user).toMatchObject({
      patientId: patient.id,
      mfaRequired: true,
      memberships: [{ kind: 'staff', role: 'nurse', organizationId: org.organization.id, organizationName: org.organization.name }],
      actingFor: [{ patientId: patient.id, relationship: 'self' }],
    });
    expect([...body.user.abilities].sort()).toEqual(['clinical.read', 'inbox.use', 'patients.search', 'results.comment', 'schedule.read']);
  });

  it('answers 200 with the user and the session timing', async () => {
    const { patient, user } = await buildPatient(t.db, orgId, { withAccount: true });
    const token = await signInAs(t.db, user!);
    const response = await me(token);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toEqual({
      id: user!.id,
      username: user!.username,
      email: user!.email,
      displayName: user!.displayName,
      organizationName: expect.any(String),
      patientId: patient.id,
      mfaEnrolled: false,
      mfaRequired: false,
      memberships: [],
      actingFor: [
        {
          patientId: patient.id,
          displayName: `${patient.givenName} ${patient.familyName}`,
          relationship: 'self',
          access: {
            demographics: 'read',
            clinical: 'read',
            appointments: 'write',
            billing: 'write',
            preferences: 'write',
            messages: 'write',
          },
          mayKeepThreadsPrivate: false,
        },
      ],
      abilities: [],
      preferences: { locale: 'en', textSize: 100 },
    });
    expect(body.session.idleTimeoutSeconds).toBe(900);
    const idle = Date.parse(body.session.idleExpiresAt);
    expect(Math.abs(idle - (Date.now() + 900_000))).toBeLessThan(15_000);
    expect(Date.parse(body.session.absoluteExpiresAt)).toBeGreaterThan(idle);
    expect(response.headers['cache-control']).toMatch(/no-store/);
  });

  it('gives a patient signed in through the API a 30-minute idle timeout and a 12-hour absolute limit', async () => {
    const user = await patientUser();
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: csrfHeaders,
      payload: { identifier: user.username, password: testPassword },
    });
    const body = (await me(sessionCookieFrom(signIn)!)).json();
    expect(body.session.idleTimeoutSeconds).toBe(1800);
    expect(Math.abs(Date.parse(body.session.absoluteExpiresAt) - (Date.now() + 12 * 3600_000))).toBeLessThan(15_000);
  });

  it('answers 401 once the idle timeout has passed, and revokes the session', async () => {
    const user = await patientUser();
    const token = await signInAs(t.db, user, { idleTimeoutSeconds: 900 });
    const session = await sessionOf(token);
    await t.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 901_000) })
      .where(eq(sessions.id, session.id));
    expect((await me(token)).statusCode).toBe(401);
    expect((await sessionOf(token)).revokedAt).not.toBeNull();
    await t.db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, session.id));
    expect((await me(token)).statusCode).toBe(401);
  });

  it('keeps a session alive just inside the idle timeout and restarts the timer', async () => {
    const user = await patientUser();
    const token = await signInAs(t.db, user, { idleTimeoutSeconds: 900 });
    const session = await sessionOf(token);
    await t.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 880_000) })
      .where(eq(sessions.id, session.id));
    expect((await me(token)).statusCode).toBe(200);
    expect(Date.now() - (await sessionOf(token)).lastSeenAt.getTime()).toBeLessThan(15_000);
  });

  it('answers 401 once the absolute limit has passed, and revokes the session', async () => {
    const user = await patientUser();
    const token = await signInAs(t.db, user);
    const session = await sessionOf(token);
    await t.db
      .update(sessions)
      .set({ absoluteExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, session.id));
    expect((await me(token)).statusCode).toBe(401);
    expect((await sessionOf(token)).revokedAt).not.toBeNull();
  });

  it('answers 401 on the next request after the user is disabled, and revokes the session', async () => {
    const user = await patientUser();
    const token = await signInAs(t.db, user);
    expect((await me(token)).statusCode).toBe(200);
    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
    expect((await me(token)).statusCode).toBe(401);
    expect((await sessionOf(token)).revokedAt).not.toBeNull();
  });
});

describe('GET /api/auth/sessions', () => {
  it("lists the caller's active sessions, marks the caller's as current, and shows no one else's", async () => {
    const user = await patientUser();
    const other = await patientUser();
    const mine = await signInAs(t.db, user);
    const second = await signInAs(t.db, user);
    const viaApi = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { ...csrfHeaders, 'user-agent': 'Firefox/140 test' },
      payload: { identifier: user.username, password: testPassword },
    });
    const ended = await signInAs(t.db, user);
    await post('/api/auth/sign-out', ended);
    const theirs = await signInAs(t.db, other);

    const response = await t.app.inject({ method: 'GET', url: '/api/auth/sessions', headers: cookieFor(mine) });
    expect(response.statusCode).toBe(200);
    const listed: { id: string; current: boolean; userAgent: string | null }[] = response.json().sessions;
    const expected = [await sessionOf(mine), await sessionOf(second), await sessionOf(sessionCookieFrom(viaApi)!)].map((s) => s.id);
    expect(listed.map((s) => s.id).sort()).toEqual([...expected].sort());
    expect(listed.filter((s) => s.current).map((s) => s.id)).toEqual([expected[0]]);
    expect(listed.find((s) => s.id === expected[2])!.userAgent).toBe('Firefox/140 test');
    expect(listed.map((s) => s.id)).not.toContain((await sessionOf(theirs)).id);
    expect(listed.map((s) => s.id)).not.toContain((await sessionOf(ended)).id);
  });

  it('answers 401 without a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/auth/sessions' });
    expect(response.statusCode).toBe(401);
  });
});

describe('DELETE /api/auth/sessions/:id', () => {
  const end = (id: string, token?: string) =>
    t.app.inject({ method: 'DELETE', url: `/api/auth/sessions/${id}`, headers: { ...csrfHeaders, ...(token ? cookieFor(token) : {}) } });

  it('ends another session of the caller with 200; that cookie then gets 401 and the caller stays signed in', async () => {
    const user = await patientUser();
    const mine = await signInAs(t.db, user);
    const laptop = await signInAs(t.db, user);
    const response = await end((await sessionOf(laptop)).id, mine);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    expect((await me(laptop)).statusCode).toBe(401);
    expect((await me(mine)).statusCode).toBe(200);
  });

  it("answers 404 for another user's session, which stays alive", async () => {
    const user = await patientUser();
    const other = await patientUser();
    const mine = await signInAs(t.db, user);
    const theirs = await signInAs(t.db, other);
    const response = await end((await sessionOf(theirs)).id, mine);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
    expect((await sessionOf(theirs)).revokedAt).toBeNull();
    expect((await me(theirs)).statusCode).toBe(200);
  });

  it('answers 404 for an unknown id and for a session already ended', async () => {
    const user = await patientUser();
    const mine = await signInAs(t.db, user);
    const old = await signInAs(t.db, user);
    await post('/api/auth/sign-out', old);
    expect((await end(randomUUID(), mine)).statusCode).toBe(404);
    expect((await end((await sessionOf(old)).id, mine)).statusCode).toBe(404);
  });

  it('answers 400 validation_failed naming id for a non-UUID id', async () => {
    const mine = await signInAs(t.db, await patientUser());
    const response = await end('not-a-uuid', mine);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'id' });
  });

  it('answers 401 without a session and ends nothing', async () => {
    const victim = await signInAs(t.db, await patientUser());
    const response = await end((await sessionOf(victim)).id);
    expect(response.statusCode).toBe(401);
    expect((await me(victim)).statusCode).toBe(200);
  });
});

describe('POST /api/auth/sign-out', () => {
  it('answers 200, clears the cookie, and the old cookie gets 401 afterwards', async () => {
    const user = await patientUser();
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: csrfHeaders,
      payload: { identifier: user.username, password: testPassword },
    });
    const token = sessionCookieFrom(signIn)!;
    const response = await post('/api/auth/sign-out', token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    const cleared = response.cookies.find((c) => c.name === 'portico_session');
    expect(cleared?.value).toBe('');
    expect(cleared?.expires?.getTime() ?? 0).toBeLessThanOrEqual(Date.now());
    expect((await me(token)).statusCode).toBe(401);
    expect((await sessionOf(token)).revokedAt).not.toBeNull();
  });

  it('answers 403 csrf_failed without the CSRF header and keeps the session', async () => {
    const token = await signInAs(t.db, await patientUser());
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: cookieFor(token) });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('csrf_failed');
    expect((await me(token)).statusCode).toBe(200);
  });

  it('answers 403 csrf_failed for a request from another origin', async () => {
    const token = await signInAs(t.db, await patientUser());
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { ...csrfHeaders, ...cookieFor(token), origin: 'https://evil.example' },
    });
    expect(response.statusCode).toBe(403);
    expect((await me(token)).statusCode).toBe(200);
  });
});

describe('POST /api/auth/sign-out-everywhere', () => {
  it("ends every session of the user and no one else's", async () => {
    const user = await patientUser();
    const other = await patientUser();
    const tokens = [await signInAs(t.db, user), await signInAs(t.db, user), await signInAs(t.db, user)];
    const theirs = await signInAs(t.db, other);
    const response = await post('/api/auth/sign-out-everywhere', tokens[0]);
    expect(response.statusCode).toBe(200);
    expect(response.cookies.find((c) => c.name === 'portico_session')?.value).toBe('');
    for (const token of tokens) expect((await me(token)).statusCode).toBe(401);
    expect((await me(theirs)).statusCode).toBe(200);
  });

  it('answers 401 without a session', async () => {
    expect((await post('/api/auth/sign-out-everywhere')).statusCode).toBe(401);
  });
});
