import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { npiCheckDigit } from '@portico/shared';
import { auditEvents, memberships, oneTimeTokens, practices, providerRegistrations, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildPractice, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, linkTokenFrom, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
let otherOrgId: string;
/** Session cookies: the support team, a clinician, a patient, support of another organization. */
let support: string;
let supportUserId: string;
let clinician: string;
let patient: string;
let otherSupport: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
  otherOrgId = (await buildOrganization(t.db)).organization.id;
  const supportUser = await buildUser(t.db, { role: 'support', organizationId: orgId });
  supportUserId = supportUser.id;
  support = await signInAs(t.db, supportUser);
  clinician = await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: orgId }));
  patient = await signInAs(t.db, (await buildPatient(t.db, orgId, { withAccount: true })).user!);
  otherSupport = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: otherOrgId }));
});
afterAll(() => t.close());

function freshNpi(): string {
  const nine = `1${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
  return `${nine}${npiCheckDigit(nine)}`;
}

/** A pending registration stored directly (the public route has its own tests). */
async function pending(overrides: Partial<typeof providerRegistrations.$inferInsert> = {}) {
  const tag = randomBytes(4).toString('hex');
  const [row] = await t.db
    .insert(providerRegistrations)
    .values({
      organizationId: orgId,
      givenName: 'Grace',
      familyName: `Harbor${tag}`,
      credentials: 'DO',
      npi: freshNpi(),
      email: `grace-${tag}@practice.example.test`,
      phone: '617 555 0110',
      practiceName: `Practice ${tag}`,
      practiceAddress: '2 Harbor Way',
      practicePhone: '617 555 0111',
      practiceFax: '617 555 0112',
      ...overrides,
    })
    .returning();
  return row!;
}

const get = (url: string, session?: string) => t.app.inject({ method: 'GET', url, headers: session ? cookieFor(session) : {} });
const post = (url: string, payload: object, session?: string) =>
  t.app.inject({ method: 'POST', url, payload, headers: { ...csrfHeaders, ...(session ? cookieFor(session) : {}) } });
const approve = (id: string, session = support, payload: object = {}) => post(`/api/support/registrations/${id}/approve`, payload, session);
const reject = (id: string, payload: object, session = support) => post(`/api/support/registrations/${id}/reject`, payload, session);

async function auditOf(action: string, objectId: string) {
  return t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.objectId, objectId)));
}

describe('GET /api/support/registrations', () => {
  it('lists the organization’s pending registrations oldest first for the support team, and audits the read', async () => {
    const first = await pending({ createdAt: new Date(Date.now() - 120_000) });
    const second = await pending({ createdAt: new Date(Date.now() - 60_000) });
    const elsewhere = await pending({ organizationId: otherOrgId });
    const response = await get('/api/support/registrations?status=pending', support);
    expect(response.statusCode).toBe(200);
    const ids = (response.json().registrations as { id: string }[]).map((r) => r.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(ids).not.toContain(elsewhere.id);
    expect(response.json().registrations.find((r: { id: string }) => r.id === first.id)).toMatchObject({
      npi: first.npi,
      email: first.email,
      practiceName: first.practiceName,
      status: 'pending',
      decidedAt: null,
    });
    const reads = await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'provider.registrations.read'));
    expect(reads.some((e) => e.actorUserId === supportUserId)).toBe(true);
  });

  it('answers 401 without a session, 403 for a clinician and a patient, 400 for an unknown status', async () => {
    expect((await get('/api/support/registrations')).statusCode).toBe(401);
    expect((await get('/api/support/registrations', clinician)).statusCode).toBe(403);
    expect((await get('/api/support/registrations', patient)).statusCode).toBe(403);
    expect((await get('/api/support/registrations?status=lost', support)).statusCode).toBe(400);
  });
});

describe('POST /api/support/registrations/:id/approve', () => {
  it('makes the account, a new practice and its membership, marks the registration approved, emails the activation link and audits', async () => {
    const row = await pending();
    const response = await approve(row.id);
    expect(response.statusCode).toBe(200);
    expect(response.json().registration).toMatchObject({ id: row.id, status: 'approved' });
    const [user] = await t.db.select().from(users).where(eq(users.npi, row.npi));
    expect(user).toMatchObject({
      email: row.email,
      displayName: `Grace ${row.familyName}`,
      credentials: 'DO',
      organizationId: orgId,
      emailVerifiedAt: null,
      totpEnabledAt: null,
    });
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    const [membership] = await t.db.select().from(memberships).where(eq(memberships.userId, user!.id));
    expect(membership).toMatchObject({ kind: 'practice', role: 'outside_provider', organizationId: orgId });
    const [practice] = await t.db.select().from(practices).where(eq(practices.id, membership!.practiceId!));
    expect(practice).toMatchObject({
      organizationId: orgId,
      name: row.practiceName,
      address: '2 Harbor Way',
      phone: '617 555 0111',
      fax: '617 555 0112',
    });
    const [decided] = await t.db.select().from(providerRegistrations).where(eq(providerRegistrations.id, row.id));
    expect(decided).toMatchObject({ status: 'approved', userId: user!.id, decidedBy: supportUserId, practiceId: practice!.id });
    expect(decided!.decidedAt).not.toBeNull();
    const [mail] = (await t.mail()).filter((m) => m.toAddress === row.email);
    expect(mail!.text).toContain('http://localhost:3000/provider/activate#token=');
    expect(mail!.text).toContain('7 days');
    const [token] = await t.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.userId, user!.id));
    expect(token!.purpose).toBe('provider_activation');
    expect(token!.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86400_000);
    expect(linkTokenFrom(mail!.text)).not.toBe(token!.tokenHash);
    expect(await auditOf('provider.registration.approve', row.id)).toMatchObject([{ outcome: 'success', actorUserId: supportUserId }]);
  });

  it('puts the provider in an existing practice of the organization when one is named, making no new practice', async () => {
    const practice = await buildPractice(t.db, orgId);
    const row = await pending();
    const before = (await t.db.select().from(practices)).length;
    expect((await approve(row.id, support, { practiceId: practice.id })).statusCode).toBe(200);
    const [user] = await t.db.select().from(users).where(eq(users.npi, row.npi));
    const [membership] = await t.db.select().from(memberships).where(eq(memberships.userId, user!.id));
    expect(membership!.practiceId).toBe(practice.id);
    expect((await t.db.select().from(practices)).length).toBe(before);
  });

  it('answers 400 practice_not_found for a practice of another organization, making nothing', async () => {
    const foreign = await buildPractice(t.db, otherOrgId);
    const row = await pending();
    const response = await approve(row.id, support, { practiceId: foreign.id });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('practice_not_found');
    expect(await t.db.select().from(users).where(eq(users.npi, row.npi))).toEqual([]);
    expect((await t.db.select().from(providerRegistrations).where(eq(providerRegistrations.id, row.id)))[0]!.status).toBe('pending');
  });

  it('makes one account when the support team approves at once: the others get 409 registration_not_pending', async () => {
    const row = await pending();
    const responses = await Promise.all(Array.from({ length: 8 }, () => approve(row.id)));
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect(responses.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'registration_not_pending')).toBe(true);
    expect(await t.db.select().from(users).where(eq(users.npi, row.npi))).toHaveLength(1);
  });

  it('answers 409 email_taken when the registration’s email already has an account', async () => {
    const existing = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const row = await pending({ email: existing.email.toUpperCase() });
    const response = await approve(row.id);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('email_taken');
  });

  it('answers 401 without a session, 403 for a clinician and a patient, 404 for an unknown id or another organization’s, 400 for a bad id or body', async () => {
    const row = await pending();
    expect((await approve(row.id, '')).statusCode).toBe(401);
    expect((await approve(row.id, clinician)).statusCode).toBe(403);
    expect((await approve(row.id, patient)).statusCode).toBe(403);
    expect((await approve(randomUUID())).statusCode).toBe(404);
    expect((await approve(row.id, otherSupport)).statusCode).toBe(404);
    expect((await approve('not-a-uuid')).statusCode).toBe(400);
    expect((await approve(row.id, support, { practiceId: 'nope' })).statusCode).toBe(400);
    expect((await t.db.select().from(providerRegistrations).where(eq(providerRegistrations.id, row.id)))[0]!.status).toBe('pending');
    expect(await auditOf('provider.registration.approve', row.id)).toContainEqual(expect.objectContaining({ outcome: 'denied' }));
  });
});

describe('POST /api/support/registrations/:id/reject', () => {
  it('rejects with the reason, stores it, emails the registrant “not approved” with it, and audits', async () => {
    const row = await pending();
    const response = await reject(row.id, { reason: 'The NPI belongs to another physician.' });
    expect(response.statusCode).toBe(200);
    expect(response.json().registration).toMatchObject({ status: 'rejected', decisionReason: 'The NPI belongs to another physician.' });
    const [decided] = await t.db.select().from(providerRegistrations).where(eq(providerRegistrations.id, row.id));
    expect(decided).toMatchObject({ status: 'rejected', decidedBy: supportUserId, userId: null });
    const [mail] = (await t.mail()).filter((m) => m.toAddress === row.email);
    expect(mail!.subject).toBe('Your provider portal registration was not approved');
    expect(mail!.text).toContain('The NPI belongs to another physician.');
    expect(await auditOf('provider.registration.reject', row.id)).toMatchObject([{ outcome: 'success' }]);
    expect((await reject(row.id, { reason: 'again' })).json().error.code).toBe('registration_not_pending');
    expect((await approve(row.id)).statusCode).toBe(409);
  });

  it('answers 400 for a missing, empty or over-long reason, 401, 403 and 404 like approval', async () => {
    const row = await pending();
    expect((await reject(row.id, {})).statusCode).toBe(400);
    expect((await reject(row.id, { reason: '   ' })).statusCode).toBe(400);
    expect((await reject(row.id, { reason: 'x'.repeat(501) })).statusCode).toBe(400);
    expect((await reject(row.id, { reason: 'no' }, '')).statusCode).toBe(401);
    expect((await reject(row.id, { reason: 'no' }, clinician)).statusCode).toBe(403);
    expect((await reject(randomUUID(), { reason: 'no' })).statusCode).toBe(404);
    expect((await t.db.select().from(providerRegistrations).where(eq(providerRegistrations.id, row.id)))[0]!.status).toBe('pending');
  });
});
