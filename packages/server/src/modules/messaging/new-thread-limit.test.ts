import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { messagingLimits } from '@portico/shared';
import { accessGrants, organizations, patients } from '../../db/schema/index.ts';
import { buildUser, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { dayInZone } from '../access/access.policy.ts';
import { fullProxyCategories } from '../proxies/proxy-access.ts';
import { buildMessagingWorld, newThread, requestsFor, type MessagingWorld, type Person } from './messaging.fixtures.ts';

/**
 * Security review (issue 11 §1): the daily limit of new conversations counts per author on the record. Counted per
 * patient, a guardian who started twenty threads stopped a 12-17 year old writing to her clinician privately, and a
 * 429 arriving early told the guardian how many threads he could not see.
 */
let t: TestApp;
let w: MessagingWorld;
let http: ReturnType<typeof requestsFor>;
let guardian: Person;
const zone = 'America/Los_Angeles';

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildMessagingWorld(t);
  http = requestsFor(t);
  await t.db.update(organizations).set({ timeZone: zone }).where(eq(organizations.id, w.orgA));
  const [y, m, d] = dayInZone(new Date(), zone).split('-').map(Number) as [number, number, number];
  const fifteen = new Date(Date.UTC(y - 15, m - 1, d)).toISOString().slice(0, 10);
  await t.db.update(patients).set({ birthDate: fifteen }).where(eq(patients.id, w.patient.patientId));
  const user = await buildUser(t.db, { role: 'proxy', organizationId: w.orgA });
  await t.db.insert(accessGrants).values({
    granteeUserId: user.id,
    patientId: w.patient.patientId,
    kind: 'proxy',
    relationship: 'guardian',
    level: 'full',
    categories: [...fullProxyCategories],
    grantedBy: w.pcp.id,
  });
  guardian = { id: user.id, name: 'Gary Guardian', token: await signInAs(t.db, user) };
});
afterAll(async () => t?.close());

const threadsUrl = () => `/api/patients/${w.patient.patientId}/messages/threads`;

describe('POST /api/patients/:id/messages/threads: the daily limit, per author', () => {
  it("does not let a guardian's 20 threads stop the teen's first private one, and answers the guardian's 21st with 429", async () => {
    for (let i = 0; i < messagingLimits.newThreadsPerDay; i++) {
      const started = await http.post(guardian, threadsUrl(), newThread(w));
      expect(started.statusCode, started.body).toBe(201);
    }
    const hers = await http.post(w.patient, threadsUrl(), newThread(w, { confidential: true }));
    expect(hers.statusCode, hers.body).toBe(201);
    const refused = await http.post(guardian, threadsUrl(), newThread(w));
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'too_many_requests' });
    expect(refused.json().error.message).toContain('20 conversations in the last 24 hours');
  });
});
