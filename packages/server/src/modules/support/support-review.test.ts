import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildPractice, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { fullProxyCategories } from '../proxies/proxy-access.ts';

let t: TestApp;
let orgId: string;
let support: string;
const get = (url: string, session?: string) => t.app.inject({ method: 'GET', url, headers: session ? cookieFor(session) : {} });
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
  support = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: orgId }));
});
afterAll(() => t.close());

describe('review probes: support console', () => {
  it('the audit report (opens by outside providers) does not show support a provider’s private reads as a parent of their own child', async () => {
    const practice = await buildPractice(t.db, orgId);
    const doctor = await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, practiceId: practice.id, mfa: true });
    // The pediatrician's own daughter is a patient of the hospital; the doctor is her guardian (a proxy), nothing to do with the practice.
    const { patient: daughter } = await buildPatient(t.db, orgId, { givenName: 'Private', familyName: 'Family', birthDate: '2016-01-01' });
    await t.db.insert(accessGrants).values({
      granteeUserId: doctor.id,
      patientId: daughter.id,
      kind: 'proxy',
      level: 'full',
      relationship: 'guardian',
      categories: [...fullProxyCategories],
    });
    const session = await signInAs(t.db, doctor);
    expect((await get(`/api/patients/${daughter.id}/record/summary`, session)).statusCode).toBe(200);
    const report = await get(`/api/support/audit-report?userId=${doctor.id}&from=${yesterday}&to=${tomorrow}`, support);
    expect(report.statusCode).toBe(200);
    const patients = report.json().entries.map((e: { patient: { id: string } }) => e.patient.id);
    expect(patients).not.toContain(daughter.id);
    const csv = await get(`/api/support/audit-report.csv?userId=${doctor.id}&from=${yesterday}&to=${tomorrow}`, support);
    expect(csv.body).not.toContain(daughter.mrn);
  });
});
