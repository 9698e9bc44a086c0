import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarMonths } from '@portico/shared/zoned-time';
import { accessGrants, auditEvents, providerTokens } from '../../db/schema/index.ts';
import { hashHumanCode } from '../../security/crypto.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { buildOutsideProvider, buildProxyOf } from './care-team.fixtures.ts';

let t: TestApp;
let orgId: string;
let pat: { patientId: string; userId: string; token: string; mrn: string };
let stranger: { patientId: string; token: string };
let frontDesk: string;
let admin: string;
let billing: string;
let teen: { patientId: string; token: string; guardian: string };

const yearsAgo = (years: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate() - 7)).toISOString().slice(0, 10);
};
const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const issue = (patientId: string, payload: object, token?: string) =>
  t.app.inject({ method: 'POST', url: `/api/patients/${patientId}/provider-tokens`, headers: headers(token), payload });
const list = (patientId: string, token?: string) =>
  t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/provider-tokens`, headers: token ? cookieFor(token) : {} });
const revoke = (patientId: string, tokenId: string, token?: string) =>
  t.app.inject({ method: 'DELETE', url: `/api/patients/${patientId}/provider-tokens/${tokenId}`, headers: headers(token) });

/** Marks a token validated by the provider, with the token grant it makes (the MyPatients route has its own tests). */
async function redeem(tokenId: string, patientId: string, providerUserId: string) {
  const [grant] = await t.db
    .insert(accessGrants)
    .values({
      kind: 'token',
      granteeUserId: providerUserId,
      patientId,
      level: 'read',
      categories: ['demographics', 'clinical', 'appointments'],
      endsAt: new Date(Date.now() + 86400_000),
    })
    .returning();
  await t.db
    .update(providerTokens)
    .set({ redeemedBy: providerUserId, redeemedAt: new Date(), grantId: grant!.id })
    .where(eq(providerTokens.id, tokenId));
  return grant!.id;
}

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
  const p = await buildPatient(t.db, orgId, { withAccount: true });
  pat = { patientId: p.patient.id, userId: p.user!.id, token: await signInAs(t.db, p.user!), mrn: p.patient.mrn };
  const s = await buildPatient(t.db, orgId, { withAccount: true });
  stranger = { patientId: s.patient.id, token: await signInAs(t.db, s.user!) };
  frontDesk = await signInAs(t.db, await buildUser(t.db, { role: 'front_desk', organizationId: orgId }));
  admin = await signInAs(t.db, await buildUser(t.db, { role: 'admin', organizationId: orgId }));
  billing = await signInAs(t.db, await buildUser(t.db, { role: 'billing', organizationId: orgId }));
  const teenRecord = await buildPatient(t.db, orgId, { withAccount: true, birthDate: yearsAgo(15) });
  const guardian = await buildProxyOf(t.db, orgId, teenRecord.patient.id, { relationship: 'guardian' });
  teen = { patientId: teenRecord.patient.id, token: await signInAs(t.db, teenRecord.user!), guardian: await signInAs(t.db, guardian.user) };
});
afterAll(() => t.close());

describe('POST /api/patients/:id/provider-tokens', () => {
  it('issues a 12-character code shown once with the MRN, stored hashed, valid six calendar months; audited', async () => {
    const before = new Date();
    const response = await issue(pat.patientId, { label: '  Dr. Rivera, cardiology ' }, pat.token);
    expect(response.statusCode).toBe(201);
    const { token } = response.json();
    expect(token.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(token).toMatchObject({ mrn: pat.mrn, label: 'Dr. Rivera, cardiology' });
    const [row] = await t.db.select().from(providerTokens).where(eq(providerTokens.id, token.id));
    expect(row).toMatchObject({
      tokenHash: hashHumanCode(token.code),
      issuedBy: pat.userId,
      patientId: pat.patientId,
      organizationId: orgId,
    });
    expect(JSON.stringify(row)).not.toContain(token.code);
    expect(row!.expiresAt.toISOString()).toBe(addCalendarMonths(row!.createdAt, 6).toISOString());
    expect(row!.expiresAt.getTime()).toBeGreaterThan(addCalendarMonths(before, 6).getTime() - 60_000);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'provider_token.issue'), eq(auditEvents.patientId, pat.patientId)));
    expect(event).toMatchObject({ outcome: 'success' });
    expect(JSON.stringify(event!.details)).not.toContain(token.code);
  });

  it('lets the front desk and administrators issue one for the patient; not billing', async () => {
    const p = await buildPatient(t.db, orgId);
    expect((await issue(p.patient.id, { label: 'Dr. Lee' }, frontDesk)).statusCode).toBe(201);
    expect((await issue(p.patient.id, { label: 'Dr. Lee' }, admin)).statusCode).toBe(201);
    expect((await issue(p.patient.id, { label: 'Dr. Lee' }, billing)).statusCode).toBe(404);
  });

  it('answers 429 after 10 tokens in 24 hours for one patient', async () => {
    const p = await buildPatient(t.db, orgId);
    for (let i = 0; i < 10; i++) expect((await issue(p.patient.id, { label: `Dr. ${i}` }, frontDesk)).statusCode).toBe(201);
    const refused = await issue(p.patient.id, { label: 'One more' }, frontDesk);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_requests');
    expect(await t.db.select().from(providerTokens).where(eq(providerTokens.patientId, p.patient.id))).toHaveLength(10);
  });

  it('answers 400 for a missing or blank label, 401 without a session, 404 for another patient', async () => {
    const blank = await issue(pat.patientId, { label: '   ' }, pat.token);
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.message).toMatch(/who the token is for/);
    expect((await issue(pat.patientId, {}, pat.token)).statusCode).toBe(400);
    expect((await issue(pat.patientId, { label: 'x'.repeat(201) }, pat.token)).statusCode).toBe(400);
    expect((await issue(pat.patientId, { label: 'Dr. Lee' })).statusCode).toBe(401);
    expect((await issue(pat.patientId, { label: 'Dr. Lee' }, stranger.token)).statusCode).toBe(404);
  });
});

describe('GET /api/patients/:id/provider-tokens', () => {
  it('lists the tokens newest first with their status, who validated one, and never a code', async () => {
    const p = await buildPatient(t.db, orgId, { withAccount: true });
    const session = await signInAs(t.db, p.user!);
    const ids: string[] = [];
    for (const label of ['active', 'redeemed', 'revoked', 'expired'])
      ids.push((await issue(p.patient.id, { label }, session)).json().token.id);
    const provider = await buildOutsideProvider(t.db, orgId, { name: 'Dr. Ana Rivera', practiceName: 'Coastal Cardiology' });
    await redeem(ids[1]!, p.patient.id, provider.id);
    expect((await revoke(p.patient.id, ids[2]!, session)).statusCode).toBe(200);
    await t.db
      .update(providerTokens)
      .set({ createdAt: new Date(Date.now() - 2 * 86400_000), expiresAt: new Date(Date.now() - 86400_000) })
      .where(eq(providerTokens.id, ids[3]!));
    const response = await list(p.patient.id, session);
    expect(response.statusCode).toBe(200);
    const { tokens } = response.json();
    expect(tokens.map((tk: { label: string }) => tk.label)).toEqual(['revoked', 'redeemed', 'active', 'expired']);
    const byLabel = Object.fromEntries(tokens.map((tk: { label: string }) => [tk.label, tk]));
    expect(byLabel.active).toMatchObject({ status: 'active', redeemedBy: null });
    expect(byLabel.redeemed).toMatchObject({
      status: 'redeemed',
      redeemedBy: { name: 'Dr. Ana Rivera', practiceName: 'Coastal Cardiology' },
    });
    expect(byLabel.revoked.status).toBe('revoked');
    expect(byLabel.expired.status).toBe('expired');
    expect(Object.keys(byLabel.active).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'label', 'redeemedBy', 'status']);
  });

  it('does not show a teen’s guardian the tokens the teen issued', async () => {
    const own = (await issue(teen.patientId, { label: 'My counsellor' }, teen.token)).json().token.id;
    const guardians = (await issue(teen.patientId, { label: 'Dr. Family' }, teen.guardian)).json().token.id;
    const seen = (await list(teen.patientId, teen.guardian)).json().tokens.map((tk: { id: string }) => tk.id);
    expect(seen).toContain(guardians);
    expect(seen).not.toContain(own);
    expect((await revoke(teen.patientId, own, teen.guardian)).statusCode).toBe(404);
    expect((await list(teen.patientId, teen.token)).json().tokens.map((tk: { id: string }) => tk.id)).toEqual([guardians, own]);
  });

  it('lets the front desk list them; answers 400 for a malformed id, 401 without a session, 404 to another patient and billing', async () => {
    expect((await list(pat.patientId, frontDesk)).statusCode).toBe(200);
    expect((await list('nope', pat.token)).statusCode).toBe(400);
    expect((await list(pat.patientId)).statusCode).toBe(401);
    expect((await list(pat.patientId, stranger.token)).statusCode).toBe(404);
    expect((await list(pat.patientId, billing)).statusCode).toBe(404);
  });
});

describe('DELETE /api/patients/:id/provider-tokens/:tokenId', () => {
  it('revokes a validated token and the access it gave: the provider’s next chart read answers 404', async () => {
    const id = (await issue(pat.patientId, { label: 'Dr. Lee' }, pat.token)).json().token.id;
    const provider = await buildOutsideProvider(t.db, orgId);
    const session = await signInAs(t.db, provider);
    const grantId = await redeem(id, pat.patientId, provider.id);
    const summary = () =>
      t.app.inject({ method: 'GET', url: `/api/patients/${pat.patientId}/record/summary`, headers: cookieFor(session) });
    expect((await summary()).statusCode).toBe(200);
    const response = await revoke(pat.patientId, id, pat.token);
    expect(response.statusCode).toBe(200);
    expect(response.json().token.status).toBe('revoked');
    expect((await summary()).statusCode).toBe(404);
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, grantId));
    expect(grant).toMatchObject({ revokedBy: pat.userId, revokeReason: 'token revoked' });
    expect((await revoke(pat.patientId, id, pat.token)).json().token.status).toBe('revoked');
  });

  it('answers 400 for a malformed id, 401 without a session, 404 for an unknown token or another patient’s', async () => {
    const id = (await issue(pat.patientId, { label: 'Dr. Lee' }, pat.token)).json().token.id;
    expect((await revoke(pat.patientId, 'nope', pat.token)).statusCode).toBe(400);
    expect((await revoke(pat.patientId, id)).statusCode).toBe(401);
    expect((await revoke(pat.patientId, randomUUID(), pat.token)).statusCode).toBe(404);
    expect((await revoke(stranger.patientId, id, stranger.token)).statusCode).toBe(404);
    expect((await revoke(pat.patientId, id, stranger.token)).statusCode).toBe(404);
    expect((await revoke(pat.patientId, id, billing)).statusCode).toBe(404);
    expect((await revoke(pat.patientId, id, frontDesk)).statusCode).toBe(200);
  });
});
