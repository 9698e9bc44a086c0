import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, csrfHeaders, type TestApp } from '../test/test-app.ts';

const indexHtml = '<!doctype html><title>Portico</title><div id="root"></div>';

let t: TestApp;
let webDist: string;
beforeAll(async () => {
  webDist = await mkdtemp(path.join(tmpdir(), 'portico-web-'));
  await writeFile(path.join(webDist, 'index.html'), indexHtml);
  t = await buildTestApp({ webDist });
});
afterAll(async () => {
  await t.close();
  await rm(webDist, { recursive: true, force: true });
});

describe('the web app fallback', () => {
  it.each(['/', '/record', '/inbox/threads/5b0f6b8e-8f0e-4a52-9a53-1f1f3f1f3f1f', '/messages/new?from=home'])(
    'serves index.html for the page path %s',
    async (url) => {
      const response = await t.app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toBe(indexHtml);
    },
  );

  it.each(['/api', '/api/', '/api/nothing/here', '/.well-known/smart-configuration', '/metadata', '/token', '/dev/nothing', '/logo.png'])(
    'answers %s with a 404 JSON error, not the web app',
    async (url) => {
      const response = await t.app.inject({ url });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({
        error: { code: 'not_found', message: expect.any(String), requestId: response.headers['x-request-id'] },
      });
    },
  );

  it.each(['/fhir', '/fhir/', '/fhir/Patient/123', '/fhir/metadata?_format=json'])(
    'answers %s with a 404 OperationOutcome as application/fhir+json',
    async (url) => {
      const response = await t.app.inject({ url });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
      const body = response.json<{ resourceType: string; issue: { severity: string; code: string }[] }>();
      expect(body.resourceType).toBe('OperationOutcome');
      expect(body.issue).toEqual([expect.objectContaining({ severity: 'error', code: 'not-found' })]);
    },
  );

  it('answers a POST to an unknown /fhir path with an OperationOutcome too', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/fhir/Patient',
      headers: { ...csrfHeaders, 'content-type': 'application/fhir+json' },
      payload: '{"resourceType":"Patient"}',
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(response.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
  });
});
