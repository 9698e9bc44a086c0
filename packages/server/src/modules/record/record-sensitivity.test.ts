import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accessGrants, auditEvents } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';

/**
 * The stored sensitive category is filtered by the policy's row filter (issue 9): hidden from grant holders unless the
 * patient consented, never from the patient or the treating organization.
 */
let t: TestApp;
let patientId = '';
let tokens: Record<'patient' | 'nurse' | 'careTeam', string>;
let careTeamGrantId = '';
const sct = 'http://snomed.info/sct';

beforeAll(async () => {
  t = await buildTestApp();
  const { organization, department } = await buildOrganization(t.db);
  const { patient, user } = await buildPatient(t.db, organization.id, { withAccount: true });
  patientId = patient.id;
  const condition = (code: string, display: string) => ({
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    category: [{ coding: [{ code: 'problem-list-item' }] }],
    code: { coding: [{ system: sct, code, display }], text: display },
    subject: { reference: `Patient/${patient.id}` },
    onsetDateTime: '2020-01-01',
  });
  const base = {
    organizationId: organization.id,
    patientId,
    category: 'problem-list-item',
    status: 'active',
    effectiveAt: new Date('2020-01-01'),
  };
  await buildFhirResource(t.db, { ...base, code: `${sct}|59621000`, resource: condition('59621000', 'Essential hypertension') });
  await buildFhirResource(t.db, {
    ...base,
    code: `${sct}|35489007`,
    sensitiveCategory: 'mental_health',
    resource: condition('35489007', 'Depressive disorder'),
  });
  // A provider of an outside practice of the patient's organization (not the PCP's): their care-team place is theirs.
  const outside = await buildUser(t.db, { role: 'outside_provider', organizationId: organization.id, mfa: true });
  const [grant] = await t.db
    .insert(accessGrants)
    .values({
      granteeUserId: outside.id,
      patientId,
      kind: 'care_team',
      level: 'read',
      categories: ['demographics', 'clinical'],
      reason: 'cardiology',
    })
    .returning({ id: accessGrants.id });
  careTeamGrantId = grant!.id;
  const nurse = await buildUser(t.db, { role: 'nurse', organizationId: organization.id, mfa: true, departmentId: department.id });
  tokens = { patient: await signInAs(t.db, user!), nurse: await signInAs(t.db, nurse), careTeam: await signInAs(t.db, outside) };
});
afterAll(() => t.close());

async function problemsSeenBy(token: string): Promise<string[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/record/summary`, headers: cookieFor(token) });
  expect(response.statusCode).toBe(200);
  return response.json<{ problems: { name: string }[] }>().problems.map((p) => p.name);
}

describe('sensitive categories in the health summary', () => {
  it('shows the patient and the treating nurse every problem', async () => {
    expect((await problemsSeenBy(tokens.patient)).sort()).toEqual(['Depressive disorder', 'Essential hypertension']);
    expect((await problemsSeenBy(tokens.nurse)).sort()).toEqual(['Depressive disorder', 'Essential hypertension']);
  });

  it('hides a mental-health problem from a care-team grant without consent, and shows it once the patient consents', async () => {
    const before = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${patientId}/record/summary`,
      headers: cookieFor(tokens.careTeam),
    });
    expect(before.body).not.toContain('Depressive');
    expect(await problemsSeenBy(tokens.careTeam)).toEqual(['Essential hypertension']);
    await t.db
      .update(accessGrants)
      .set({ sensitiveCategories: ['mental_health'] })
      .where(eq(accessGrants.id, careTeamGrantId));
    expect((await problemsSeenBy(tokens.careTeam)).sort()).toEqual(['Depressive disorder', 'Essential hypertension']);
  });

  it('audits the grant holder read with the relationship that allowed it', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${patientId}/record/summary`,
      headers: cookieFor(tokens.careTeam),
    });
    const requestId = response.headers['x-request-id'];
    expect(typeof requestId).toBe('string');
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(requestId)));
    expect(events).toMatchObject([
      { action: 'record.summary.read', outcome: 'success', patientId, details: { via: 'care_team', grantId: careTeamGrantId } },
    ]);
  });
});
