import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessGrants, auditEvents, organizations, proxyInvitations, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, linkTokenFrom, type TestApp } from '../../test/test-app.ts';
import { fullProxyCategories } from './proxy-access.ts';

let t: TestApp;
let orgId: string;
const publicUrl = 'http://localhost:3000';
/** The inviting patient (an adult with an account), their session, and a stranger with a record of their own. */
let pat: { patientId: string; userId: string; token: string };
let stranger: { patientId: string; token: string };

const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const invite = (token: string | undefined, patientId: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/patients/${patientId}/proxy-invitations`, headers: headers(token), payload });
const preview = (token: string) =>
  t.app.inject({ method: 'POST', url: '/api/proxy-invitations/preview', headers: headers(), payload: { token } });
const accept = (session: string | undefined, token: string, birthDate: string) =>
  t.app.inject({ method: 'POST', url: '/api/proxy-invitations/accept', headers: headers(session), payload: { token, birthDate } });

/** An invitee: an account with no record of their own. */
async function buildInvitee() {
  const user = await buildUser(t.db, { role: 'proxy', organizationId: orgId });
  return { userId: user.id, token: await signInAs(t.db, user) };
}

/** Invites someone as Pat and returns the invitation and the token from the email. */
async function invitation(payload: Record<string, unknown> = {}) {
  const email = `invitee-${Math.random().toString(36).slice(2)}@example.test`;
  const response = await invite(pat.token, pat.patientId, { email, name: 'Ana, my daughter', level: 'full', ...payload });
  expect(response.statusCode).toBe(201);
  const mail = (await t.mail()).find((m) => m.toAddress === email);
  return { id: response.json<{ invitation: { id: string } }>().invitation.id, token: linkTokenFrom(mail!.text), mail: mail! };
}

beforeAll(async () => {
  t = await buildTestApp({ publicUrl });
  const { organization } = await buildOrganization(t.db, 'Riverside Health');
  orgId = organization.id;
  await t.db.update(organizations).set({ timeZone: 'America/Los_Angeles' }).where(eq(organizations.id, orgId));
  const p = await buildPatient(t.db, orgId, { withAccount: true, givenName: 'Pat', familyName: 'Quill', birthDate: '1950-04-02' });
  pat = { patientId: p.patient.id, userId: p.user!.id, token: await signInAs(t.db, p.user!) };
  const s = await buildPatient(t.db, orgId, { withAccount: true });
  stranger = { patientId: s.patient.id, token: await signInAs(t.db, s.user!) };
});
afterAll(() => t.close());
// Pat invites in nearly every test: each test starts on a new day for the rolling cap, which has tests of its own.
beforeEach(async () => {
  await t.db
    .update(proxyInvitations)
    .set({ createdAt: new Date(Date.now() - 86_400_000 - 1000) })
    .where(eq(proxyInvitations.patientId, pat.patientId));
});

describe('POST /api/patients/:id/proxy-invitations', () => {
  it('answers 201 with the invitation and emails a link without any patient data', async () => {
    const { id, token, mail } = await invitation({ level: 'areas', areas: ['appointments', 'messages'] });
    const [row] = await t.db.select().from(proxyInvitations).where(eq(proxyInvitations.id, id));
    expect(row).toMatchObject({ status: 'pending', level: 'areas', areas: ['appointments', 'messages'], invitedBy: pat.userId });
    expect(row!.tokenHash).not.toContain(token);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(14 * 86_400_000);
    expect(mail.text).toContain(`${publicUrl}/proxy-invitation#token=${token}`);
    expect(mail.text).toContain('Riverside Health');
    expect(mail.text).not.toMatch(/Pat|Quill|1950|daughter/);
  });

  it('writes the invitation in the patient’s language', async () => {
    await t.db.update(users).set({ locale: 'es' }).where(eq(users.id, pat.userId));
    try {
      const { mail } = await invitation();
      expect(mail.subject).toBe('Le invitan a ayudar con el expediente médico de una persona');
    } finally {
      await t.db.update(users).set({ locale: 'en' }).where(eq(users.id, pat.userId));
    }
  });

  it('answers 400 naming the field for chosen areas without any area, or a bad email', async () => {
    const noArea = await invite(pat.token, pat.patientId, { email: 'a@example.test', name: 'A', level: 'areas', areas: [] });
    expect(noArea.statusCode).toBe(400);
    expect(noArea.json()).toMatchObject({ error: { code: 'validation_failed', field: 'areas' } });
    const badEmail = await invite(pat.token, pat.patientId, { email: 'not an email', name: 'A', level: 'full' });
    expect(badEmail.statusCode).toBe(400);
  });

  it('answers 400 naming the email when the patient invites their own address', async () => {
    const [own] = await t.db.select({ email: users.email }).from(users).where(eq(users.id, pat.userId));
    const response = await invite(pat.token, pat.patientId, { email: own!.email.toUpperCase(), name: 'Me', level: 'full' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'validation_failed', field: 'email' } });
  });

  it('answers 401 without a session and 404 for someone else’s record, sending nothing', async () => {
    expect((await invite(undefined, pat.patientId, { email: 'x@example.test', name: 'X', level: 'full' })).statusCode).toBe(401);
    const response = await invite(stranger.token, pat.patientId, { email: 'y@example.test', name: 'Y', level: 'full' });
    expect(response.statusCode).toBe(404);
    expect((await t.mail()).some((m) => m.toAddress === 'y@example.test')).toBe(false);
  });

  it('answers 429 once 10 invitations are waiting', async () => {
    const p = await buildPatient(t.db, orgId, { withAccount: true });
    const token = await signInAs(t.db, p.user!);
    for (let i = 0; i < 10; i++)
      expect((await invite(token, p.patient.id, { email: `many${i}@example.test`, name: 'N', level: 'full' })).statusCode).toBe(201);
    const response = await invite(token, p.patient.id, { email: 'eleventh@example.test', name: 'N', level: 'full' });
    expect(response.statusCode).toBe(429);
    expect(response.json()).toMatchObject({ error: { code: 'too_many_invitations' } });
  });
});

describe('DELETE /api/patients/:id/proxy-invitations/:invitationId', () => {
  const cancel = (token: string | undefined, patientId: string, id: string) =>
    t.app.inject({ method: 'DELETE', url: `/api/patients/${patientId}/proxy-invitations/${id}`, headers: headers(token) });

  it('cancels a waiting invitation; its link then answers 404; a second cancel is a 409', async () => {
    const { id, token } = await invitation();
    expect((await cancel(stranger.token, pat.patientId, id)).statusCode).toBe(404);
    expect((await cancel(undefined, pat.patientId, id)).statusCode).toBe(401);
    expect((await cancel(pat.token, pat.patientId, 'not-a-uuid')).statusCode).toBe(400);
    expect((await cancel(pat.token, pat.patientId, id)).json()).toEqual({ ok: true });
    expect((await preview(token)).statusCode).toBe(404);
    const again = await cancel(pat.token, pat.patientId, id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'invitation_not_pending' } });
  });

  it('answers 404 for an invitation of another patient', async () => {
    const { id } = await invitation();
    expect((await cancel(stranger.token, stranger.patientId, id)).statusCode).toBe(404);
  });
});

describe('POST /api/proxy-invitations/preview', () => {
  it('shows the organization, the name given and the level, without signing in', async () => {
    const { token } = await invitation({ level: 'areas', areas: ['record'] });
    const response = await preview(token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      organizationName: 'Riverside Health',
      invitedAs: 'Ana, my daughter',
      level: 'areas',
      areas: ['record'],
    });
  });

  it('answers 404 for an unknown or expired token and 400 for a malformed one', async () => {
    expect((await preview('x'.repeat(43))).statusCode).toBe(404);
    expect((await preview('short')).statusCode).toBe(400);
    const { id, token } = await invitation();
    await t.db
      .update(proxyInvitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(proxyInvitations.id, id));
    expect((await preview(token)).statusCode).toBe(404);
  });
});

describe('POST /api/proxy-invitations/accept', () => {
  it('makes a full proxy granted by the patient, audited, and opens the record to the invitee', async () => {
    const { id, token } = await invitation();
    const invitee = await buildInvitee();
    const response = await accept(invitee.token, token, '1950-04-02');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ patientId: pat.patientId, displayName: 'Pat Quill' });
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, invitee.userId));
    expect(grant).toMatchObject({ kind: 'proxy', relationship: 'invited', level: 'full', grantedBy: pat.userId, patientId: pat.patientId });
    expect(new Set(grant!.categories)).toEqual(new Set(['demographics', 'clinical', 'appointments', 'billing', 'preferences', 'messages']));
    const [row] = await t.db.select().from(proxyInvitations).where(eq(proxyInvitations.id, id));
    expect(row).toMatchObject({ status: 'accepted', acceptedBy: invitee.userId, grantId: grant!.id });
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'proxy.invitation.accept'), eq(auditEvents.actorUserId, invitee.userId)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'success', patientId: pat.patientId });
    // The next request reaches the record through the grant (a full proxy reads the Sharing page).
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/patients/${pat.patientId}/sharing`, headers: cookieFor(invitee.token) })).statusCode,
    ).toBe(200);
    // The link is used: a preview now answers 404.
    expect((await preview(token)).statusCode).toBe(404);
  });

  it('gives chosen areas their categories and demographics, no settings', async () => {
    const { token } = await invitation({ level: 'areas', areas: ['appointments', 'billing'] });
    const invitee = await buildInvitee();
    expect((await accept(invitee.token, token, '1950-04-02')).statusCode).toBe(200);
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, invitee.userId));
    expect(new Set(grant!.categories)).toEqual(new Set(['demographics', 'appointments', 'billing']));
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/patients/${pat.patientId}/sharing`, headers: cookieFor(invitee.token) })).statusCode,
    ).toBe(404);
  });

  it('answers 400 for a wrong birth date, counts it, and locks the invitation at the fifth (then 404)', async () => {
    const { id, token } = await invitation();
    const invitee = await buildInvitee();
    for (let i = 1; i <= 5; i++) {
      const response = await accept(invitee.token, token, '1950-04-03');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'birth_date_mismatch', field: 'birthDate' } });
      expect(response.json<{ error: { message: string } }>().error.message.includes('now locked')).toBe(i === 5);
    }
    const [row] = await t.db.select().from(proxyInvitations).where(eq(proxyInvitations.id, id));
    expect(row).toMatchObject({ status: 'locked', failedAttempts: 5 });
    expect((await accept(invitee.token, token, '1950-04-02')).statusCode).toBe(404);
    expect(await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, invitee.userId))).toEqual([]);
  });

  it('answers 400 for a date that is not a date, 401 without a session, 404 for an unknown token', async () => {
    const { token } = await invitation();
    const invitee = await buildInvitee();
    expect((await accept(invitee.token, token, '1950-02-30')).statusCode).toBe(400);
    expect((await accept(undefined, token, '1950-04-02')).statusCode).toBe(401);
    expect((await accept(invitee.token, 'y'.repeat(43), '1950-04-02')).statusCode).toBe(404);
  });

  it('refuses the patient accepting their own invitation', async () => {
    const { token } = await invitation();
    const response = await accept(pat.token, token, '1950-04-02');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'own_record_invitation' } });
  });

  it('makes one grant when the same invitation is accepted twice at once, and one when two people race', async () => {
    const { token } = await invitation();
    const invitee = await buildInvitee();
    const answers = await Promise.all([accept(invitee.token, token, '1950-04-02'), accept(invitee.token, token, '1950-04-02')]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
    expect(await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, invitee.userId))).toHaveLength(1);

    const second = await invitation();
    const [a, b] = [await buildInvitee(), await buildInvitee()];
    const raced = await Promise.all([accept(a.token, second.token, '1950-04-02'), accept(b.token, second.token, '1950-04-02')]);
    expect(raced.map((r) => r.statusCode).sort()).toEqual([200, 404]);
  });

  it('answers 404 when whoever invited no longer manages the patient’s sharing (a proxy staff ended), and cancels it', async () => {
    const inviter = await buildUser(t.db, { role: 'proxy', organizationId: orgId });
    const [grant] = await t.db
      .insert(accessGrants)
      .values({
        granteeUserId: inviter.id,
        patientId: pat.patientId,
        kind: 'proxy',
        level: 'full',
        relationship: 'invited',
        grantedBy: pat.userId,
        categories: [...fullProxyCategories],
      })
      .returning();
    const email = 'second-account@example.test';
    const sent = await invite(await signInAs(t.db, inviter), pat.patientId, { email, name: 'Me again', level: 'full' });
    expect(sent.statusCode).toBe(201);
    const id = sent.json<{ invitation: { id: string } }>().invitation.id;
    const token = linkTokenFrom((await t.mail()).find((m) => m.toAddress === email)!.text);
    await t.db.update(accessGrants).set({ revokedAt: new Date(), revokeReason: 'ended by staff' }).where(eq(accessGrants.id, grant!.id));
    const invitee = await buildInvitee();
    const response = await accept(invitee.token, token, '1950-04-02');
    expect(response.statusCode).toBe(404);
    expect(await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, invitee.userId))).toEqual([]);
    const [row] = await t.db.select().from(proxyInvitations).where(eq(proxyInvitations.id, id));
    expect(row!.status).toBe('cancelled');
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'proxy.invitation.accept'), eq(auditEvents.objectId, id)));
    expect(event).toMatchObject({ outcome: 'denied', details: { reason: 'inviter_access_ended' } });
  });

  it('answers 409 to someone who already acts for the patient', async () => {
    const first = await invitation();
    const invitee = await buildInvitee();
    expect((await accept(invitee.token, first.token, '1950-04-02')).statusCode).toBe(200);
    const second = await invitation();
    const response = await accept(invitee.token, second.token, '1950-04-02');
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'already_proxy' } });
  });

  it('accepts someone whose earlier access ended on its end date, closing that grant, and 409s one not started yet', async () => {
    const day = 86_400_000;
    const ended = await buildInvitee();
    const endedGrant = {
      granteeUserId: ended.userId,
      patientId: pat.patientId,
      kind: 'proxy',
      relationship: 'legal_representative',
      level: 'full',
      categories: ['demographics'],
      grantedBy: pat.userId,
    };
    const [old] = await t.db
      .insert(accessGrants)
      .values({ ...endedGrant, startsAt: new Date(Date.now() - 30 * day), endsAt: new Date(Date.now() - day) })
      .returning();
    const response = await accept(ended.token, (await invitation()).token, '1950-04-02');
    expect(response.statusCode).toBe(200);
    const [closed] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, old!.id));
    expect(closed).toMatchObject({ revokeReason: 'ended: past its end date' });
    expect(closed!.revokedAt).not.toBeNull();
    const inForce = await t.db
      .select()
      .from(accessGrants)
      .where(and(eq(accessGrants.granteeUserId, ended.userId), eq(accessGrants.relationship, 'invited')));
    expect(inForce).toHaveLength(1);

    const later = await buildInvitee();
    await t.db.insert(accessGrants).values({ ...endedGrant, granteeUserId: later.userId, startsAt: new Date(Date.now() + 5 * day) });
    const pending = await invitation();
    const refused = await accept(later.token, pending.token, '1950-04-02');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'already_proxy' } });
    // Nothing was accepted: the invitation still waits.
    const [still] = await t.db.select().from(proxyInvitations).where(eq(proxyInvitations.id, pending.id));
    expect(still!.status).toBe('pending');
  });
});

describe('POST /api/proxy-invitations/sign-up', () => {
  const signUp = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/proxy-invitations/sign-up', headers: headers(), payload });
  const account = (token: string, overrides: Record<string, unknown> = {}) => ({
    token,
    birthDate: '1950-04-02',
    givenName: 'Ana',
    familyName: 'Quill',
    username: `ana-${Math.random().toString(36).slice(2, 8)}`,
    password: 'Lantern-Harbor-Cobalt-71',
    ...overrides,
  });

  it('opens an account with the invitation’s email, confirmed, and makes it a proxy of the patient at once', async () => {
    const { id, token, mail } = await invitation({ level: 'areas', areas: ['appointments'] });
    const body = account(token);
    const response = await signUp(body);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toEqual({ status: 'account_created', username: body.username });
    const [user] = await t.db.select().from(users).where(eq(users.username, body.username));
    expect(user).toMatchObject({ email: mail.toAddress, displayName: 'Ana Quill' });
    expect(user!.emailVerifiedAt).not.toBeNull();
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, user!.id));
    expect(grant).toMatchObject({ kind: 'proxy', relationship: 'invited', patientId: pat.patientId, grantedBy: pat.userId });
    expect(grant!.categories).toEqual(['demographics', 'appointments']);
    const [row] = await t.db.select().from(proxyInvitations).where(eq(proxyInvitations.id, id));
    expect(row).toMatchObject({ status: 'accepted', acceptedBy: user!.id, grantId: grant!.id });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'proxy.invitation.accept'), eq(auditEvents.actorUserId, user!.id)));
    expect(event).toMatchObject({ outcome: 'success', patientId: pat.patientId });

    // The new account signs in with its password and sees the patient among those it acts for.
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: headers(),
      payload: { identifier: body.username, password: body.password },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
    // The link is used: a second sign-up with it finds nothing.
    expect((await signUp(account(token))).statusCode).toBe(404);
  });

  it('opens no account for a wrong birth date, counts it, and locks the invitation at the fifth', async () => {
    const { id, token } = await invitation();
    const body = account(token, { birthDate: '1950-04-03' });
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const response = await signUp(body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'birth_date_mismatch', field: 'birthDate' } });
    }
    expect(await t.db.select().from(users).where(eq(users.username, body.username))).toEqual([]);
    const [row] = await t.db.select().from(proxyInvitations).where(eq(proxyInvitations.id, id));
    expect(row).toMatchObject({ status: 'locked', failedAttempts: 5 });
    expect((await signUp(account(token))).statusCode).toBe(404);
  });

  it('answers 409 naming the field for a taken username, and accepts nothing', async () => {
    const { id, token } = await invitation();
    const taken = await buildUser(t.db, { role: 'proxy', organizationId: orgId });
    const response = await signUp(account(token, { username: taken.username }));
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'username_taken', field: 'username' } });
    const [row] = await t.db.select().from(proxyInvitations).where(eq(proxyInvitations.id, id));
    expect(row).toMatchObject({ status: 'pending', failedAttempts: 0 });
  });

  it('answers 400 for a weak password or a missing name, and 404 for an unknown token', async () => {
    const { token } = await invitation();
    const weak = await signUp(account(token, { password: 'abcabcabcabcabc' }));
    expect(weak.statusCode).toBe(400);
    const noName = await signUp(account(token, { givenName: '' }));
    expect(noName.statusCode).toBe(400);
    expect(noName.json()).toMatchObject({ error: { field: 'givenName' } });
    expect((await signUp(account('x'.repeat(43)))).statusCode).toBe(404);
  });
});
