import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import {
  accessGrants,
  auditEvents,
  organizations,
  outsideAccessRequests,
  patients,
  providerTokens,
  type users,
} from '../../db/schema/index.ts';
import { generateHumanCode, hashHumanCode } from '../../security/crypto.ts';
import { buildOrganization, buildPatient, buildPractice, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { failedValidationsPerHour, requestsPerDay } from './mypatients.service.ts';

/**
 * Issue 12 §2 on a real database: patient selection (by name and date of birth, or MRN) shows a practice's own patients
 * by name and every other match as "not authorized" with nothing about them; access requests go to support (PCP) or to
 * the patient's side (non-PCP), once per kind; a token issued by the patient, with its MRN, opens the chart.
 */
let t: TestApp;
let organizationId = '';
let otherOrganizationId = '';
type User = typeof users.$inferSelect;
let physician: User;
let partner: User;
let sponsored: User;
let outsider: User;
let clinician: User;
let patientUser: User;
const tokens: Record<string, string> = {};
let ownPatient = { id: '', mrn: '', familyName: '', givenName: '', birthDate: '' };
let strangerId = '';
let strangerMrn = '';
let strangerAccountEmail = '';
let guardianEmail = '';

const family = () => `Zephyr${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  t = await buildTestApp();
  const { organization } = await buildOrganization(t.db);
  organizationId = organization.id;
  otherOrganizationId = (await buildOrganization(t.db)).organization.id;
  const practice = await buildPractice(t.db, organizationId, 'Harbor Pediatrics');
  physician = await buildUser(t.db, { role: 'outside_provider', organizationId, practiceId: practice.id, mfa: true });
  partner = await buildUser(t.db, { role: 'outside_provider', organizationId, practiceId: practice.id, mfa: true });
  sponsored = await buildUser(t.db, {
    role: 'sponsored_staff',
    organizationId,
    practiceId: practice.id,
    sponsorUserId: physician.id,
    mfa: true,
  });
  outsider = await buildUser(t.db, { role: 'outside_provider', organizationId, mfa: true });
  clinician = await buildUser(t.db, { role: 'clinician', organizationId, mfa: true });
  patientUser = await buildUser(t.db, { role: 'patient', organizationId });
  for (const [name, user] of Object.entries({ physician, partner, sponsored, outsider, clinician, patientUser }))
    tokens[name] = await signInAs(t.db, user);

  // The partner is the PCP: the sponsored user (sponsored by the other physician) reaches the patient through the practice.
  const own = await buildPatient(t.db, organizationId, {
    pcpId: partner.id,
    givenName: 'Maya',
    familyName: family(),
    birthDate: '2015-03-04',
  });
  ownPatient = { ...own.patient, birthDate: own.patient.birthDate };
  // A patient of the organization nobody of the practice cares for, with an account and a guardian.
  const stranger = await buildPatient(t.db, organizationId, {
    withAccount: true,
    givenName: 'Noor',
    familyName: family(),
    birthDate: '2016-07-08',
  });
  strangerId = stranger.patient.id;
  strangerMrn = stranger.patient.mrn;
  strangerAccountEmail = stranger.user!.email;
  const guardian = await buildUser(t.db, { role: 'proxy' });
  guardianEmail = guardian.email;
  await t.db.insert(accessGrants).values({
    granteeUserId: guardian.id,
    patientId: strangerId,
    kind: 'proxy',
    level: 'full',
    categories: ['demographics', 'clinical', 'appointments', 'billing', 'preferences', 'messages'],
    relationship: 'guardian',
    grantedBy: clinician.id,
  });
});
afterAll(() => t.close());

const post = (url: string, token: string | null, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: { ...csrfHeaders, ...(token ? cookieFor(token) : {}) }, payload: payload as object });
const search = (token: string | null, payload: unknown) => post('/api/mypatients/search', token, payload);
const requestAccess = (token: string | null, payload: unknown) => post('/api/mypatients/requests', token, payload);
const validate = (token: string | null, payload: unknown) => post('/api/mypatients/tokens/validate', token, payload);
const listRequests = (token: string | null) =>
  t.app.inject({ method: 'GET', url: '/api/mypatients/requests', headers: token ? cookieFor(token) : {} });

/** A patient of the organization, not the practice's. */
async function strangerPatient(options: { mrn?: string; birthDate?: string; givenName?: string; familyName?: string } = {}) {
  return (await buildPatient(t.db, organizationId, { familyName: family(), ...options })).patient;
}

describe('POST /api/mypatients/search', () => {
  it('finds a practice patient by family name (any case) and birth date, by name, DOB, MRN, through the practice', async () => {
    const response = await search(tokens.sponsored!, { familyName: ownPatient.familyName.toUpperCase(), birthDate: ownPatient.birthDate });
    expect(response.statusCode).toBe(200);
    expect(response.json().patients).toEqual([
      {
        patientId: ownPatient.id,
        authorized: true,
        givenName: 'Maya',
        familyName: ownPatient.familyName,
        birthDate: ownPatient.birthDate,
        mrn: ownPatient.mrn,
        via: 'pcp_practice',
      },
    ]);
  });

  it('matches the given name by its beginning, and nothing with another birth date or a longer family name', async () => {
    const hit = await search(tokens.physician!, { familyName: ownPatient.familyName, givenName: 'ma', birthDate: ownPatient.birthDate });
    expect(hit.json().patients).toHaveLength(1);
    const wrongGiven = await search(tokens.physician!, {
      familyName: ownPatient.familyName,
      givenName: 'Mo',
      birthDate: ownPatient.birthDate,
    });
    expect(wrongGiven.json().patients).toEqual([]);
    const wrongDate = await search(tokens.physician!, { familyName: ownPatient.familyName, birthDate: '2015-03-05' });
    expect(wrongDate.json().patients).toEqual([]);
    const prefix = await search(tokens.physician!, { familyName: ownPatient.familyName.slice(0, 5), birthDate: ownPatient.birthDate });
    expect(prefix.json().patients).toEqual([]);
  });

  it('shows a patient out of reach as not authorized, with nothing about them but the opaque id, found by MRN', async () => {
    const response = await search(tokens.outsider!, { mrn: ownPatient.mrn });
    expect(response.statusCode).toBe(200);
    expect(response.json().patients).toEqual([{ patientId: ownPatient.id, authorized: false, pending: [] }]);
    expect(response.body).not.toContain(ownPatient.familyName);
    expect(response.body).not.toContain(ownPatient.birthDate);
  });

  it("never finds another organization's patient", async () => {
    const elsewhere = (await buildPatient(t.db, otherOrganizationId, { familyName: family(), birthDate: '2010-01-01' })).patient;
    expect((await search(tokens.physician!, { mrn: elsewhere.mrn })).json().patients).toEqual([]);
    expect((await search(tokens.physician!, { familyName: elsewhere.familyName, birthDate: '2010-01-01' })).json().patients).toEqual([]);
  });

  it('shows at most 20 matches', async () => {
    const shared = family();
    await t.db.insert(patients).values(
      Array.from({ length: 22 }, (_, i) => ({
        organizationId,
        mrn: `CAP${shared}${i}`,
        givenName: `Kid${i}`,
        familyName: shared,
        birthDate: '2012-12-12',
        sex: 'male',
        pcpId: physician.id,
      })),
    );
    const response = await search(tokens.physician!, { familyName: shared, birthDate: '2012-12-12' });
    expect(response.json().patients).toHaveLength(20);
  });

  it('audits one event with counts and never the terms, and one search result per patient shown by name', async () => {
    const before = new Date();
    await search(tokens.partner!, { familyName: ownPatient.familyName, birthDate: ownPatient.birthDate });
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, partner.id), inArray(auditEvents.action, ['mypatients.search', 'patient.search.result'])));
    const recent = events.filter((e) => e.occurredAt >= new Date(before.getTime() - 1000));
    const searchEvent = recent.find((e) => e.action === 'mypatients.search');
    expect(searchEvent?.details).toEqual({ by: 'name', results: 1, authorized: 1 });
    expect(JSON.stringify(searchEvent)).not.toContain(ownPatient.familyName);
    expect(recent.filter((e) => e.action === 'patient.search.result').map((e) => e.patientId)).toEqual([ownPatient.id]);
  });

  it.each([
    ['familyName', {}],
    ['familyName', { birthDate: '2015-03-04' }],
    ['birthDate', { familyName: 'Smith' }],
    ['birthDate', { familyName: 'Smith', birthDate: '2015-02-30' }],
    ['birthDate', { familyName: 'Smith', birthDate: '1850-01-01' }],
    ['mrn', { mrn: '   ' }],
  ])('answers 400 naming %s when the search is neither an MRN nor a name with a birth date', async (field, body) => {
    const response = await search(tokens.physician!, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe(field);
  });

  it('answers 401 without a session and 403 to staff and patients', async () => {
    const body = { mrn: ownPatient.mrn };
    expect((await search(null, body)).statusCode).toBe(401);
    expect((await search(tokens.clinician!, body)).statusCode).toBe(403);
    expect((await search(tokens.patientUser!, body)).statusCode).toBe(403);
  });
});

describe('POST /api/mypatients/requests', () => {
  it('routes a non-PCP request to the patient and emails the patient and the guardian, with no name and nothing clinical', async () => {
    const response = await requestAccess(tokens.outsider!, { patientId: strangerId, kind: 'non_pcp', reason: 'Cardiology follow-up' });
    expect(response.statusCode).toBe(202);
    const { request } = response.json();
    expect(request).toMatchObject({ kind: 'non_pcp', status: 'pending', routedTo: 'patient' });
    const [row] = await t.db.select().from(outsideAccessRequests).where(eq(outsideAccessRequests.id, request.id));
    expect(row).toMatchObject({ requesterUserId: outsider.id, patientId: strangerId, reason: 'Cardiology follow-up', organizationId });
    const mail = (await t.mail()).filter((m) => m.subject === 'A provider asked to see a record');
    const addressees = mail.map((m) => m.toAddress);
    expect(addressees).toContain(strangerAccountEmail);
    expect(addressees).toContain(guardianEmail);
    for (const m of mail) {
      expect(m.text).toContain('http://localhost:3000/account/sharing');
      expect(m.text).not.toContain('Noor');
      expect(m.text).not.toContain('Cardiology');
    }
    // The search now says the request waits.
    const found = await search(tokens.outsider!, { mrn: strangerMrn });
    expect(found.json().patients).toEqual([{ patientId: strangerId, authorized: false, pending: ['non_pcp'] }]);
  });

  it('answers a second request of the same kind with the first, and sends no second email', async () => {
    const patient = await strangerPatient();
    const first = await requestAccess(tokens.outsider!, { patientId: patient.id, kind: 'pcp' });
    const again = await requestAccess(tokens.outsider!, { patientId: patient.id, kind: 'pcp' });
    expect(again.statusCode).toBe(202);
    expect(again.json().request.id).toBe(first.json().request.id);
    const both = await Promise.all([
      requestAccess(tokens.outsider!, { patientId: patient.id, kind: 'non_pcp' }),
      requestAccess(tokens.outsider!, { patientId: patient.id, kind: 'non_pcp' }),
    ]);
    expect(both.map((r) => r.statusCode)).toEqual([202, 202]);
    expect(both[0].json().request.id).toBe(both[1].json().request.id);
    const rows = await t.db.select().from(outsideAccessRequests).where(eq(outsideAccessRequests.patientId, patient.id));
    expect(rows).toHaveLength(2);
  });

  it('always routes a PCP request to support, and a non-PCP one to support where the organization chose so', async () => {
    const patient = await strangerPatient();
    const pcp = await requestAccess(tokens.outsider!, { patientId: patient.id, kind: 'pcp' });
    expect(pcp.json().request.routedTo).toBe('support');
    await t.db.update(organizations).set({ nonPcpRequestsTo: 'support' }).where(eq(organizations.id, organizationId));
    try {
      const mailBefore = (await t.mail()).length;
      const nonPcp = await requestAccess(tokens.outsider!, { patientId: strangerId, kind: 'pcp' });
      expect(nonPcp.json().request.routedTo).toBe('support');
      const routed = await requestAccess(tokens.partner!, { patientId: strangerId, kind: 'non_pcp' });
      expect(routed.json().request.routedTo).toBe('support');
      // Routed to support, the patient's side is not emailed.
      expect((await t.mail()).length).toBe(mailBefore);
    } finally {
      await t.db.update(organizations).set({ nonPcpRequestsTo: 'patient' }).where(eq(organizations.id, organizationId));
    }
  });

  it('answers 409 already_authorized when the provider may already open the chart', async () => {
    const response = await requestAccess(tokens.sponsored!, { patientId: ownPatient.id, kind: 'non_pcp' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('already_authorized');
  });

  it("answers 404 for another organization's patient and for an unknown id, and audits the refusal", async () => {
    const elsewhere = (await buildPatient(t.db, otherOrganizationId)).patient;
    expect((await requestAccess(tokens.outsider!, { patientId: elsewhere.id, kind: 'pcp' })).statusCode).toBe(404);
    expect((await requestAccess(tokens.outsider!, { patientId: crypto.randomUUID(), kind: 'pcp' })).statusCode).toBe(404);
    const denied = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'outside_request.create'), eq(auditEvents.objectId, elsewhere.id)));
    expect(denied).toEqual([expect.objectContaining({ outcome: 'denied', patientId: null })]);
  });

  it.each([
    ['kind', { kind: 'everything' }],
    ['patientId', { patientId: 'not-a-uuid' }],
    ['reason', { reason: 'x'.repeat(1001) }],
  ])('answers 400 naming %s', async (field, overrides) => {
    const response = await requestAccess(tokens.outsider!, { patientId: strangerId, kind: 'pcp', ...overrides });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe(field);
  });

  it('answers 401 without a session and 403 to staff and patients', async () => {
    const body = { patientId: strangerId, kind: 'pcp' };
    expect((await requestAccess(null, body)).statusCode).toBe(401);
    expect((await requestAccess(tokens.clinician!, body)).statusCode).toBe(403);
    expect((await requestAccess(tokens.patientUser!, body)).statusCode).toBe(403);
  });

  it('allows 20 new requests a day per provider, then answers 429 with a clear message', async () => {
    const busy = await buildUser(t.db, { role: 'outside_provider', organizationId, mfa: true });
    const busyToken = await signInAs(t.db, busy);
    const earlier = await Promise.all(Array.from({ length: requestsPerDay }, () => strangerPatient()));
    await t.db
      .insert(outsideAccessRequests)
      .values(earlier.map((p) => ({ organizationId, patientId: p.id, requesterUserId: busy.id, kind: 'pcp', routedTo: 'support' })));
    const next = await strangerPatient();
    const refused = await requestAccess(busyToken, { patientId: next.id, kind: 'pcp' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toContain('Try again tomorrow');
    // A request already waiting is still answered (it adds nothing).
    expect((await requestAccess(busyToken, { patientId: earlier[0]!.id, kind: 'pcp' })).statusCode).toBe(202);
    // Requests older than a day no longer count.
    await t.db
      .update(outsideAccessRequests)
      .set({ createdAt: new Date(Date.now() - 25 * 3600_000) })
      .where(eq(outsideAccessRequests.requesterUserId, busy.id));
    expect((await requestAccess(busyToken, { patientId: next.id, kind: 'pcp' })).statusCode).toBe(202);
  });
});

describe('GET /api/mypatients/requests', () => {
  it("lists the provider's own requests newest first, naming the patient only once they may open the chart", async () => {
    const viewer = await buildUser(t.db, { role: 'outside_provider', organizationId, mfa: true });
    const viewerToken = await signInAs(t.db, viewer);
    const a = await strangerPatient({ givenName: 'Ari' });
    const b = await strangerPatient({ givenName: 'Bea' });
    await requestAccess(viewerToken, { patientId: a.id, kind: 'non_pcp' });
    await requestAccess(viewerToken, { patientId: b.id, kind: 'pcp' });
    // The patient approves the first: an approved_request grant.
    const [grant] = await t.db
      .insert(accessGrants)
      .values({
        granteeUserId: viewer.id,
        patientId: a.id,
        kind: 'approved_request',
        level: 'read',
        categories: ['demographics', 'clinical', 'appointments'],
      })
      .returning();
    await t.db
      .update(outsideAccessRequests)
      .set({ status: 'approved', decidedAt: new Date(), grantId: grant!.id })
      .where(and(eq(outsideAccessRequests.requesterUserId, viewer.id), eq(outsideAccessRequests.patientId, a.id)));
    const response = await listRequests(viewerToken);
    expect(response.statusCode).toBe(200);
    const { requests } = response.json();
    expect(requests.map((r: { patientId: string }) => r.patientId)).toEqual([b.id, a.id]);
    expect(requests[0]).toMatchObject({ kind: 'pcp', status: 'pending', routedTo: 'support', patient: null, decidedAt: null });
    expect(requests[1]).toMatchObject({ kind: 'non_pcp', status: 'approved', patient: { givenName: 'Ari', familyName: a.familyName } });
    expect(response.body).not.toContain('Bea');
    // And the approved patient is now found by name.
    const found = await search(viewerToken, { mrn: a.mrn });
    expect(found.json().patients[0]).toMatchObject({ authorized: true, via: 'approved_request', givenName: 'Ari' });
  });

  it('answers 401 without a session and 403 to staff and patients', async () => {
    expect((await listRequests(null)).statusCode).toBe(401);
    expect((await listRequests(tokens.clinician!)).statusCode).toBe(403);
    expect((await listRequests(tokens.patientUser!)).statusCode).toBe(403);
  });
});

describe('POST /api/mypatients/tokens/validate', () => {
  /** A token the patient issued, as the issuing helper stores it; the code as the provider would type it. */
  async function issueToken(patientId: string, options: { expiresAt?: Date; revokedAt?: Date; createdAt?: Date } = {}) {
    const code = generateHumanCode();
    const createdAt = options.createdAt ?? new Date();
    const [row] = await t.db
      .insert(providerTokens)
      .values({
        organizationId,
        patientId,
        tokenHash: hashHumanCode(code),
        label: 'Dr. Rivera, cardiology',
        // Staff issue tokens for the patient at the desk (the issuer must still have a say when it is validated).
        issuedBy: clinician.id,
        createdAt,
        expiresAt: options.expiresAt ?? new Date(createdAt.getTime() + 182 * 86_400_000),
        revokedAt: options.revokedAt ?? null,
      })
      .returning();
    return { code, row: row! };
  }

  async function freshProvider() {
    const user = await buildUser(t.db, { role: 'outside_provider', organizationId, mfa: true });
    return { user, token: await signInAs(t.db, user) };
  }

  it('makes a token grant until the expiry, marks the token redeemed, then the chart reads and the search names the patient', async () => {
    const { user, token } = await freshProvider();
    const patient = await strangerPatient({ givenName: 'Tova' });
    const issued = await issueToken(patient.id);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}/record/summary`, headers: cookieFor(token) })).statusCode,
    ).toBe(404);
    // Typed in lower case with spaces: the code is read as people type it.
    const response = await validate(token, { token: ` ${issued.code.toLowerCase().replaceAll('-', ' ')} `, mrn: patient.mrn });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ patientId: patient.id });
    const [grant] = await t.db
      .select()
      .from(accessGrants)
      .where(and(eq(accessGrants.granteeUserId, user.id), eq(accessGrants.patientId, patient.id)));
    expect(grant).toMatchObject({ kind: 'token', level: 'read', grantedBy: clinician.id, revokedAt: null });
    expect([...grant!.categories].sort()).toEqual(['appointments', 'clinical', 'demographics']);
    expect(grant!.endsAt?.getTime()).toBe(issued.row.expiresAt.getTime());
    const [stored] = await t.db.select().from(providerTokens).where(eq(providerTokens.id, issued.row.id));
    expect(stored).toMatchObject({ redeemedBy: user.id, grantId: grant!.id });
    const chart = await t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}/record/summary`, headers: cookieFor(token) });
    expect(chart.statusCode).toBe(200);
    const found = await search(token, { familyName: patient.familyName, birthDate: patient.birthDate });
    expect(found.json().patients).toEqual([
      expect.objectContaining({ patientId: patient.id, authorized: true, via: 'token', givenName: 'Tova' }),
    ]);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'access_grant.token.redeem'), eq(auditEvents.actorUserId, user.id)));
    expect(events).toEqual([expect.objectContaining({ outcome: 'success', patientId: patient.id, objectId: grant!.id })]);
  });

  it('refuses a wrong MRN, an expired, revoked or redeemed token and an unknown one with the same answer', async () => {
    const { token } = await freshProvider();
    const patient = await strangerPatient();
    const other = await strangerPatient();
    const wrongMrn = await issueToken(patient.id);
    const expired = await issueToken(patient.id, {
      createdAt: new Date(Date.now() - 200 * 86_400_000),
      expiresAt: new Date(Date.now() - 1000),
    });
    const revoked = await issueToken(patient.id, { revokedAt: new Date() });
    const redeemed = await issueToken(patient.id);
    const first = await freshProvider();
    expect((await validate(first.token, { token: redeemed.code, mrn: patient.mrn })).statusCode).toBe(200);
    const answers = await Promise.all([
      validate(token, { token: wrongMrn.code, mrn: other.mrn }),
      validate(token, { token: expired.code, mrn: patient.mrn }),
      validate(token, { token: revoked.code, mrn: patient.mrn }),
      validate(token, { token: redeemed.code, mrn: patient.mrn }),
      validate(token, { token: generateHumanCode(), mrn: patient.mrn }),
    ]);
    for (const answer of answers) {
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error).toMatchObject({ code: 'token_invalid', message: 'This token and MRN do not match a valid token.' });
      expect(answer.json().error.field).toBeUndefined();
    }
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}/record/summary`, headers: cookieFor(token) })).statusCode,
    ).toBe(404);
  });

  it('pauses validation after 10 failures an hour, even for a valid token, counted safely under concurrency', async () => {
    const { token } = await freshProvider();
    const patient = await strangerPatient();
    const good = await issueToken(patient.id);
    const failures = await Promise.all(
      Array.from({ length: failedValidationsPerHour + 3 }, () => validate(token, { token: generateHumanCode(), mrn: patient.mrn })),
    );
    const codes = failures.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 400)).toHaveLength(failedValidationsPerHour);
    expect(codes.filter((c) => c === 429)).toHaveLength(3);
    const paused = await validate(token, { token: good.code, mrn: patient.mrn });
    expect(paused.statusCode).toBe(429);
    expect(paused.json().error.message).toContain('Try again in an hour');
  });

  it.each([
    ['token', { token: '' }],
    ['mrn', { mrn: undefined }],
    ['token', { token: 'x'.repeat(65) }],
  ])('answers 400 naming %s', async (field, overrides) => {
    const response = await validate(tokens.outsider!, { token: 'ABCD-EFGH-JKLM', mrn: '123', ...overrides });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe(field);
  });

  it('answers 401 without a session and 403 to staff and patients', async () => {
    const body = { token: 'ABCD-EFGH-JKLM', mrn: '123' };
    expect((await validate(null, body)).statusCode).toBe(401);
    expect((await validate(tokens.clinician!, body)).statusCode).toBe(403);
    expect((await validate(tokens.patientUser!, body)).statusCode).toBe(403);
  });
});
