import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents, users } from '../../db/schema/index.ts';
import { buildOrganization, buildUser, cookieFor, signInAs, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
});
afterAll(() => t.close());

const put = (body: unknown, token?: string, headers: Record<string, string> = csrfHeaders) =>
  t.app.inject({
    method: 'PUT',
    url: '/api/me/preferences',
    headers: { ...headers, ...(token ? cookieFor(token) : {}) },
    payload: body as object,
  });
const storedOf = async (userId: string) =>
  (await t.db.select({ locale: users.locale, textSize: users.textSize }).from(users).where(eq(users.id, userId)))[0];

describe('PUT /api/me/preferences', () => {
  it('stores the language and the text size on the account, shows them in GET /api/me, and audits the change', async () => {
    const user = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const token = await signInAs(t.db, user);
    const response = await put({ locale: 'es', textSize: 150 }, token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ locale: 'es', textSize: 150 });
    expect(await storedOf(user.id)).toEqual({ locale: 'es', textSize: 150 });
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: cookieFor(token) });
    expect(me.json().user.preferences).toEqual({ locale: 'es', textSize: 150 });
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, user.id), eq(auditEvents.action, 'account.preferences.update')));
    expect(events).toMatchObject([{ outcome: 'success', objectId: user.id, details: { fields: ['locale', 'textSize'] } }]);
    // One field at a time leaves the other as it was.
    expect((await put({ textSize: 200 }, token)).json()).toEqual({ locale: 'es', textSize: 200 });
  });

  it('answers 400 naming the problem for an unknown language, a size off the steps, or nothing to change', async () => {
    const user = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const token = await signInAs(t.db, user);
    for (const body of [{ locale: 'fr' }, { textSize: 130 }, { textSize: '150' }, {}, { locale: null }, []]) {
      const response = await put(body, token);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
    expect(await storedOf(user.id)).toEqual({ locale: 'en', textSize: 100 });
  });

  it('answers 401 without a session and 403 without the CSRF header', async () => {
    expect((await put({ locale: 'es' })).statusCode).toBe(401);
    const user = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const token = await signInAs(t.db, user);
    expect((await put({ locale: 'es' }, token, { 'content-type': 'application/json' })).statusCode).toBe(403);
    expect(await storedOf(user.id)).toEqual({ locale: 'en', textSize: 100 });
  });
});

describe('POST /api/auth/sign-in with the language chosen on the sign-in page', () => {
  it('stores the language on the account when the password is right, and leaves it when it is wrong or absent', async () => {
    const user = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const signIn = (password: string, locale?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        headers: csrfHeaders,
        payload: { identifier: user.username, password, ...(locale ? { locale } : {}) },
      });
    expect((await signIn('not-the-password', 'es')).statusCode).toBe(401);
    expect((await storedOf(user.id))?.locale).toBe('en');
    const response = await signIn(testPassword, 'es');
    expect(response.statusCode).toBe(200);
    expect(response.json().user.preferences).toEqual({ locale: 'es', textSize: 100 });
    expect((await signIn(testPassword)).json().user.preferences.locale).toBe('es');
    expect((await signIn(testPassword, 'klingon')).statusCode).toBe(400);
  });
});
