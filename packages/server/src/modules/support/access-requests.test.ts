import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accessGrants, organizations, outsideAccessRequests, patients } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildPractice, buildUser, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { auditOf, buildOutsideRequest, supportClient } from './support-test-helpers.ts';

let t: TestApp;
let orgId: string;
let otherOrgId: string;
let support: string;
let otherSupport: string;
let clinician: string;
/** A physician of Harbor practice (the requester), their partner, and a sponsored nurse of the practice. */
let requesterId: string;
let requester: string;
let partnerId: string;
let nurseId: string;
let outsiderId: string;
let client: ReturnType<typeof supportClient>;

beforeAll(async () => {
  t = await buildTestApp();
  client = supportClient(t);
  orgId = (await buildOrganization(t.db)).organization.id;
  otherOrgId = (await buildOrganization(t.db)).organization.id;
  const practice = await buildPractice(t.db, orgId);
  const physician = await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, practiceId: practice.id, mfa: true });
  requesterId = physician.id;
  requester = await signInAs(t.db, physician);
  partnerId = (await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, practiceId: practice.id, mfa: true })).id;
  nurseId = (
    await buildUser(t.db, { role: 'sponsored_staff', organizationId: orgId, practiceId: practice.id, sponsorUserId: partnerId, mfa: true })
  ).id;
  outsiderId = (await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, mfa: true })).id;
  support = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: orgId }));
  otherSupport = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: otherOrgId }));
  clinician = await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: orgId }));
});
afterAll(() => t.close());

async function pcpRequest(overrides: { requesterUserId?: string; createdAt?: Date } = {}) {
  const { patient } = await buildPatient(t.db, orgId, { birthDate: '2015-04-02' });
  const request = await buildOutsideRequest(t.db, {
    organizationId: orgId,
    patientId: patient.id,
    requesterUserId: overrides.requesterUserId ?? requesterId,
    kind: 'pcp',
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  });
  return { patient, request };
}

const approvePcp = (id: string, body: object, session = support) =>
  client.post(`/api/support/access-requests/${id}/approve-pcp`, body, session);
const confirmation = (physicianUserId: string) => ({
  confirmedBy: 'Maria Lopez, mother',
  confirmedAt: '2026-03-10T15:00:00Z',
  physicianUserId,
});

describe('GET /api/support/access-requests', () => {
  it('lists the organization’s PCP requests oldest first with the provider, the patient and a 3-business-day clock, audited per patient', async () => {
    await t.db.update(organizations).set({ timeZone: 'America/New_York' }).where(eq(organizations.id, orgId));
    // Friday 2026-03-13 10:00 in New York: due Wednesday 2026-03-18 10:00.
    const older = await pcpRequest({ createdAt: new Date('2026-03-13T14:00:00Z') });
    const newer = await pcpRequest({ requesterUserId: nurseId });
    const response = await client.get('/api/support/access-requests?kind=pcp&status=pending', support);
    expect(response.statusCode).toBe(200);
    const requests = response.json<{
      requests: {
        id: string;
        dueAt: string;
        patient: { mrn: string };
        provider: { userId: string; practiceName: string };
        physicians: { userId: string }[];
      }[];
    }>().requests;
    const ids = requests.map((r) => r.id);
    expect(ids.indexOf(older.request.id)).toBeLessThan(ids.indexOf(newer.request.id));
    const first = requests.find((r) => r.id === older.request.id)!;
    expect(first.dueAt).toBe('2026-03-18T14:00:00.000Z');
    expect(first.patient.mrn).toBe(older.patient.mrn);
    expect(first.provider.userId).toBe(requesterId);
    expect(first.physicians.map((p) => p.userId).sort()).toEqual([requesterId, partnerId].sort());
    const reads = await auditOf(t.db, 'support.access_request.patient.read', older.patient.id);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ patientId: older.patient.id, objectType: 'Patient', outcome: 'success' });
  });

  it('answers 400 for a kind that does not exist', async () => {
    const response = await client.get('/api/support/access-requests?kind=other', support);
    expect(response.statusCode).toBe(400);
  });

  it('answers 401 without a session and 403 to a clinician or a provider', async () => {
    expect((await client.get('/api/support/access-requests?kind=pcp')).statusCode).toBe(401);
    expect((await client.get('/api/support/access-requests?kind=pcp', clinician)).statusCode).toBe(403);
    expect((await client.get('/api/support/access-requests?kind=pcp', requester)).statusCode).toBe(403);
  });

  it('does not show another organization’s requests', async () => {
    const { request } = await pcpRequest();
    const response = await client.get('/api/support/access-requests?kind=pcp', otherSupport);
    expect(response.statusCode).toBe(200);
    expect(response.json<{ requests: { id: string }[] }>().requests.map((r) => r.id)).not.toContain(request.id);
  });
});

describe('POST /api/support/access-requests/:id/approve-pcp', () => {
  it('updates the PCP so the provider’s chart read goes from 404 to 200, records the note and emails the requester', async () => {
    const { patient, request } = await pcpRequest();
    const chart = () => client.get(`/api/patients/${patient.id}/record/summary`, requester);
    expect((await chart()).statusCode).toBe(404);
    const response = await approvePcp(request.id, confirmation(partnerId));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ request: { id: request.id, status: 'approved' } });
    expect((await chart()).statusCode).toBe(200);
    const [stored] = await t.db.select().from(outsideAccessRequests).where(eq(outsideAccessRequests.id, request.id));
    expect(stored!.decisionNote).toContain('Maria Lopez, mother');
    const [updated] = await t.db.select({ pcpId: patients.pcpId }).from(patients).where(eq(patients.id, patient.id));
    expect(updated!.pcpId).toBe(partnerId);
    const mail = await t.mail();
    const sent = mail.find((m) => m.subject === 'Your PCP request was completed');
    expect(sent).toBeDefined();
    expect(sent!.text).not.toContain(patient.familyName);
    expect(await auditOf(t.db, 'support.access_request.approve_pcp', request.id)).toHaveLength(1);
  });

  it('names a physician of the practice for a sponsored user’s request', async () => {
    const { request } = await pcpRequest({ requesterUserId: nurseId });
    expect((await approvePcp(request.id, confirmation(partnerId))).statusCode).toBe(200);
  });

  it('answers 400 without the confirmation, and for a physician of another practice', async () => {
    const { request } = await pcpRequest();
    const missing = await approvePcp(request.id, { physicianUserId: partnerId });
    expect(missing.statusCode).toBe(400);
    const future = await approvePcp(request.id, {
      ...confirmation(partnerId),
      confirmedAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.field).toBe('confirmedAt');
    const outsider = await approvePcp(request.id, confirmation(outsiderId));
    expect(outsider.statusCode).toBe(400);
    expect(outsider.json().error.field).toBe('physicianUserId');
    const [stored] = await t.db.select().from(outsideAccessRequests).where(eq(outsideAccessRequests.id, request.id));
    expect(stored!.status).toBe('pending');
  });

  it('answers 401, 403 to a provider, and 404 to another organization’s support team', async () => {
    const { request } = await pcpRequest();
    expect((await client.post(`/api/support/access-requests/${request.id}/approve-pcp`, confirmation(partnerId))).statusCode).toBe(401);
    expect((await approvePcp(request.id, confirmation(partnerId), requester)).statusCode).toBe(403);
    expect((await approvePcp(request.id, confirmation(partnerId), otherSupport)).statusCode).toBe(404);
  });

  it('answers 409 when the request was already decided', async () => {
    const { request } = await pcpRequest();
    expect((await approvePcp(request.id, confirmation(partnerId))).statusCode).toBe(200);
    const second = await approvePcp(request.id, confirmation(partnerId));
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('request_not_pending');
  });
});

describe('POST /api/support/access-requests/:id/deny', () => {
  it('denies with the note, and a second decision is 409', async () => {
    const { request } = await pcpRequest();
    const response = await client.post(
      `/api/support/access-requests/${request.id}/deny`,
      { note: 'The family named another PCP.' },
      support,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ request: { status: 'denied' } });
    const again = await client.post(`/api/support/access-requests/${request.id}/deny`, { note: 'Again' }, support);
    expect(again.statusCode).toBe(409);
  });

  it('answers 400 without a note, 403 to a clinician and 404 to another organization', async () => {
    const { request } = await pcpRequest();
    expect((await client.post(`/api/support/access-requests/${request.id}/deny`, {}, support)).statusCode).toBe(400);
    expect((await client.post(`/api/support/access-requests/${request.id}/deny`, { note: 'x' }, clinician)).statusCode).toBe(403);
    expect((await client.post(`/api/support/access-requests/${request.id}/deny`, { note: 'x' }, otherSupport)).statusCode).toBe(404);
  });
});

describe('POST /api/support/access-requests/:id/approve (non-PCP)', () => {
  it('grants the provider the patient’s chart through an approved request', async () => {
    const { patient } = await buildPatient(t.db, orgId);
    const request = await buildOutsideRequest(t.db, {
      organizationId: orgId,
      patientId: patient.id,
      requesterUserId: outsiderId,
      kind: 'non_pcp',
    });
    const listed = await client.get('/api/support/access-requests?kind=non_pcp', support);
    expect(listed.json<{ requests: { id: string }[] }>().requests.map((r) => r.id)).toContain(request.id);
    const response = await client.post(`/api/support/access-requests/${request.id}/approve`, {}, support);
    expect(response.statusCode).toBe(200);
    const grants = await t.db.select().from(accessGrants).where(eq(accessGrants.patientId, patient.id));
    expect(grants.map((g) => [g.kind, g.granteeUserId])).toEqual([['approved_request', outsiderId]]);
  });

  it('answers 400 for a note too long or a malformed id, 401 without a session and 403 to a provider', async () => {
    const { patient } = await buildPatient(t.db, orgId);
    const request = await buildOutsideRequest(t.db, {
      organizationId: orgId,
      patientId: patient.id,
      requesterUserId: outsiderId,
      kind: 'non_pcp',
    });
    const url = `/api/support/access-requests/${request.id}/approve`;
    expect((await client.post(url, { note: 'x'.repeat(1001) }, support)).statusCode).toBe(400);
    expect((await client.post('/api/support/access-requests/nope/approve', {}, support)).statusCode).toBe(400);
    expect((await client.post(url, {})).statusCode).toBe(401);
    expect((await client.post(url, {}, requester)).statusCode).toBe(403);
    expect((await client.post(url, {}, otherSupport)).statusCode).toBe(404);
  });

  it('answers 409 for a PCP request and 404 for a request routed to the patient', async () => {
    const { request } = await pcpRequest();
    expect((await client.post(`/api/support/access-requests/${request.id}/approve`, {}, support)).statusCode).toBe(409);
    const { patient } = await buildPatient(t.db, orgId);
    const toPatient = await buildOutsideRequest(t.db, {
      organizationId: orgId,
      patientId: patient.id,
      requesterUserId: outsiderId,
      kind: 'non_pcp',
      routedTo: 'patient',
    });
    expect((await client.post(`/api/support/access-requests/${toPatient.id}/approve`, {}, support)).statusCode).toBe(404);
  });
});
