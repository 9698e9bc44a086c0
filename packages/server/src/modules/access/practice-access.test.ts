import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents, memberships, patients } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildPractice, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';

/**
 * Issue 12 §2 on a real database: an outside practice reaches the patients whose PCP is one of its physicians, read
 * from the session's memberships and the patient's row on every request, so a PCP change or a physician leaving the
 * practice takes effect on the next request. Sensitive and confidential content stays hidden.
 */
let t: TestApp;
let organizationId = '';
let patientId = '';
let tokens: Record<'pcp' | 'partner' | 'sponsored' | 'otherPractice' | 'otherOrganization', string>;
let partnerId = '';
let pcpId = '';
const sct = 'http://snomed.info/sct';

const summary = (token: string, id = patientId) =>
  t.app.inject({ method: 'GET', url: `/api/patients/${id}/record/summary`, headers: cookieFor(token) });

beforeAll(async () => {
  t = await buildTestApp();
  const { organization } = await buildOrganization(t.db);
  organizationId = organization.id;
  const practice = await buildPractice(t.db, organizationId, 'Harbor Pediatrics');
  const pcp = await buildUser(t.db, { role: 'outside_provider', organizationId, practiceId: practice.id, mfa: true });
  const partner = await buildUser(t.db, { role: 'outside_provider', organizationId, practiceId: practice.id, mfa: true });
  const sponsored = await buildUser(t.db, {
    role: 'sponsored_staff',
    organizationId,
    practiceId: practice.id,
    sponsorUserId: partner.id,
    mfa: true,
  });
  const otherPractice = await buildUser(t.db, { role: 'outside_provider', organizationId, mfa: true });
  const elsewhere = (await buildOrganization(t.db)).organization.id;
  const otherOrganization = await buildUser(t.db, {
    role: 'outside_provider',
    organizationId: elsewhere,
    practiceId: practice.id,
    mfa: true,
  });
  pcpId = pcp.id;
  partnerId = partner.id;
  const { patient } = await buildPatient(t.db, organizationId, { pcpId: pcp.id });
  patientId = patient.id;
  const condition = (code: string, display: string) => ({
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    category: [{ coding: [{ code: 'problem-list-item' }] }],
    code: { coding: [{ system: sct, code, display }], text: display },
    subject: { reference: `Patient/${patient.id}` },
    onsetDateTime: '2020-01-01',
  });
  const base = { organizationId, patientId, category: 'problem-list-item', status: 'active', effectiveAt: new Date('2020-01-01') };
  await buildFhirResource(t.db, { ...base, code: `${sct}|195967001`, resource: condition('195967001', 'Asthma') });
  await buildFhirResource(t.db, {
    ...base,
    code: `${sct}|35489007`,
    sensitiveCategory: 'mental_health',
    resource: condition('35489007', 'Depressive disorder'),
  });
  tokens = {
    pcp: await signInAs(t.db, pcp),
    partner: await signInAs(t.db, partner),
    sponsored: await signInAs(t.db, sponsored),
    otherPractice: await signInAs(t.db, otherPractice),
    otherOrganization: await signInAs(t.db, otherOrganization),
  };
});
afterAll(() => t.close());

describe('an outside practice reaches the patients of its physicians', () => {
  it('opens the chart for the PCP, a practice partner and staff a partner sponsors, without sensitive problems', async () => {
    for (const who of ['pcp', 'partner', 'sponsored'] as const) {
      const response = await summary(tokens[who]);
      expect(response.statusCode, who).toBe(200);
      expect(response.json<{ problems: { name: string }[] }>().problems.map((p) => p.name)).toEqual(['Asthma']);
    }
  });

  it('audits the read as through the PCP’s practice', async () => {
    const response = await summary(tokens.sponsored);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));
    expect(event).toMatchObject({ outcome: 'success', patientId });
    expect(event!.details).toMatchObject({ via: 'pcp_practice', reason: 'pcp_practice_sponsored_staff' });
  });

  it('answers 404 to another practice, and to the same practice’s member in another organization', async () => {
    for (const who of ['otherPractice', 'otherOrganization'] as const) {
      const response = await summary(tokens[who]);
      expect(response.statusCode, who).toBe(404);
      expect(response.body).not.toMatch(/Asthma/);
    }
  });

  it('never writes, nor reads messages or settings, through the practice', async () => {
    const messages = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${patientId}/messages/threads`,
      headers: cookieFor(tokens.pcp),
    });
    expect(messages.statusCode).toBe(404);
    const activity = await t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/activity`, headers: cookieFor(tokens.pcp) });
    expect(activity.statusCode).toBe(404);
  });

  it('follows a PCP change and a physician leaving the practice on the next request', async () => {
    expect((await summary(tokens.partner)).statusCode).toBe(200);
    // The partner leaves the practice: their own access ends, and their sponsored staff no longer reach the PCP's patients
    // through them, but the PCP is still of the practice, so the sponsored member still does.
    await t.db
      .update(memberships)
      .set({ endedAt: new Date() })
      .where(and(eq(memberships.userId, partnerId), eq(memberships.kind, 'practice')));
    expect((await summary(tokens.partner)).statusCode).toBe(404);
    expect((await summary(tokens.sponsored)).statusCode).toBe(200);
    // The family names another PCP, outside the practice: nobody of the practice reaches the patient any more.
    const { id: newPcp } = await buildUser(t.db, { role: 'outside_provider', organizationId });
    await t.db.update(patients).set({ pcpId: newPcp }).where(eq(patients.id, patientId));
    expect((await summary(tokens.pcp)).statusCode).toBe(404);
    expect((await summary(tokens.sponsored)).statusCode).toBe(404);
    await t.db.update(patients).set({ pcpId }).where(eq(patients.id, patientId));
    expect((await summary(tokens.pcp)).statusCode).toBe(200);
  });

  it('does not offer an outside PCP as "my doctor" to book with: they have no schedule at the health system', async () => {
    const { patient, user } = await buildPatient(t.db, organizationId, { withAccount: true, pcpId });
    const options = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${patient.id}/scheduling/options`,
      headers: cookieFor(await signInAs(t.db, user!)),
    });
    expect(options.statusCode).toBe(200);
    expect(options.json().pcp).toBeNull();
  });

  it('answers 401 without a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/record/summary` });
    expect(response.statusCode).toBe(401);
  });
});
