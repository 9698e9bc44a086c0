import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents, memberships, sessions, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, linkTokenFrom, type TestApp } from '../../test/test-app.ts';
import { buildSponsor, buildSponsored } from './sponsors.test-support.ts';
import { invitationsPerDay } from './sponsors.service.ts';

/** Sponsorship (issue 12 §1): a physician with an NPI invites, lists and removes their practice's staff. */
let t: TestApp;
let orgId: string;
let sponsor: Awaited<ReturnType<typeof buildSponsor>>;
let sponsorSession: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
  sponsor = await buildSponsor(t.db, orgId);
  sponsorSession = await signInAs(t.db, sponsor);
});
afterAll(() => t.close());

const get = (url: string, session?: string) => t.app.inject({ method: 'GET', url, headers: session ? cookieFor(session) : {} });
const send = (method: 'POST' | 'DELETE', url: string, payload: object | undefined, session?: string) =>
  t.app.inject({ method, url, ...(payload ? { payload } : {}), headers: { ...csrfHeaders, ...(session ? cookieFor(session) : {}) } });
const invite = (payload: object, session = sponsorSession) => send('POST', '/api/sponsor/users', payload, session);
let n = 0;
const body = (overrides: object = {}) => ({
  givenName: 'Rita',
  familyName: `Nurse${++n}`,
  email: `rita-${n}-${Date.now()}@practice.example.test`,
  title: 'registered_nurse',
  ...overrides,
});

describe('POST /api/sponsor/users', () => {
  it('makes the account and the sponsored membership of the sponsor’s practice, and emails the activation link', async () => {
    const payload = body();
    const response = await invite(payload);
    expect(response.statusCode).toBe(201);
    const user = response.json().user;
    expect(user).toMatchObject({
      displayName: `Rita ${payload.familyName}`,
      email: payload.email,
      title: 'registered_nurse',
      activated: false,
    });
    const [membership] = await t.db.select().from(memberships).where(eq(memberships.userId, user.userId));
    expect(membership).toMatchObject({
      kind: 'practice',
      role: 'sponsored_staff',
      sponsorUserId: sponsor.id,
      practiceId: sponsor.practiceId,
    });
    const [account] = await t.db.select().from(users).where(eq(users.id, user.userId));
    expect(account).toMatchObject({ organizationId: orgId, emailVerifiedAt: null, npi: null });
    // Nobody can sign in before activation: the password is random.
    expect((await send('POST', '/api/auth/sign-in', { identifier: payload.email, password: testPassword })).statusCode).toBe(401);

    const mail = (await t.mail()).find((m) => m.toAddress === payload.email);
    expect(mail?.text).toContain('/provider/activate#token=');
    expect(mail?.text).toContain('Test outside_provider has sponsored you');
    // The activation page's endpoint sets the username and password; the list then says activated.
    const activated = await send('POST', '/api/provider-activation', {
      token: linkTokenFrom(mail!.text),
      username: `rita${n}x${Date.now()}`,
      password: 'a long and unusual passphrase 7',
    });
    expect(activated.statusCode).toBe(200);
    const list = await get('/api/sponsor/users', sponsorSession);
    expect(list.json().users.find((u: { userId: string }) => u.userId === user.userId)).toMatchObject({ activated: true });
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, user.userId), eq(auditEvents.action, 'sponsor.user.create')));
    expect(audit?.actorUserId).toBe(sponsor.id);
  });

  it('answers 409 when the email has an account', async () => {
    const existing = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const response = await invite(body({ email: existing.email.toUpperCase() }));
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('email_taken');
  });

  it(`invites at most ${invitationsPerDay} a day, counted safely under concurrency`, async () => {
    const busy = await buildSponsor(t.db, orgId);
    const session = await signInAs(t.db, busy);
    const answers = await Promise.all(Array.from({ length: invitationsPerDay + 3 }, () => invite(body(), session)));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(invitationsPerDay);
    expect(codes.filter((c) => c === 429)).toHaveLength(3);
    const made = await t.db.select().from(memberships).where(eq(memberships.sponsorUserId, busy.id));
    expect(made).toHaveLength(invitationsPerDay);
  });

  it('answers 400 naming a bad field', async () => {
    const badTitle = await invite(body({ title: 'surgeon' }));
    expect(badTitle.statusCode).toBe(400);
    expect(JSON.stringify(badTitle.json())).toContain('title');
    expect((await invite(body({ email: 'not an email' }))).statusCode).toBe(400);
    expect((await invite(body({ givenName: ' ' }))).statusCode).toBe(400);
  });

  it('answers 401 signed out and 403 to sponsored staff, staff, patients and a provider without an NPI', async () => {
    expect((await send('POST', '/api/sponsor/users', body())).statusCode).toBe(401);
    const staff = await buildSponsored(t.db, orgId, sponsor);
    const noNpi = await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, mfa: true });
    for (const user of [
      staff,
      noNpi,
      await buildUser(t.db, { role: 'clinician', organizationId: orgId }),
      (await buildPatient(t.db, orgId, { withAccount: true })).user!,
    ])
      expect((await invite(body(), await signInAs(t.db, user))).statusCode).toBe(403);
  });
});

describe('GET /api/sponsor/users', () => {
  it('lists the sponsor’s own active sponsored users only', async () => {
    const mine = await buildSponsored(t.db, orgId, sponsor);
    const other = await buildSponsor(t.db, orgId, sponsor.practiceId);
    const theirs = await buildSponsored(t.db, orgId, other);
    const response = await get('/api/sponsor/users', sponsorSession);
    expect(response.statusCode).toBe(200);
    const ids = response.json().users.map((u: { userId: string }) => u.userId);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
  });

  it('answers 401 and 403', async () => {
    expect((await get('/api/sponsor/users')).statusCode).toBe(401);
    const clinician = await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: orgId }));
    expect((await get('/api/sponsor/users', clinician)).statusCode).toBe(403);
  });
});

describe('DELETE /api/sponsor/users/:userId', () => {
  it('ends the membership, disables the account and ends its sessions', async () => {
    const staff = await buildSponsored(t.db, orgId, sponsor);
    const staffSession = await signInAs(t.db, staff);
    const response = await send('DELETE', `/api/sponsor/users/${staff.id}`, undefined, sponsorSession);
    expect(response.statusCode).toBe(200);
    const [membership] = await t.db.select().from(memberships).where(eq(memberships.userId, staff.id));
    expect(membership?.endedAt).not.toBeNull();
    const [account] = await t.db.select().from(users).where(eq(users.id, staff.id));
    expect(account?.disabledAt).not.toBeNull();
    expect((await t.db.select().from(sessions).where(eq(sessions.userId, staff.id))).every((s) => s.revokedAt)).toBe(true);
    expect((await get('/api/me', staffSession)).statusCode).toBe(401);
    expect((await get('/api/sponsor/users', sponsorSession)).json().users.map((u: { userId: string }) => u.userId)).not.toContain(staff.id);
    // A second removal finds nothing.
    expect((await send('DELETE', `/api/sponsor/users/${staff.id}`, undefined, sponsorSession)).statusCode).toBe(404);
  });

  it('answers 404 for another sponsor’s user and for anyone else, 400 for a malformed id, 401 and 403', async () => {
    const other = await buildSponsor(t.db, orgId, sponsor.practiceId);
    const theirs = await buildSponsored(t.db, orgId, other);
    expect((await send('DELETE', `/api/sponsor/users/${theirs.id}`, undefined, sponsorSession)).statusCode).toBe(404);
    expect((await send('DELETE', `/api/sponsor/users/${other.id}`, undefined, sponsorSession)).statusCode).toBe(404);
    expect((await send('DELETE', '/api/sponsor/users/not-an-id', undefined, sponsorSession)).statusCode).toBe(400);
    expect((await send('DELETE', `/api/sponsor/users/${theirs.id}`, undefined)).statusCode).toBe(401);
    expect((await send('DELETE', `/api/sponsor/users/${theirs.id}`, undefined, await signInAs(t.db, theirs))).statusCode).toBe(403);
    const [membership] = await t.db.select().from(memberships).where(eq(memberships.userId, theirs.id));
    expect(membership?.endedAt).toBeNull();
  });
});

describe('email change of outside accounts', () => {
  const change = (session: string) =>
    send('POST', '/api/auth/email/change', { password: testPassword, newEmail: `new-${Date.now()}-${++n}@example.test` }, session);

  it('refuses a sponsored user, naming why: the sponsor makes a new account', async () => {
    const staff = await buildSponsored(t.db, orgId, sponsor);
    const response = await change(await signInAs(t.db, staff));
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({ code: 'sponsored_email_change' });
    expect(response.json().error.message).toContain('sponsor');
  });

  it('lets a provider with an NPI change their own', async () => {
    expect((await change(sponsorSession)).statusCode).toBe(202);
  });
});
