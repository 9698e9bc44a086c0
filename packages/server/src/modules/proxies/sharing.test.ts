import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, auditEvents, organizations, proxyInvitations, shareLinks } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { fullProxyCategories } from './proxy-access.ts';

let t: TestApp;
let orgId: string;
/** An adult patient with an account. */
let pat: { patientId: string; userId: string; token: string };
/** Her daughter, a full proxy Pat invited; and a helper limited to appointments. */
let daughter: { userId: string; token: string; grantId: string };
let helper: { userId: string; token: string; grantId: string };
/** A 15-year-old with an account, and the guardian staff set up for her. */
let teen: { patientId: string; token: string; guardianGrantId: string };
let stranger: { patientId: string; token: string };

const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const getSharing = (token: string | undefined, patientId: string) =>
  t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/sharing`, headers: token ? cookieFor(token) : {} });
const revoke = (token: string | undefined, patientId: string, grantId: string, payload?: Record<string, unknown>) =>
  t.app.inject({
    method: 'DELETE',
    url: `/api/patients/${patientId}/sharing/${grantId}`,
    headers: headers(token),
    ...(payload ? { payload } : {}),
  });
const setSensitive = (token: string | undefined, patientId: string, grantId: string, categories: string[]) =>
  t.app.inject({
    method: 'PUT',
    url: `/api/patients/${patientId}/sharing/${grantId}/sensitive`,
    headers: headers(token),
    payload: { categories },
  });

/** A person with an account and a session, holding a proxy grant on the patient. */
async function buildProxy(patientId: string, values: Partial<typeof accessGrants.$inferInsert>) {
  const user = await buildUser(t.db, { role: 'proxy', organizationId: orgId });
  const [grant] = await t.db
    .insert(accessGrants)
    .values({ granteeUserId: user.id, patientId, kind: 'proxy', level: 'full', categories: [...fullProxyCategories], ...values })
    .returning();
  return { userId: user.id, token: await signInAs(t.db, user), grantId: grant!.id };
}

/** Makes a share link on the patient as this session; answers its id and what opens it. */
async function makeLink(token: string, patientId: string, label = 'Dr. Lee', recipientEmail = 'dr.lee@clinic.example') {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/patients/${patientId}/share-links`,
    headers: headers(token),
    payload: { label, scope: 'summary', expiresInDays: 3, recipientEmail },
  });
  expect(response.statusCode).toBe(201);
  const { link, url, passcode } = response.json<{ link: { id: string }; url: string; passcode: string }>();
  return { id: link.id, token: url.slice(url.indexOf('#token=') + '#token='.length), passcode };
}

/** Invites someone to act for the patient as this session; answers the invitation's id. */
async function makeInvitation(token: string, patientId: string, email: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/patients/${patientId}/proxy-invitations`,
    headers: headers(token),
    payload: { email, name: 'My aunt', level: 'full' },
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ invitation: { id: string } }>().invitation.id;
}

/** Opens a share link without signing in. */
const openLink = (link: { token: string; passcode: string }) =>
  t.app.inject({ method: 'POST', url: '/api/shared/open', headers: headers(), payload: { token: link.token, passcode: link.passcode } });

/** A birth date `years` years before today (UTC), a week off any birthday. */
const yearsAgo = (years: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate() - 7)).toISOString().slice(0, 10);
};

beforeAll(async () => {
  t = await buildTestApp();
  const { organization } = await buildOrganization(t.db, 'Riverside Health');
  orgId = organization.id;
  await t.db.update(organizations).set({ timeZone: 'America/Los_Angeles' }).where(eq(organizations.id, orgId));
  const p = await buildPatient(t.db, orgId, { withAccount: true, givenName: 'Pat', familyName: 'Quill', birthDate: '1950-04-02' });
  pat = { patientId: p.patient.id, userId: p.user!.id, token: await signInAs(t.db, p.user!) };
  daughter = await buildProxy(pat.patientId, { relationship: 'invited', grantedBy: pat.userId });
  helper = await buildProxy(pat.patientId, {
    relationship: 'invited',
    grantedBy: pat.userId,
    categories: ['demographics', 'appointments'],
  });
  const teenRecord = await buildPatient(t.db, orgId, { withAccount: true, birthDate: yearsAgo(15) });
  const guardian = await buildProxy(teenRecord.patient.id, { relationship: 'guardian' });
  teen = { patientId: teenRecord.patient.id, token: await signInAs(t.db, teenRecord.user!), guardianGrantId: guardian.grantId };
  const s = await buildPatient(t.db, orgId, { withAccount: true });
  stranger = { patientId: s.patient.id, token: await signInAs(t.db, s.user!) };
});
afterAll(() => t.close());

describe('GET /api/patients/:id/sharing', () => {
  it('lists everyone with access besides staff, with level, areas and whether the reader may revoke', async () => {
    const response = await getSharing(pat.token, pat.patientId);
    expect(response.statusCode).toBe(200);
    const { entries } = response.json<{ entries: Record<string, unknown>[] }>();
    expect(entries.find((e) => e.grantId === daughter.grantId)).toMatchObject({
      kind: 'proxy',
      relationship: 'invited',
      name: 'Test proxy',
      level: 'full',
      areas: ['record', 'appointments', 'messages', 'billing'],
      sensitiveCategories: [],
      limitedByAge: false,
      until: null,
      canRevoke: true,
    });
    expect(entries.find((e) => e.grantId === helper.grantId)).toMatchObject({ level: 'areas', areas: ['appointments'] });
  });

  it('lets a full proxy read it, audited on behalf of the patient through the proxy grant', async () => {
    const response = await getSharing(daughter.token, pat.patientId);
    expect(response.statusCode).toBe(200);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'sharing.read'), eq(auditEvents.actorUserId, daughter.userId)));
    expect(event).toMatchObject({ outcome: 'success', onBehalfOfUserId: pat.userId, patientId: pat.patientId });
    expect(event!.details).toMatchObject({ via: 'proxy', grantId: daughter.grantId });
  });

  it('names no one on whose behalf when the patient has no account (a young child), still via the proxy grant', async () => {
    const child = await buildPatient(t.db, orgId, { birthDate: yearsAgo(7) });
    const guardian = await buildProxy(child.patient.id, { relationship: 'guardian' });
    expect((await getSharing(guardian.token, child.patient.id)).statusCode).toBe(200);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'sharing.read'), eq(auditEvents.actorUserId, guardian.userId)));
    expect(event).toMatchObject({ onBehalfOfUserId: null, patientId: child.patient.id });
    expect(event!.details).toMatchObject({ via: 'proxy', grantId: guardian.grantId });
  });

  it('shows a teen her guardian as limited by age, not revocable from the page', async () => {
    const { entries } = (await getSharing(teen.token, teen.patientId)).json<{ entries: Record<string, unknown>[] }>();
    expect(entries).toEqual([
      expect.objectContaining({ grantId: teen.guardianGrantId, relationship: 'guardian', limitedByAge: true, canRevoke: false }),
    ]);
  });

  it('leaves out a guardian’s proxy once the patient is 18, revoked grants and emergency access', async () => {
    const adult = await buildPatient(t.db, orgId, { withAccount: true, birthDate: yearsAgo(18) });
    await buildProxy(adult.patient.id, { relationship: 'guardian' });
    await buildProxy(adult.patient.id, { relationship: 'invited', grantedBy: adult.user!.id, revokedAt: new Date() });
    const response = await getSharing(await signInAs(t.db, adult.user!), adult.patient.id);
    expect(response.json()).toEqual({ entries: [], invitations: [] });
  });

  it('answers 404 to clinicians and nurses, who read the settings but do not manage sharing, audited as denied', async () => {
    for (const role of ['clinician', 'nurse'] as const) {
      const staff = await buildUser(t.db, { role, organizationId: orgId, mfa: true });
      const response = await getSharing(await signInAs(t.db, staff), pat.patientId);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found', message: 'The patient was not found.' } });
      expect(response.body).not.toContain('Test proxy');
      const events = await t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'sharing.read'), eq(auditEvents.actorUserId, staff.id)));
      expect(events).toEqual([
        expect.objectContaining({
          outcome: 'denied',
          patientId: pat.patientId,
          details: expect.objectContaining({ reason: 'sharing_patient_and_proxies_only' }),
        }),
      ]);
    }
  });

  it('leaves what a 12-17 year old shared themself (links, invitations, people) out of their guardian’s page', async () => {
    const record = await buildPatient(t.db, orgId, { withAccount: true, birthDate: yearsAgo(15) });
    const teenToken = await signInAs(t.db, record.user!);
    const guardian = await buildProxy(record.patient.id, { relationship: 'guardian' });
    const teenLink = await makeLink(teenToken, record.patient.id, 'School nurse', 'nurse@school.example');
    const guardianLink = await makeLink(guardian.token, record.patient.id, 'Camp doctor');
    const teenInvitation = await makeInvitation(teenToken, record.patient.id, 'aunt@example.test');
    const friend = await buildProxy(record.patient.id, {
      relationship: 'invited',
      grantedBy: record.user!.id,
      categories: ['demographics'],
    });
    type Page = { entries: { grantId: string }[]; invitations: { id: string }[] };
    const seenBy = async (token: string) => {
      const page = (await getSharing(token, record.patient.id)).json<Page>();
      return [...page.entries.map((e) => e.grantId), ...page.invitations.map((i) => i.id)];
    };
    const mine = [teenLink.id, teenInvitation, friend.grantId];
    expect(await seenBy(teenToken)).toEqual(expect.arrayContaining([...mine, guardianLink.id, guardian.grantId]));
    const guardianSees = await seenBy(guardian.token);
    expect(guardianSees).toEqual(expect.arrayContaining([guardianLink.id, guardian.grantId]));
    for (const id of mine) expect(guardianSees).not.toContain(id);

    const links = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${record.patient.id}/share-links`,
      headers: cookieFor(guardian.token),
    });
    expect(links.json<{ links: { id: string }[] }>().links.map((l) => l.id)).toEqual([guardianLink.id]);
    expect(links.body).not.toContain('School nurse');
    expect(links.body).not.toContain('nurse@school.example');

    // Nor may the guardian end them: the same 404 as for something that does not exist, and nothing changes.
    expect((await revoke(guardian.token, record.patient.id, teenLink.id)).statusCode).toBe(404);
    expect((await revoke(guardian.token, record.patient.id, friend.grantId)).statusCode).toBe(404);
    const deleteLink = await t.app.inject({
      method: 'DELETE',
      url: `/api/patients/${record.patient.id}/share-links/${teenLink.id}`,
      headers: headers(guardian.token),
    });
    expect(deleteLink.statusCode).toBe(404);
    const cancel = await t.app.inject({
      method: 'DELETE',
      url: `/api/patients/${record.patient.id}/proxy-invitations/${teenInvitation}`,
      headers: headers(guardian.token),
    });
    expect(cancel.statusCode).toBe(404);
    expect((await setSensitive(guardian.token, record.patient.id, friend.grantId, [])).statusCode).toBe(404);
    const [link] = await t.db.select().from(shareLinks).where(eq(shareLinks.id, teenLink.id));
    expect(link!.revokedAt).toBeNull();
    const [invitation] = await t.db.select().from(proxyInvitations).where(eq(proxyInvitations.id, teenInvitation));
    expect(invitation!.status).toBe('pending');
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, friend.grantId));
    expect(grant!.revokedAt).toBeNull();
    expect((await openLink(teenLink)).statusCode).toBe(200);
    // The guardian still manages what they shared themself.
    expect((await revoke(guardian.token, record.patient.id, guardianLink.id)).statusCode).toBe(200);
  });

  it('answers 404 to a proxy limited to some areas (no settings) and to a stranger; 401 without a session; 400 for a bad id', async () => {
    expect((await getSharing(helper.token, pat.patientId)).statusCode).toBe(404);
    expect((await getSharing(stranger.token, pat.patientId)).statusCode).toBe(404);
    expect((await getSharing(undefined, pat.patientId)).statusCode).toBe(401);
    expect((await getSharing(pat.token, 'nope')).statusCode).toBe(400);
  });
});

describe('DELETE /api/patients/:id/sharing/:grantId', () => {
  it('ends the access on the proxy’s next request, keeps who and why, and tells the proxy without naming the patient', async () => {
    const proxy = await buildProxy(pat.patientId, {
      relationship: 'invited',
      grantedBy: pat.userId,
      categories: ['demographics', 'appointments'],
    });
    const appointments = () =>
      t.app.inject({ method: 'GET', url: `/api/patients/${pat.patientId}/appointments`, headers: cookieFor(proxy.token) });
    expect((await appointments()).statusCode).toBe(200);
    const response = await revoke(pat.token, pat.patientId, proxy.grantId, { reason: 'No longer needed' });
    expect(response.statusCode).toBe(200);
    expect((await appointments()).statusCode).toBe(404);
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, proxy.grantId));
    expect(grant).toMatchObject({ revokedBy: pat.userId, revokeReason: 'No longer needed' });
    expect(grant!.revokedAt).toBeInstanceOf(Date);
    const mail = (await t.mail()).find((m) => m.subject === 'Your access to a health record has ended');
    expect(mail?.text).toContain('Riverside Health');
    expect(mail?.text).not.toMatch(/Pat|Quill/);
  });

  it('lists an active share link as an entry of kind share_link and revokes it by its id (issue 11 §2)', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${pat.patientId}/share-links`,
      headers: headers(pat.token),
      payload: { label: 'Dr. Lee', scope: 'summary', expiresInDays: 3 },
    });
    expect(created.statusCode).toBe(201);
    const { link, url, passcode } = created.json<{ link: { id: string; expiresAt: string }; url: string; passcode: string }>();
    const entries = (await getSharing(pat.token, pat.patientId)).json<{ entries: { grantId: string }[] }>().entries;
    expect(entries.find((e) => e.grantId === link.id)).toEqual({
      grantId: link.id,
      kind: 'share_link',
      relationship: null,
      name: 'Dr. Lee',
      level: 'areas',
      areas: ['record'],
      sensitiveCategories: [],
      limitedByAge: false,
      since: expect.any(String),
      until: link.expiresAt,
      canRevoke: true,
    });
    expect((await revoke(stranger.token, pat.patientId, link.id)).statusCode).toBe(404);
    expect((await revoke(pat.token, pat.patientId, link.id)).json()).toEqual({ ok: true });
    const token = url.slice(url.indexOf('#token=') + '#token='.length);
    const opened = await t.app.inject({ method: 'POST', url: '/api/shared/open', headers: headers(), payload: { token, passcode } });
    expect(opened.statusCode).toBe(404);
    const after = (await getSharing(pat.token, pat.patientId)).json<{ entries: { grantId: string }[] }>().entries;
    expect(after.some((e) => e.grantId === link.id)).toBe(false);
  });

  it('ends the proxy’s share links and waiting invitations with their access, in the same transaction', async () => {
    const proxy = await buildProxy(pat.patientId, { relationship: 'invited', grantedBy: pat.userId });
    const link = await makeLink(proxy.token, pat.patientId, 'Proxy’s link');
    const invitationId = await makeInvitation(proxy.token, pat.patientId, 'second-account@example.test');
    const patLink = await makeLink(pat.token, pat.patientId, 'Pat’s own link');
    expect((await openLink(link)).statusCode).toBe(200);

    expect((await revoke(pat.token, pat.patientId, proxy.grantId)).statusCode).toBe(200);
    const [row] = await t.db.select().from(shareLinks).where(eq(shareLinks.id, link.id));
    expect(row).toMatchObject({ revokedBy: pat.userId, revokedAt: expect.any(Date) });
    const [invitation] = await t.db.select().from(proxyInvitations).where(eq(proxyInvitations.id, invitationId));
    expect(invitation!.status).toBe('cancelled');
    const refused = await openLink(link);
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ error: { code: 'not_found' } });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'sharing.revoke'), eq(auditEvents.outcome, 'success')))
      .orderBy(desc(auditEvents.id))
      .limit(1);
    expect(event!.details).toMatchObject({
      grantId: proxy.grantId,
      revokedShareLinks: [link.id],
      cancelledInvitations: [invitationId],
      endedReason: 'creator access ended',
    });
    // The patient's own links are theirs: untouched.
    expect((await openLink(patLink)).statusCode).toBe(200);
  });

  it('accepts no body at all', async () => {
    const proxy = await buildProxy(pat.patientId, { relationship: 'invited', grantedBy: pat.userId });
    expect((await revoke(pat.token, pat.patientId, proxy.grantId)).statusCode).toBe(200);
  });

  it('answers 403 when a teen tries to end her guardian’s access (a care-team matter)', async () => {
    const response = await revoke(teen.token, teen.patientId, teen.guardianGrantId);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'not_revocable' } });
  });

  it('answers 404 for a grant of another patient or one already revoked, 401 without a session, 400 for bad input', async () => {
    expect((await revoke(pat.token, pat.patientId, teen.guardianGrantId)).statusCode).toBe(404);
    expect((await revoke(stranger.token, pat.patientId, helper.grantId)).statusCode).toBe(404);
    const proxy = await buildProxy(pat.patientId, { relationship: 'invited', grantedBy: pat.userId });
    await revoke(pat.token, pat.patientId, proxy.grantId);
    expect((await revoke(pat.token, pat.patientId, proxy.grantId)).statusCode).toBe(404);
    expect((await revoke(undefined, pat.patientId, helper.grantId)).statusCode).toBe(401);
    expect((await revoke(pat.token, pat.patientId, 'nope')).statusCode).toBe(400);
    expect((await revoke(pat.token, pat.patientId, helper.grantId, { reason: 'x'.repeat(501) })).statusCode).toBe(400);
  });
});

describe('PUT /api/patients/:id/sharing/:grantId/sensitive', () => {
  it('shares substance-use records (42 CFR Part 2) with one person only once the patient chooses it', async () => {
    const at = new Date(Date.now() - 86_400_000);
    for (const sensitiveCategory of [null, 'substance_use'] as const)
      await buildFhirResource(t.db, {
        organizationId: orgId,
        patientId: pat.patientId,
        category: 'laboratory',
        code: 'http://loinc.org|1234-5',
        effectiveAt: at,
        status: 'final',
        sensitiveCategory,
        resource: {
          resourceType: 'Observation',
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
          code: { text: sensitiveCategory ?? 'Glucose' },
          effectiveDateTime: at.toISOString(),
          subject: { reference: `Patient/${pat.patientId}` },
        },
      });
    const results = async (token: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/patients/${pat.patientId}/record/results`, headers: cookieFor(token) })).json<{
        results: unknown[];
      }>().results.length;
    expect(await results(pat.token)).toBe(2);
    expect(await results(daughter.token)).toBe(1);
    const response = await setSensitive(pat.token, pat.patientId, daughter.grantId, ['substance_use']);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ grantId: daughter.grantId, sensitiveCategories: ['substance_use'] });
    expect(await results(daughter.token)).toBe(2);
    expect((await setSensitive(pat.token, pat.patientId, daughter.grantId, [])).statusCode).toBe(200);
    expect(await results(daughter.token)).toBe(1);
  });

  it('answers 403 to a proxy choosing for themself or for an adult who decides for themself', async () => {
    const own = await setSensitive(daughter.token, pat.patientId, daughter.grantId, ['mental_health']);
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ error: { code: 'own_consent' } });
    expect((await setSensitive(daughter.token, pat.patientId, helper.grantId, ['mental_health'])).statusCode).toBe(403);
  });

  it('answers 403 to a guardian choosing for a grant they gave (a second account of theirs), not for one staff gave', async () => {
    const child = await buildPatient(t.db, orgId, { birthDate: yearsAgo(7) });
    const guardian = await buildProxy(child.patient.id, { relationship: 'guardian' });
    const second = await buildProxy(child.patient.id, { relationship: 'invited', grantedBy: guardian.userId });
    const own = await setSensitive(guardian.token, child.patient.id, second.grantId, ['mental_health']);
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({
      error: { code: 'own_consent', message: 'Only the patient can choose which sensitive information you may see.' },
    });
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, second.grantId));
    expect(grant!.sensitiveCategories).toEqual([]);
    const other = await buildProxy(child.patient.id, { relationship: 'guardian' });
    expect((await setSensitive(guardian.token, child.patient.id, other.grantId, ['mental_health'])).statusCode).toBe(200);
  });

  it('answers 400 for an unknown category, 401 without a session, 404 for another patient’s grant', async () => {
    expect((await setSensitive(pat.token, pat.patientId, daughter.grantId, ['astrology'])).statusCode).toBe(400);
    expect((await setSensitive(undefined, pat.patientId, daughter.grantId, [])).statusCode).toBe(401);
    expect((await setSensitive(pat.token, pat.patientId, teen.guardianGrantId, [])).statusCode).toBe(404);
    expect((await setSensitive(stranger.token, pat.patientId, daughter.grantId, [])).statusCode).toBe(404);
  });
});
