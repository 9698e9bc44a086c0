import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildPatient, testPassword } from '../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ publicUrl: 'https://portal.example.org' });
});
afterAll(() => t.close());

describe('behind HTTPS (PUBLIC_URL https://...)', () => {
  it('sets a Secure, HttpOnly, SameSite=Lax session cookie with the __Host- prefix, and HSTS', async () => {
    const { organization } = await buildOrganization(t.db);
    const { user } = await buildPatient(t.db, organization.id, { withAccount: true });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { ...csrfHeaders, origin: 'https://portal.example.org' },
      payload: { identifier: user!.username, password: testPassword },
    });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === '__Host-portico_session');
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie).not.toHaveProperty('domain');
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d{8,}/);
  });

  it('refuses a state-changing request from another origin with 403 csrf_failed', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { ...csrfHeaders, origin: 'https://evil.example.com' },
      payload: { identifier: 'x', password: 'y' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('csrf_failed');
  });
});
