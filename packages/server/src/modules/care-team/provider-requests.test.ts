import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, auditEvents, outsideAccessRequests } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { buildOutsideProvider, buildOutsideRequest, buildProxyOf } from './care-team.fixtures.ts';

let t: TestApp;
let orgId: string;
/** An adult patient with an account; a 6-year-old (no account) and their guardian; a stranger. */
let pat: { patientId: string; userId: string; token: string; givenName: string; familyName: string; mrn: string };
let child: { patientId: string; guardian: string; guardianUserId: string };
let stranger: { patientId: string; token: string };
let adultsProxy: string;
let clinician: string;

const yearsAgo = (years: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate() - 7)).toISOString().slice(0, 10);
};
const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const list = (patientId: string, token?: string) =>
  t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/provider-requests`, headers: token ? cookieFor(token) : {} });
const decide = (patientId: string, requestId: string, verb: 'approve' | 'deny', token?: string, payload?: object) =>
  t.app.inject({
    method: 'POST',
    url: `/api/patients/${patientId}/provider-requests/${requestId}/${verb}`,
    headers: headers(token),
    ...(payload ? { payload } : {}),
  });

/** A provider of the organization and their pending non-PCP request for the patient. */
async function pendingFor(patientId: string, values: Partial<typeof outsideAccessRequests.$inferInsert> = {}) {
  const provider = await buildOutsideProvider(t.db, orgId, { practiceName: 'Coastal Cardiology' });
  const request = await buildOutsideRequest(t.db, { organizationId: orgId, patientId, requesterUserId: provider.id, ...values });
  return { provider, request };
}

async function requestRow(id: string) {
  const [row] = await t.db.select().from(outsideAccessRequests).where(eq(outsideAccessRequests.id, id));
  return row!;
}

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db, 'Riverside Health')).organization.id;
  const p = await buildPatient(t.db, orgId, { withAccount: true, givenName: 'Quinlan', familyName: 'Marchetti' });
  pat = {
    patientId: p.patient.id,
    userId: p.user!.id,
    token: await signInAs(t.db, p.user!),
    givenName: 'Quinlan',
    familyName: 'Marchetti',
    mrn: p.patient.mrn,
  };
  const c = await buildPatient(t.db, orgId, { birthDate: yearsAgo(6) });
  const guardian = await buildProxyOf(t.db, orgId, c.patient.id, { relationship: 'guardian' });
  child = { patientId: c.patient.id, guardian: await signInAs(t.db, guardian.user), guardianUserId: guardian.user.id };
  adultsProxy = await signInAs(
    t.db,
    (await buildProxyOf(t.db, orgId, pat.patientId, { relationship: 'invited', grantedBy: pat.userId })).user,
  );
  const s = await buildPatient(t.db, orgId, { withAccount: true });
  stranger = { patientId: s.patient.id, token: await signInAs(t.db, s.user!) };
  clinician = await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: orgId }));
});
afterAll(() => t.close());

describe('GET /api/patients/:id/provider-requests', () => {
  it('lists the pending non-PCP requests routed to the patient, with who asks and why; audited', async () => {
    const { provider, request } = await pendingFor(pat.patientId, { reason: 'Echo before surgery' });
    const toSupport = await pendingFor(pat.patientId, { routedTo: 'support' });
    const decided = await pendingFor(pat.patientId, { status: 'denied', decidedAt: new Date() });
    const pcp = await pendingFor(pat.patientId, { kind: 'pcp', routedTo: 'support' });
    const response = await list(pat.patientId, pat.token);
    expect(response.statusCode).toBe(200);
    const { requests } = response.json();
    expect(requests).toContainEqual({
      id: request.id,
      providerName: provider.displayName,
      credentials: 'MD',
      practiceName: 'Coastal Cardiology',
      reason: 'Echo before surgery',
      createdAt: request.createdAt.toISOString(),
    });
    const ids = requests.map((r: { id: string }) => r.id);
    for (const other of [toSupport, decided, pcp]) expect(ids).not.toContain(other.request.id);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'outside_request.list'), eq(auditEvents.patientId, pat.patientId)));
    expect(events.at(-1)).toMatchObject({ outcome: 'success' });
  });

  it('lets a guardian list a child’s requests', async () => {
    const { request } = await pendingFor(child.patientId);
    const response = await list(child.patientId, child.guardian);
    expect(response.json().requests.map((r: { id: string }) => r.id)).toContain(request.id);
  });

  it('answers 400 for a malformed id, 401 without a session, 404 to another patient and to staff', async () => {
    expect((await list('nope', pat.token)).statusCode).toBe(400);
    expect((await list(pat.patientId)).statusCode).toBe(401);
    expect((await list(pat.patientId, stranger.token)).statusCode).toBe(404);
    expect((await list(pat.patientId, clinician)).statusCode).toBe(404);
  });
});

describe('POST /api/patients/:id/provider-requests/:requestId/approve', () => {
  it('gives the provider an approved-request grant, records the decision, and emails them without patient data', async () => {
    const { provider, request } = await pendingFor(pat.patientId);
    const session = await signInAs(t.db, provider);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/patients/${pat.patientId}/record/summary`, headers: cookieFor(session) })).statusCode,
    ).toBe(404);
    const response = await decide(pat.patientId, request.id, 'approve', pat.token, { sensitiveCategories: ['mental_health'] });
    expect(response.statusCode).toBe(200);
    const row = await requestRow(request.id);
    expect(row).toMatchObject({ status: 'approved', decidedBy: pat.userId });
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, row.grantId!));
    expect(grant).toMatchObject({
      kind: 'approved_request',
      level: 'read',
      categories: ['demographics', 'clinical', 'appointments'],
      sensitiveCategories: ['mental_health'],
      grantedBy: pat.userId,
      granteeUserId: provider.id,
    });
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/patients/${pat.patientId}/record/summary`, headers: cookieFor(session) })).statusCode,
    ).toBe(200);
    const mail = (await t.mail()).find((m) => m.toAddress === provider.email);
    expect(mail?.subject).toBe("You were granted access to a patient's record in MyPatients");
    expect(mail?.text).toContain('Riverside Health');
    for (const secret of [pat.givenName, pat.familyName, pat.mrn, pat.patientId]) expect(mail?.text).not.toContain(secret);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'outside_request.approve'), eq(auditEvents.patientId, pat.patientId)));
    expect(event).toMatchObject({ outcome: 'success' });
    expect(event!.details).toMatchObject({ requestId: request.id, grantId: row.grantId });
  });

  it('emails a provider in their language', async () => {
    const provider = await buildOutsideProvider(t.db, orgId, { locale: 'es' });
    const request = await buildOutsideRequest(t.db, { organizationId: orgId, patientId: pat.patientId, requesterUserId: provider.id });
    expect((await decide(pat.patientId, request.id, 'approve', pat.token)).statusCode).toBe(200);
    const mail = (await t.mail()).find((m) => m.toAddress === provider.email);
    expect(mail?.subject).toBe('Se le dio acceso al expediente de un paciente en MyPatients');
  });

  it('reuses an approved-request grant already in force, widening its consent', async () => {
    const { provider, request } = await pendingFor(pat.patientId);
    const [existing] = await t.db
      .insert(accessGrants)
      .values({
        kind: 'approved_request',
        granteeUserId: provider.id,
        patientId: pat.patientId,
        level: 'read',
        categories: ['demographics', 'clinical', 'appointments'],
        sensitiveCategories: ['hiv'],
      })
      .returning();
    expect((await decide(pat.patientId, request.id, 'approve', pat.token, { sensitiveCategories: ['genetics'] })).statusCode).toBe(200);
    expect((await requestRow(request.id)).grantId).toBe(existing!.id);
    const grants = await t.db
      .select()
      .from(accessGrants)
      .where(and(eq(accessGrants.granteeUserId, provider.id), eq(accessGrants.patientId, pat.patientId)));
    expect(grants).toHaveLength(1);
    expect(grants[0]!.sensitiveCategories).toEqual(['hiv', 'genetics']);
  });

  it('lets a guardian approve for a child, consenting to sensitive categories for them', async () => {
    const { request } = await pendingFor(child.patientId);
    expect(
      (await decide(child.patientId, request.id, 'approve', child.guardian, { sensitiveCategories: ['substance_use'] })).statusCode,
    ).toBe(200);
    const row = await requestRow(request.id);
    expect(row.decidedBy).toBe(child.guardianUserId);
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, row.grantId!));
    expect(grant!.sensitiveCategories).toEqual(['substance_use']);
  });

  it('answers 403 when a proxy of an adult consents to sensitive categories; the proxy may approve without them', async () => {
    const { request } = await pendingFor(pat.patientId);
    const refused = await decide(pat.patientId, request.id, 'approve', adultsProxy, { sensitiveCategories: ['hiv'] });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('own_consent');
    expect((await requestRow(request.id)).status).toBe('pending');
    expect((await decide(pat.patientId, request.id, 'approve', adultsProxy)).statusCode).toBe(200);
  });

  it('answers 409 for a request already decided', async () => {
    const { request } = await pendingFor(pat.patientId);
    expect((await decide(pat.patientId, request.id, 'approve', pat.token)).statusCode).toBe(200);
    const again = await decide(pat.patientId, request.id, 'approve', pat.token);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('request_not_pending');
    expect((await decide(pat.patientId, request.id, 'deny', pat.token)).statusCode).toBe(409);
  });

  it('answers 404 for a request of another patient, one routed to support, a PCP request and an unknown one', async () => {
    const theirs = await pendingFor(stranger.patientId);
    const toSupport = await pendingFor(pat.patientId, { routedTo: 'support' });
    const pcp = await pendingFor(pat.patientId, { kind: 'pcp', routedTo: 'support' });
    for (const id of [theirs.request.id, toSupport.request.id, pcp.request.id, randomUUID()])
      expect((await decide(pat.patientId, id, 'approve', pat.token)).statusCode).toBe(404);
    expect((await requestRow(theirs.request.id)).status).toBe('pending');
  });

  it('answers 400 for an unknown category, 401 without a session, 404 to a stranger and to staff', async () => {
    const { request } = await pendingFor(pat.patientId);
    expect((await decide(pat.patientId, request.id, 'approve', pat.token, { sensitiveCategories: ['gossip'] })).statusCode).toBe(400);
    expect((await decide(pat.patientId, 'nope', 'approve', pat.token)).statusCode).toBe(400);
    expect((await decide(pat.patientId, request.id, 'approve')).statusCode).toBe(401);
    expect((await decide(pat.patientId, request.id, 'approve', stranger.token)).statusCode).toBe(404);
    expect((await decide(pat.patientId, request.id, 'approve', clinician)).statusCode).toBe(404);
    expect((await requestRow(request.id)).status).toBe('pending');
  });
});

describe('POST /api/patients/:id/provider-requests/:requestId/deny', () => {
  it('closes the request with the note and gives no access', async () => {
    const { request } = await pendingFor(pat.patientId);
    const response = await decide(pat.patientId, request.id, 'deny', pat.token, { note: 'I do not know this doctor' });
    expect(response.statusCode).toBe(200);
    expect(await requestRow(request.id)).toMatchObject({
      status: 'denied',
      decisionNote: 'I do not know this doctor',
      grantId: null,
      decidedBy: pat.userId,
    });
    expect((await list(pat.patientId, pat.token)).json().requests.map((r: { id: string }) => r.id)).not.toContain(request.id);
  });

  it('lets a guardian deny for a child', async () => {
    const { request } = await pendingFor(child.patientId);
    expect((await decide(child.patientId, request.id, 'deny', child.guardian)).statusCode).toBe(200);
    expect((await requestRow(request.id)).status).toBe('denied');
  });

  it('answers 400 for a note too long, 401 without a session, 404 to another patient, 409 once decided', async () => {
    const { request } = await pendingFor(pat.patientId);
    expect((await decide(pat.patientId, request.id, 'deny', pat.token, { note: 'x'.repeat(1001) })).statusCode).toBe(400);
    expect((await decide(pat.patientId, request.id, 'deny')).statusCode).toBe(401);
    expect((await decide(pat.patientId, request.id, 'deny', stranger.token)).statusCode).toBe(404);
    expect((await decide(stranger.patientId, request.id, 'deny', stranger.token)).statusCode).toBe(404);
    expect((await decide(pat.patientId, request.id, 'deny', pat.token)).statusCode).toBe(200);
    expect((await decide(pat.patientId, request.id, 'deny', pat.token)).statusCode).toBe(409);
  });
});
