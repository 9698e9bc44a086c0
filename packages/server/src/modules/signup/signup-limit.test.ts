import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const attempt = (remoteAddress: string, payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/signup', headers: csrfHeaders, payload, remoteAddress });

describe('POST /api/signup identity-matching limit', () => {
  it('audits each miss and answers 429 after 20 misses from one address an hour; other addresses are unaffected', async () => {
    const { organization } = await buildOrganization(t.db);
    const { patient } = await buildPatient(t.db, organization.id, {
      mrn: 'LIMIT1',
      givenName: 'Robin',
      familyName: 'Limit',
      birthDate: '1970-01-02',
    });
    const guess = (n: number) => ({
      method: 'demographics',
      givenName: 'Robin',
      familyName: 'Limit',
      birthDate: `1970-01-${String(n + 3).padStart(2, '0')}`,
      mrn: patient.mrn,
      username: `guesser${n}`,
      email: `guesser${n}@example.test`,
      password: testPassword,
    });
    const statuses: number[] = [];
    for (let n = 0; n < 21; n++) statuses.push((await attempt('203.0.113.7', guess(n % 25))).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    expect(statuses[20]).toBe(429);
    const misses = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'account.sign_up'), eq(auditEvents.outcome, 'failure'), eq(auditEvents.ipAddress, '203.0.113.7')));
    expect(misses).toHaveLength(20);

    const right = { ...guess(0), birthDate: '1970-01-02', username: 'robin-limit', email: 'robin@example.test' };
    expect((await attempt('203.0.113.7', right)).json().error.code).toBe('too_many_attempts');
    expect((await attempt('203.0.113.8', right)).statusCode).toBe(201);
  });
});
