import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { memberships, practices, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildPractice, buildUser, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { auditOf, supportClient } from './support-test-helpers.ts';

let t: TestApp;
let orgId: string;
let otherOrgId: string;
let support: string;
let otherSupport: string;
let clinician: string;
let client: ReturnType<typeof supportClient>;

beforeAll(async () => {
  t = await buildTestApp();
  client = supportClient(t);
  orgId = (await buildOrganization(t.db)).organization.id;
  otherOrgId = (await buildOrganization(t.db)).organization.id;
  support = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: orgId }));
  otherSupport = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: otherOrgId }));
  clinician = await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: orgId }));
});
afterAll(() => t.close());

/** A physician of a fresh practice, signed in. */
async function physician() {
  const practice = await buildPractice(t.db, orgId, `Old Practice ${Math.random().toString(36).slice(2, 8)}`);
  const user = await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, practiceId: practice.id, mfa: true });
  return { practice, user, session: await signInAs(t.db, user) };
}

const described = { name: 'Bayside Pediatrics', address: '9 Shore Road, Boston', phone: '617 555 0190', fax: '617 555 0191' };
const activeMemberships = (userId: string) =>
  t.db
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), isNull(memberships.endedAt)));

describe('POST /api/mypatients/practice-change', () => {
  it('stores the request with the old practice, shows it as the latest, and refuses a second pending one with 409', async () => {
    const me = await physician();
    const response = await client.post('/api/mypatients/practice-change', { newPractice: described, wasSponsor: true }, me.session);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      change: {
        status: 'pending',
        oldPractice: { id: me.practice.id },
        newPractice: { id: null, name: 'Bayside Pediatrics' },
        wasSponsor: true,
      },
    });
    const latest = await client.get('/api/mypatients/practice-change', me.session);
    expect(latest.json().change.id).toBe(response.json().change.id);
    const second = await client.post('/api/mypatients/practice-change', { newPractice: described, wasSponsor: false }, me.session);
    expect(second.statusCode).toBe(409);
  });

  it('answers 400 with neither or both practices, and for another organization’s practice', async () => {
    const me = await physician();
    expect((await client.post('/api/mypatients/practice-change', { wasSponsor: false }, me.session)).statusCode).toBe(400);
    const other = await buildPractice(t.db, otherOrgId);
    const both = await client.post(
      '/api/mypatients/practice-change',
      { newPracticeId: other.id, newPractice: described, wasSponsor: false },
      me.session,
    );
    expect(both.statusCode).toBe(400);
    const foreign = await client.post('/api/mypatients/practice-change', { newPracticeId: other.id, wasSponsor: false }, me.session);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.field).toBe('newPracticeId');
  });

  it('answers 401 without a session and 403 to staff and support', async () => {
    expect((await client.post('/api/mypatients/practice-change', { newPractice: described, wasSponsor: false })).statusCode).toBe(401);
    expect(
      (await client.post('/api/mypatients/practice-change', { newPractice: described, wasSponsor: false }, clinician)).statusCode,
    ).toBe(403);
    expect((await client.get('/api/mypatients/practice-change', support)).statusCode).toBe(403);
  });
});

describe('GET /api/mypatients/practices', () => {
  it('finds the organization’s practices by name for a practice member, not another organization’s', async () => {
    const me = await physician();
    const mine = await buildPractice(t.db, orgId, 'Cedar Grove Family Practice');
    const theirs = await buildPractice(t.db, otherOrgId, 'Cedar Grove Family Practice');
    const response = await client.get('/api/mypatients/practices?q=cedar%20grove', me.session);
    expect(response.statusCode).toBe(200);
    const ids = response.json<{ practices: { id: string }[] }>().practices.map((p) => p.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect((await client.get('/api/mypatients/practices?q=x', clinician)).statusCode).toBe(403);
    expect((await client.get(`/api/mypatients/practices?q=${'x'.repeat(201)}`, me.session)).statusCode).toBe(400);
  });
});

describe('POST /api/support/practice-changes/:id/apply', () => {
  it('moves the sponsor to a practice made from the description and ends their sponsored users’ memberships, listing them', async () => {
    const me = await physician();
    const nurse = await buildUser(t.db, {
      role: 'sponsored_staff',
      organizationId: orgId,
      practiceId: me.practice.id,
      sponsorUserId: me.user.id,
    });
    const { patient } = await buildPatient(t.db, orgId, { pcpId: me.user.id });
    const created = await client.post('/api/mypatients/practice-change', { newPractice: described, wasSponsor: true }, me.session);
    const id = created.json().change.id as string;
    const queue = await client.get('/api/support/practice-changes?status=pending', support);
    expect(queue.json<{ changes: { id: string }[] }>().changes.map((c) => c.id)).toContain(id);
    const response = await client.post(`/api/support/practice-changes/${id}/apply`, {}, support);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ change: { status: string; newPractice: { id: string } }; endedSponsoredUsers: { userId: string }[] }>();
    expect(body.change.status).toBe('applied');
    expect(body.endedSponsoredUsers.map((u) => u.userId)).toEqual([nurse.id]);
    const [now] = await activeMemberships(me.user.id);
    expect(now).toMatchObject({ practiceId: body.change.newPractice.id, role: 'outside_provider' });
    const [made] = await t.db.select().from(practices).where(eq(practices.id, body.change.newPractice.id));
    expect(made).toMatchObject({ name: 'Bayside Pediatrics', organizationId: orgId });
    expect(await activeMemberships(nurse.id)).toHaveLength(0);
    // Without a sponsor the nurse has no account (as when a sponsor removes them): disabled, her session refused.
    const [nurseAccount] = await t.db.select().from(users).where(eq(users.id, nurse.id));
    expect(nurseAccount!.disabledAt).not.toBeNull();
    const nurseSession = await signInAs(t.db, nurse);
    expect((await client.get(`/api/patients/${patient.id}/record/summary`, nurseSession)).statusCode).toBe(401);
    expect(await auditOf(t.db, 'support.practice_change.apply', id)).toHaveLength(1);
    const again = await client.post(`/api/support/practice-changes/${id}/apply`, {}, support);
    expect(again.statusCode).toBe(409);
  });

  it('moves a physician into an existing practice', async () => {
    const me = await physician();
    const target = await buildPractice(t.db, orgId);
    const created = await client.post('/api/mypatients/practice-change', { newPracticeId: target.id, wasSponsor: false }, me.session);
    const response = await client.post(`/api/support/practice-changes/${created.json().change.id}/apply`, {}, support);
    expect(response.statusCode).toBe(200);
    expect(response.json().endedSponsoredUsers).toEqual([]);
    const [now] = await activeMemberships(me.user.id);
    expect(now!.practiceId).toBe(target.id);
  });

  it('answers 401, 403 to the provider, 404 to another organization and 400 for a malformed id', async () => {
    const me = await physician();
    const created = await client.post('/api/mypatients/practice-change', { newPractice: described, wasSponsor: false }, me.session);
    const id = created.json().change.id as string;
    expect((await client.post(`/api/support/practice-changes/${id}/apply`, {})).statusCode).toBe(401);
    expect((await client.post(`/api/support/practice-changes/${id}/apply`, {}, me.session)).statusCode).toBe(403);
    expect((await client.post(`/api/support/practice-changes/${id}/apply`, {}, otherSupport)).statusCode).toBe(404);
    expect((await client.post('/api/support/practice-changes/not-an-id/apply', {}, support)).statusCode).toBe(400);
  });
});

describe('GET /api/support/practice-changes', () => {
  it('answers 400 for an unknown status, 401 without a session and 403 to a practice member', async () => {
    const me = await physician();
    expect((await client.get('/api/support/practice-changes?status=lost', support)).statusCode).toBe(400);
    expect((await client.get('/api/support/practice-changes')).statusCode).toBe(401);
    expect((await client.get('/api/support/practice-changes', me.session)).statusCode).toBe(403);
    expect((await client.get('/api/mypatients/practice-change')).statusCode).toBe(401);
  });

  it('does not show another organization’s changes', async () => {
    const me = await physician();
    const created = await client.post('/api/mypatients/practice-change', { newPractice: described, wasSponsor: false }, me.session);
    const theirs = await client.get('/api/support/practice-changes', otherSupport);
    expect(theirs.json<{ changes: { id: string }[] }>().changes.map((c) => c.id)).not.toContain(created.json().change.id);
  });
});

describe('POST /api/support/practice-changes/:id/apply for a sponsored user', () => {
  it('answers 409: a sponsor at the new practice creates their account, so support declines it', async () => {
    const practice = await buildPractice(t.db, orgId);
    const nurse = await buildUser(t.db, { role: 'sponsored_staff', organizationId: orgId, practiceId: practice.id, mfa: true });
    const session = await signInAs(t.db, nurse);
    const created = await client.post('/api/mypatients/practice-change', { newPractice: described, wasSponsor: false }, session);
    expect(created.statusCode).toBe(201);
    const response = await client.post(`/api/support/practice-changes/${created.json().change.id}/apply`, {}, support);
    expect(response.statusCode).toBe(409);
    expect(await activeMemberships(nurse.id)).toMatchObject([{ practiceId: practice.id }]);
  });
});

describe('POST /api/support/practice-changes/:id/decline', () => {
  it('declines with the note the provider then reads; 400 without a note; 409 once decided', async () => {
    const me = await physician();
    const created = await client.post('/api/mypatients/practice-change', { newPractice: described, wasSponsor: false }, me.session);
    const id = created.json().change.id as string;
    expect((await client.post(`/api/support/practice-changes/${id}/decline`, {}, support)).statusCode).toBe(400);
    const response = await client.post(`/api/support/practice-changes/${id}/decline`, { note: 'Please call us first.' }, support);
    expect(response.statusCode).toBe(200);
    const latest = await client.get('/api/mypatients/practice-change', me.session);
    expect(latest.json().change).toMatchObject({ status: 'declined', decisionNote: 'Please call us first.' });
    expect((await client.post(`/api/support/practice-changes/${id}/decline`, { note: 'x' }, support)).statusCode).toBe(409);
    expect(await activeMemberships(me.user.id)).toMatchObject([{ practiceId: me.practice.id }]);
  });
});
