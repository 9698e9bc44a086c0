import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, messageThreads, organizations, patients, refillRequests } from '../../db/schema/index.ts';
import { buildUser, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { dayInZone } from '../access/access.policy.ts';
import { fullProxyCategories } from '../proxies/proxy-access.ts';
import { buildPrescription, buildRefillWorld, requester } from './refills.fixtures.ts';

/**
 * Issue 11 §1 and 42 CFR Part 2 on the refill pages: a prescription marked confidential (meta.security R) or of a
 * sensitive category is a record read like any other. A guardian of a 12-17 year old sees neither, cannot ask to renew
 * them (the 400 of an unknown id) and does not see the teen's requests for them; a full proxy of an adult without
 * per-person consent does not see the sensitive one but sees the confidential one (the policy's grantFilter).
 */
let t: TestApp;
let w: Awaited<ReturnType<typeof buildRefillWorld>>;
let http: ReturnType<typeof requester>;
const zone = 'America/Los_Angeles';
const restricted = { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] };
const newPharmacy = { name: 'Corner Pharmacy', address: '12 Elm St, Springfield', phone: '555-0142' };
const teen = { secret: '', hiv: '' };
const adult = { secret: '', hiv: '' };
let guardian = '';
let adultProxy = '';

/** A birth date `years` years and about half a year before today in the organization's zone: that age, far from a birthday. */
function birthDate(years: number): string {
  const [y, m, d] = dayInZone(new Date(), zone).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y - years, m - 1, d - 180)).toISOString().slice(0, 10);
}

/** A proxy account with a full grant on the patient, consenting to the sensitive categories listed. */
async function proxyOf(patientId: string, grant: { relationship: 'guardian' | 'invited'; grantedBy: string; sensitive: string[] }) {
  const user = await buildUser(t.db, { role: 'proxy', organizationId: w.organizationId });
  await t.db.insert(accessGrants).values({
    granteeUserId: user.id,
    patientId,
    kind: 'proxy',
    relationship: grant.relationship,
    level: 'full',
    categories: [...fullProxyCategories],
    sensitiveCategories: grant.sensitive,
    grantedBy: grant.grantedBy,
  });
  return signInAs(t.db, user);
}

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildRefillWorld(t);
  http = requester(t);
  await t.db.update(organizations).set({ timeZone: zone }).where(eq(organizations.id, w.organizationId));
  await t.db
    .update(patients)
    .set({ birthDate: birthDate(15) })
    .where(eq(patients.id, w.patient.id));
  const secret = { name: 'Norethindrone 0.35 MG Oral Tablet', code: '198042', directions: 'One tablet daily', meta: restricted };
  const hiv = {
    name: 'Emtricitabine 200 MG Oral Capsule',
    code: '403875',
    directions: 'One capsule daily',
    sensitiveCategory: 'hiv' as const,
  };
  teen.secret = (await buildPrescription(t, w.organizationId, w.patient.id, secret)).id;
  teen.hiv = (await buildPrescription(t, w.organizationId, w.patient.id, hiv)).id;
  adult.secret = (await buildPrescription(t, w.organizationId, w.other.id, secret)).id;
  adult.hiv = (await buildPrescription(t, w.organizationId, w.other.id, hiv)).id;
  // Every sensitive category consented: for a 12-17 year old the age band hides them all the same.
  const everyCategory = ['mental_health', 'substance_use', 'sexual_reproductive', 'hiv', 'genetics'];
  guardian = await proxyOf(w.patient.id, { relationship: 'guardian', grantedBy: w.pcp.id, sensitive: everyCategory });
  adultProxy = await proxyOf(w.other.id, { relationship: 'invited', grantedBy: w.other.userId, sensitive: [] });
});
afterAll(() => t.close());

const medicationsUrl = (patientId: string) => `/api/patients/${patientId}/refills/medications`;
const refillsUrl = (patientId: string) => `/api/patients/${patientId}/refills`;
const threadsUrl = (patientId: string) => `/api/patients/${patientId}/messages/threads`;

async function medicationIdsSeenBy(token: string, patientId: string): Promise<string[]> {
  const response = await http.get(token, medicationsUrl(patientId));
  expect(response.statusCode).toBe(200);
  return response
    .json<{ medications: { id: string }[] }>()
    .medications.map((m) => m.id)
    .sort();
}

async function request(token: string, patientId: string, medicationIds: string[]) {
  return http.post(token, refillsUrl(patientId), { medicationIds, newPharmacy, note: null });
}

async function refillsSeenBy(token: string, patientId: string) {
  const response = await http.get(token, refillsUrl(patientId));
  expect(response.statusCode).toBe(200);
  return { ids: response.json<{ refills: { id: string }[] }>().refills.map((r) => r.id), body: response.body };
}

describe('GET /api/patients/:id/refills/medications under the row filter', () => {
  it('hides the confidential and the hiv prescription from the guardian of a 15-year-old; the teen sees both (200)', async () => {
    expect(await medicationIdsSeenBy(guardian, w.patient.id)).toEqual([w.medications.lisinopril, w.medications.metformin].sort());
    expect(await medicationIdsSeenBy(w.patient.token, w.patient.id)).toEqual(
      [w.medications.lisinopril, w.medications.metformin, teen.secret, teen.hiv].sort(),
    );
  });

  it('hides the hiv prescription, not the confidential one, from a full proxy of an adult without consent (200)', async () => {
    expect(await medicationIdsSeenBy(adultProxy, w.other.id)).toEqual([w.medications.othersMedicine, adult.secret].sort());
    expect(await medicationIdsSeenBy(w.other.token, w.other.id)).toEqual([w.medications.othersMedicine, adult.secret, adult.hiv].sort());
  });
});

describe('POST /api/patients/:id/refills under the row filter', () => {
  it('answers the guardian of a 15-year-old 400 for a hidden prescription, exactly as for an unknown id, storing nothing', async () => {
    const errorOf = async (ids: string[]) => {
      const response = await request(guardian, w.patient.id, ids);
      expect(response.statusCode).toBe(400);
      const { requestId: _requestId, ...error } = response.json<{ error: { requestId: string } }>().error;
      return error;
    };
    const unknown = await errorOf([randomUUID()]);
    expect(unknown).toMatchObject({ code: 'validation_failed', field: 'medicationIds' });
    for (const ids of [[teen.secret], [teen.hiv], [w.medications.lisinopril, teen.secret]]) expect(await errorOf(ids)).toEqual(unknown);
    expect(await t.db.select().from(refillRequests).where(eq(refillRequests.patientId, w.patient.id))).toEqual([]);
  });

  it('answers a proxy of an adult without consent 400 for the hiv prescription and 201 for the confidential one', async () => {
    const hidden = await request(adultProxy, w.other.id, [adult.hiv]);
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().error).toMatchObject({ code: 'validation_failed', field: 'medicationIds' });
    const shown = await request(adultProxy, w.other.id, [adult.secret]);
    expect(shown.statusCode, shown.body).toBe(201);
  });
});

describe('GET /api/patients/:id/refills under the row filter', () => {
  it('leaves the teen’s requests for hidden prescriptions out of her guardian’s list and thread list; she sees them all', async () => {
    const make = async (ids: string[]) => {
      const response = await request(w.patient.token, w.patient.id, ids);
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ id: string; threadId: string }>();
    };
    const made = {
      plain: await make([w.medications.lisinopril]),
      secret: await make([teen.secret]),
      hiv: await make([teen.hiv]),
      mixed: await make([w.medications.metformin, teen.secret]),
    };

    const seenByGuardian = await refillsSeenBy(guardian, w.patient.id);
    expect(seenByGuardian.ids).toEqual([made.plain.id]);
    expect(seenByGuardian.body).not.toMatch(/Norethindrone|Emtricitabine/i);
    const seenByTeen = await refillsSeenBy(w.patient.token, w.patient.id);
    expect(seenByTeen.ids.sort()).toEqual([made.plain.id, made.secret.id, made.hiv.id, made.mixed.id].sort());

    // The thread naming a hidden prescription is kept from the guardian too; the care team's pool still has it.
    const threads = await http.get(guardian, threadsUrl(w.patient.id));
    expect(threads.statusCode).toBe(200);
    expect(threads.body).toContain(made.plain.threadId);
    for (const hidden of [made.secret, made.hiv, made.mixed]) {
      expect(threads.body).not.toContain(hidden.threadId);
      expect((await http.get(guardian, `${threadsUrl(w.patient.id)}/${hidden.threadId}`)).statusCode).toBe(404);
      expect((await http.get(w.pcp.token, `/api/inbox/threads/${hidden.threadId}`)).statusCode).toBe(200);
    }
    const [plainThread] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, made.plain.threadId));
    expect(plainThread?.confidential).toBe(false);

    // The home page's count of refills waiting says the same: three fewer for the guardian than for the teen.
    const waiting = async (token: string) =>
      (await http.get(token, `/api/patients/${w.patient.id}/summary`)).json<{ attention: { openRefills: number } }>().attention.openRefills;
    expect((await waiting(w.patient.token)) - (await waiting(guardian))).toBe(3);
  });

  it('leaves an adult’s request for the hiv prescription out of her proxy’s list, not the one for the confidential one', async () => {
    const hiv = await request(w.other.token, w.other.id, [adult.hiv]);
    expect(hiv.statusCode, hiv.body).toBe(201);
    const seen = await refillsSeenBy(adultProxy, w.other.id);
    expect(seen.ids).not.toContain(hiv.json().id);
    expect(seen.body).not.toMatch(/Emtricitabine/i);
    expect(seen.body).toMatch(/Norethindrone/i);
    expect((await refillsSeenBy(w.other.token, w.other.id)).ids).toContain(hiv.json().id);
  });
});

describe('a refill request the teen makes for a confidential prescription', () => {
  it('is answered by her clinician in the thread her guardian does not see', async () => {
    const made = await request(w.patient.token, w.patient.id, [teen.secret]);
    expect(made.statusCode).toBe(201);
    const { threadId } = made.json<{ threadId: string }>();
    const [thread] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, threadId));
    expect(thread?.confidential).toBe(true);
    const approved = await http.post(w.pcp.token, `/api/inbox/threads/${threadId}/refill/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await http.get(guardian, `${threadsUrl(w.patient.id)}/${threadId}`)).statusCode).toBe(404);
    const asTeen = await http.get(w.patient.token, `${threadsUrl(w.patient.id)}/${threadId}`);
    expect(asTeen.statusCode).toBe(200);
    expect(asTeen.body).toContain('was approved');
  });
});

describe('migration 0018: refill threads made before the rule', () => {
  it('marks a refill thread confidential when a medication it names is, and leaves a plain one alone', async () => {
    const hidden = await buildPrescription(t, w.organizationId, w.patient.id, {
      name: 'Sertraline 50 MG Oral Tablet',
      code: '312940',
      directions: 'Daily',
      sensitiveCategory: 'mental_health',
    });
    const shown = await buildPrescription(t, w.organizationId, w.patient.id, {
      name: 'Cetirizine 10 MG',
      code: '1014678',
      directions: 'Daily',
    });
    const made = {
      secret: await request(w.patient.token, w.patient.id, [hidden.id]),
      plain: await request(w.patient.token, w.patient.id, [shown.id]),
    };
    expect([made.secret.statusCode, made.plain.statusCode], made.secret.body).toEqual([201, 201]);
    const ids = { secret: made.secret.json().threadId as string, plain: made.plain.json().threadId as string };
    // As a refill thread was stored before the rule: not confidential.
    await t.db.update(messageThreads).set({ confidential: false }).where(eq(messageThreads.id, ids.secret));
    const migration = readFileSync(new URL('../../db/migrations/0018_confidential_refill_threads.sql', import.meta.url), 'utf8');
    await t.db.execute(sql.raw(migration));
    const confidentialOf = async (id: string) =>
      (await t.db.select().from(messageThreads).where(eq(messageThreads.id, id)))[0]?.confidential;
    expect(await confidentialOf(ids.secret)).toBe(true);
    expect(await confidentialOf(ids.plain)).toBe(false);
  });
});
