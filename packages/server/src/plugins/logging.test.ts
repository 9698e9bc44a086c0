import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { createTestDatabase } from '../test/test-database.ts';
import { csrfHeaders, testConfig } from '../test/test-app.ts';
import { buildOrganization, buildPatient, cookieFor, signInAs } from '../test/factories.ts';
import { loggerOptions } from './logging.ts';

const lines: string[] = [];
let handle: DatabaseHandle;
let app: FastifyInstance;

beforeAll(async () => {
  handle = await createTestDatabase();
  app = await buildApp({
    config: testConfig({ logLevel: 'info' }),
    database: handle,
    logger: { ...(loggerOptions('info') as object), stream: { write: (line: string) => lines.push(line) } },
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await handle.close();
});

describe('request logging', () => {
  it('logs method, path and request id, but never passwords, identifiers, query strings, cookies or patient names', async () => {
    const { organization } = await buildOrganization(handle.db);
    const { patient, user } = await buildPatient(handle.db, organization.id, {
      withAccount: true,
      givenName: 'Zebulon',
      familyName: 'Quixotic',
    });
    const token = await signInAs(handle.db, user!);
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: csrfHeaders,
      payload: { identifier: 'secret-person@example.test', password: 'Hunter2-is-my-password!' },
    });
    expect(signIn.statusCode).toBe(401);
    const summary = await app.inject({ method: 'GET', url: `/api/patients/${patient.id}/summary?name=Zebulon`, headers: cookieFor(token) });
    expect(summary.statusCode).toBe(200);
    expect(summary.json().patient.givenName).toBe('Zebulon');

    const log = lines.join('');
    expect(log).toContain(summary.headers['x-request-id']);
    expect(log).toContain(`/api/patients/${patient.id}/summary`);
    for (const secret of ['Hunter2', 'secret-person', 'Zebulon', 'Quixotic', 'name=', token]) expect(log).not.toContain(secret);
  });
});
