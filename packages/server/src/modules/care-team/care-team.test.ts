import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, auditEvents, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { buildOutsideProvider, buildProxyOf } from './care-team.fixtures.ts';

let t: TestApp;
let orgId: string;
/** An adult patient with an account, whose PCP is an outside provider of Harbor Pediatrics. */
let pat: { patientId: string; userId: string; token: string };
let pcp: Awaited<ReturnType<typeof buildOutsideProvider>>;
/** Outside providers of the organization to add; one of another organization. */
let cardio: Awaited<ReturnType<typeof buildOutsideProvider>>;
let derm: Awaited<ReturnType<typeof buildOutsideProvider>>;
let elsewhere: Awaited<ReturnType<typeof buildOutsideProvider>>;
/** Staff sessions. */
let frontDesk: string;
let nurse: string;
let billing: string;
let admin: string;
let clinicianUserId: string;
/** A 15-year-old with an account and their guardian; a stranger with their own record. */
let teen: { patientId: string; guardian: string };
let stranger: { patientId: string; token: string };

const yearsAgo = (years: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate() - 7)).toISOString().slice(0, 10);
};
const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: token ? cookieFor(token) : {} });
const add = (patientId: string, providerUserId: unknown, token?: string) =>
  t.app.inject({ method: 'POST', url: `/api/patients/${patientId}/care-team`, headers: headers(token), payload: { providerUserId } });
const remove = (patientId: string, grantId: string, token?: string, payload?: object) =>
  t.app.inject({
    method: 'DELETE',
    url: `/api/patients/${patientId}/care-team/${grantId}`,
    headers: headers(token),
    ...(payload ? { payload } : {}),
  });
const directory = (patientId: string, q: string, token?: string) =>
  get(`/api/patients/${patientId}/care-team/directory?q=${encodeURIComponent(q)}`, token);

async function lastAudit(action: string, patientId: string) {
  const rows = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.patientId, patientId)));
  return rows.at(-1);
}

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
  const otherOrgId = (await buildOrganization(t.db)).organization.id;
  pcp = await buildOutsideProvider(t.db, orgId, { name: 'Dr. Grace Harbor', practiceName: 'Harbor Pediatrics', credentials: 'DO' });
  cardio = await buildOutsideProvider(t.db, orgId, { name: 'Dr. Ana Rivera', practiceName: 'Coastal Cardiology' });
  derm = await buildOutsideProvider(t.db, orgId, { name: 'Dr. Ben Okafor', practiceName: 'Skin First Dermatology' });
  elsewhere = await buildOutsideProvider(t.db, otherOrgId, { name: 'Dr. Ana Riverside', practiceName: 'Coastal Cardiology West' });
  const p = await buildPatient(t.db, orgId, { withAccount: true, pcpId: pcp.id });
  pat = { patientId: p.patient.id, userId: p.user!.id, token: await signInAs(t.db, p.user!) };
  frontDesk = await signInAs(t.db, await buildUser(t.db, { role: 'front_desk', organizationId: orgId }));
  nurse = await signInAs(t.db, await buildUser(t.db, { role: 'nurse', organizationId: orgId }));
  billing = await signInAs(t.db, await buildUser(t.db, { role: 'billing', organizationId: orgId }));
  admin = await signInAs(t.db, await buildUser(t.db, { role: 'admin', organizationId: orgId }));
  clinicianUserId = (await buildUser(t.db, { role: 'clinician', organizationId: orgId })).id;
  const teenRecord = await buildPatient(t.db, orgId, { withAccount: true, birthDate: yearsAgo(15) });
  const guardian = await buildProxyOf(t.db, orgId, teenRecord.patient.id, { relationship: 'guardian' });
  teen = { patientId: teenRecord.patient.id, guardian: await signInAs(t.db, guardian.user) };
  const s = await buildPatient(t.db, orgId, { withAccount: true });
  stranger = { patientId: s.patient.id, token: await signInAs(t.db, s.user!) };
});
afterAll(() => t.close());

describe('GET /api/patients/:id/care-team', () => {
  it('gives the patient their outside PCP with the practice, the members, and that they may manage it; audited', async () => {
    const added = await add(pat.patientId, cardio.id, pat.token);
    expect(added.statusCode).toBe(201);
    const response = await get(`/api/patients/${pat.patientId}/care-team`, pat.token);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.pcp).toEqual({ name: 'Dr. Grace Harbor', credentials: 'DO', practiceName: 'Harbor Pediatrics' });
    expect(body.members).toContainEqual(
      expect.objectContaining({ providerUserId: cardio.id, name: 'Dr. Ana Rivera', credentials: 'MD', practiceName: 'Coastal Cardiology' }),
    );
    expect(body.canManage).toBe(true);
    expect(await lastAudit('care_team.read', pat.patientId)).toMatchObject({ outcome: 'success' });
  });

  it('names a health-system clinician PCP without a practice', async () => {
    const p = await buildPatient(t.db, orgId, { withAccount: true, pcpId: clinicianUserId });
    const response = await get(`/api/patients/${p.patient.id}/care-team`, await signInAs(t.db, p.user!));
    expect(response.json().pcp).toEqual({ name: 'Test clinician', credentials: null, practiceName: null });
  });

  it('lets staff read it and says what each may do: billing nothing, administrators tokens only', async () => {
    const as = async (token: string) => {
      const response = await get(`/api/patients/${pat.patientId}/care-team`, token);
      expect(response.statusCode).toBe(200);
      const { canManage, canIssueTokens } = response.json();
      return { canManage, canIssueTokens };
    };
    expect(await as(pat.token)).toEqual({ canManage: true, canIssueTokens: true });
    expect(await as(nurse)).toEqual({ canManage: true, canIssueTokens: true });
    expect(await as(frontDesk)).toEqual({ canManage: true, canIssueTokens: true });
    expect(await as(billing)).toEqual({ canManage: false, canIssueTokens: false });
    expect(await as(admin)).toEqual({ canManage: false, canIssueTokens: true });
  });

  it('lets an outside provider on the care team read it, without managing it', async () => {
    const response = await get(`/api/patients/${pat.patientId}/care-team`, await signInAs(t.db, cardio));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ canManage: false, canIssueTokens: false });
  });

  it('answers 400 for a malformed id, 401 without a session, 404 for another patient (audited as denied)', async () => {
    expect((await get('/api/patients/not-a-uuid/care-team', pat.token)).statusCode).toBe(400);
    expect((await get(`/api/patients/${pat.patientId}/care-team`)).statusCode).toBe(401);
    expect((await get(`/api/patients/${pat.patientId}/care-team`, stranger.token)).statusCode).toBe(404);
    expect(await lastAudit('care_team.read', pat.patientId)).toMatchObject({ outcome: 'denied' });
  });
});

describe('GET /api/patients/:id/care-team/directory', () => {
  it('finds the organization’s outside providers by a part of the name, the practice, or the NPI; nothing more', async () => {
    const byName = await directory(pat.patientId, 'rivera', pat.token);
    expect(byName.statusCode).toBe(200);
    const names = byName.json().providers.map((p: { name: string }) => p.name);
    expect(names).toContain('Dr. Ana Rivera');
    expect(names).not.toContain('Dr. Ana Riverside');
    expect(byName.json().providers[0]).toEqual({
      providerUserId: cardio.id,
      name: 'Dr. Ana Rivera',
      credentials: 'MD',
      practiceName: 'Coastal Cardiology',
    });
    const byPractice = await directory(pat.patientId, 'skin first', pat.token);
    expect(byPractice.json().providers.map((p: { providerUserId: string }) => p.providerUserId)).toEqual([derm.id]);
    const byNpi = await directory(pat.patientId, derm.npi!, pat.token);
    expect(byNpi.json().providers.map((p: { providerUserId: string }) => p.providerUserId)).toEqual([derm.id]);
  });

  it('leaves out sponsored staff, disabled accounts and health-system clinicians', async () => {
    const sponsored = await buildUser(t.db, {
      role: 'sponsored_staff',
      organizationId: orgId,
      sponsorUserId: derm.id,
      practiceId: derm.practiceId,
    });
    await t.db.update(users).set({ displayName: 'Nurse Zed Skinner' }).where(eq(users.id, sponsored.id));
    const gone = await buildOutsideProvider(t.db, orgId, { name: 'Dr. Zed Gone' });
    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, gone.id));
    const response = await directory(pat.patientId, 'zed', pat.token);
    expect(response.json().providers).toEqual([]);
  });

  it('answers at most 20', async () => {
    const practice = await buildOutsideProvider(t.db, orgId, { name: 'Dr. Many 0', practiceName: 'Many Hands Clinic' });
    for (let i = 1; i < 22; i++) await buildOutsideProvider(t.db, orgId, { name: `Dr. Many ${i}`, practiceId: practice.practiceId });
    expect((await directory(pat.patientId, 'many hands', pat.token)).json().providers).toHaveLength(20);
  });

  it('answers 400 for a short query, 401 without a session, 404 to another patient and to billing', async () => {
    const short = await directory(pat.patientId, 'r', pat.token);
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toMatch(/at least 2/);
    expect((await directory(pat.patientId, 'rivera')).statusCode).toBe(401);
    expect((await directory(pat.patientId, 'rivera', stranger.token)).statusCode).toBe(404);
    expect((await directory(pat.patientId, 'rivera', billing)).statusCode).toBe(404);
  });
});

describe('POST /api/patients/:id/care-team', () => {
  it('makes a read-only care-team grant of the chart, granted by the patient, audited', async () => {
    const response = await add(pat.patientId, derm.id, pat.token);
    expect(response.statusCode).toBe(201);
    const { member } = response.json();
    expect(member).toMatchObject({ providerUserId: derm.id, name: 'Dr. Ben Okafor', practiceName: 'Skin First Dermatology' });
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, member.grantId));
    expect(grant).toMatchObject({
      kind: 'care_team',
      level: 'read',
      categories: ['demographics', 'clinical', 'appointments'],
      sensitiveCategories: [],
      grantedBy: pat.userId,
      granteeUserId: derm.id,
      revokedAt: null,
    });
    const event = await lastAudit('care_team.add', pat.patientId);
    expect(event).toMatchObject({ outcome: 'success' });
    expect(event!.details).toMatchObject({ providerUserId: derm.id, grantId: member.grantId, via: 'own_record' });
  });

  it('answers 409 when the provider is on the care team already', async () => {
    const provider = await buildOutsideProvider(t.db, orgId);
    expect((await add(pat.patientId, provider.id, pat.token)).statusCode).toBe(201);
    const again = await add(pat.patientId, provider.id, pat.token);
    expect(again.statusCode).toBe(409);
    const grants = await t.db
      .select()
      .from(accessGrants)
      .where(and(eq(accessGrants.granteeUserId, provider.id), eq(accessGrants.patientId, pat.patientId)));
    expect(grants).toHaveLength(1);
  });

  it('makes one grant of two racing adds', async () => {
    const provider = await buildOutsideProvider(t.db, orgId);
    const answers = await Promise.all([add(pat.patientId, provider.id, pat.token), add(pat.patientId, provider.id, pat.token)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
  });

  it('answers 404 for an unknown provider, a health-system clinician, and a provider of another organization', async () => {
    expect((await add(pat.patientId, randomUUID(), pat.token)).statusCode).toBe(404);
    expect((await add(pat.patientId, clinicianUserId, pat.token)).statusCode).toBe(404);
    expect((await add(pat.patientId, elsewhere.id, pat.token)).statusCode).toBe(404);
  });

  it('answers 400 for a missing or malformed provider id, 401 without a session, 404 for another patient', async () => {
    const bad = await add(pat.patientId, 'nope', pat.token);
    expect(bad.statusCode).toBe(400);
    expect((await add(pat.patientId, undefined, pat.token)).statusCode).toBe(400);
    expect((await add(pat.patientId, cardio.id)).statusCode).toBe(401);
    expect((await add(pat.patientId, cardio.id, stranger.token)).statusCode).toBe(404);
  });

  it('lets the front desk and nurses add at scheduling and check-in; not billing nor administrators', async () => {
    const p = await buildPatient(t.db, orgId);
    expect((await add(p.patient.id, cardio.id, frontDesk)).statusCode).toBe(201);
    expect((await add(p.patient.id, derm.id, nurse)).statusCode).toBe(201);
    const other = await buildOutsideProvider(t.db, orgId);
    expect((await add(p.patient.id, other.id, billing)).statusCode).toBe(404);
    expect((await add(p.patient.id, other.id, admin)).statusCode).toBe(404);
    expect(await lastAudit('care_team.add', p.patient.id)).toMatchObject({ outcome: 'denied' });
  });

  it('lets a 15-year-old’s guardian manage the care team (it is not confidential)', async () => {
    const added = await add(teen.patientId, cardio.id, teen.guardian);
    expect(added.statusCode).toBe(201);
    const removed = await remove(teen.patientId, added.json().member.grantId, teen.guardian);
    expect(removed.statusCode).toBe(200);
  });

  it('does not let an outside provider on the care team add another', async () => {
    const provider = await buildOutsideProvider(t.db, orgId);
    expect((await add(pat.patientId, provider.id, await signInAs(t.db, cardio))).statusCode).toBe(404);
  });
});

describe('DELETE /api/patients/:id/care-team/:grantId', () => {
  it('ends the member’s access at once: the chart they read answers 404 on the next request', async () => {
    const provider = await buildOutsideProvider(t.db, orgId);
    const providerSession = await signInAs(t.db, provider);
    const { member } = (await add(pat.patientId, provider.id, pat.token)).json();
    expect((await get(`/api/patients/${pat.patientId}/record/summary`, providerSession)).statusCode).toBe(200);
    const response = await remove(pat.patientId, member.grantId, pat.token, { reason: 'Moved away' });
    expect(response.statusCode).toBe(200);
    expect((await get(`/api/patients/${pat.patientId}/record/summary`, providerSession)).statusCode).toBe(404);
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, member.grantId));
    expect(grant).toMatchObject({ revokedBy: pat.userId, revokeReason: 'Moved away' });
    expect(grant!.revokedAt).not.toBeNull();
    expect(await lastAudit('care_team.remove', pat.patientId)).toMatchObject({ outcome: 'success' });
  });

  it('lets the front desk remove a member', async () => {
    const provider = await buildOutsideProvider(t.db, orgId);
    const { member } = (await add(pat.patientId, provider.id, pat.token)).json();
    expect((await remove(pat.patientId, member.grantId, frontDesk)).statusCode).toBe(200);
  });

  it('answers 404 for a removed member, another patient’s member and a grant that is not a care-team one', async () => {
    const provider = await buildOutsideProvider(t.db, orgId);
    const { member } = (await add(pat.patientId, provider.id, pat.token)).json();
    expect((await remove(pat.patientId, member.grantId, pat.token)).statusCode).toBe(200);
    expect((await remove(pat.patientId, member.grantId, pat.token)).statusCode).toBe(404);
    const theirs = (await add(stranger.patientId, provider.id, stranger.token)).json().member.grantId;
    expect((await remove(pat.patientId, theirs, pat.token)).statusCode).toBe(404);
    const proxy = await buildProxyOf(t.db, orgId, pat.patientId, { grantedBy: pat.userId, relationship: 'invited' });
    expect((await remove(pat.patientId, proxy.grantId, pat.token)).statusCode).toBe(404);
  });

  it('answers 400 for a malformed grant id, 401 without a session, 404 to another patient and to billing', async () => {
    const provider = await buildOutsideProvider(t.db, orgId);
    const { member } = (await add(pat.patientId, provider.id, pat.token)).json();
    expect((await remove(pat.patientId, 'nope', pat.token)).statusCode).toBe(400);
    expect((await remove(pat.patientId, member.grantId)).statusCode).toBe(401);
    expect((await remove(pat.patientId, member.grantId, stranger.token)).statusCode).toBe(404);
    expect((await remove(pat.patientId, member.grantId, billing)).statusCode).toBe(404);
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, member.grantId));
    expect(grant!.revokedAt).toBeNull();
  });
});
