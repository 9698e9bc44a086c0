import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '@portico/shared';
import { and, eq } from 'drizzle-orm';
import { auditEvents, memberships, sessions, sponsorValidations, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { runSponsorValidations } from './sponsor-validation-job.ts';
import { buildSponsor, buildSponsored, buildValidation, setOrganizationZone } from './sponsors.test-support.ts';

/**
 * The Sponsored User Validation's locks (issue 12 §1) in an organization far from UTC: past due and not completed, the
 * sponsored users cannot sign in and their sessions stop working, the sponsor signs in but reaches only the validation;
 * completing it (or support extending it) unlocks both on the next request.
 */
let t: TestApp;
let orgId: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
  await setOrganizationZone(t.db, orgId, 'America/Los_Angeles');
});
afterAll(() => t.close());

const get = (url: string, session?: string) => t.app.inject({ method: 'GET', url, headers: session ? cookieFor(session) : {} });
const post = (url: string, payload: object, session?: string) =>
  t.app.inject({ method: 'POST', url, payload, headers: { ...csrfHeaders, ...(session ? cookieFor(session) : {}) } });
const signIn = (identifier: string) => post('/api/auth/sign-in', { identifier, password: testPassword });
const hour = 3600_000;

/** A sponsor with two sponsored users (sponsored a year ago) and a patient whose PCP is the sponsor, all signed in. */
async function practice() {
  const sponsor = await buildSponsor(t.db, orgId);
  const since = new Date(Date.now() - 365 * 24 * hour);
  const nurse = await buildSponsored(t.db, orgId, sponsor, { since });
  const coordinator = await buildSponsored(t.db, orgId, sponsor, { since });
  const { patient } = await buildPatient(t.db, orgId, { pcpId: sponsor.id });
  return {
    sponsor,
    nurse,
    coordinator,
    patientId: patient.id,
    mrn: patient.mrn,
    sponsorSession: await signInAs(t.db, sponsor),
    nurseSession: await signInAs(t.db, nurse),
  };
}

const chart = (session: string, patientId: string) => get(`/api/patients/${patientId}/record/summary`, session);
const me = async (session: string) => (await get('/api/me', session)).json<{ user: Me }>().user;

describe('the locks of a validation past due', () => {
  it('leaves everything working on day 30 and locks both from the midnight that begins day 31', async () => {
    const p = await practice();
    // Day 30: the validation locks in an hour.
    const validation = await buildValidation(t.db, orgId, p.sponsor.id, new Date(Date.now() + hour));
    expect((await signIn(p.nurse.username)).statusCode).toBe(200);
    expect((await chart(p.nurseSession, p.patientId)).statusCode).toBe(200);
    expect((await chart(p.sponsorSession, p.patientId)).statusCode).toBe(200);
    expect((await post('/api/mypatients/search', { mrn: p.mrn }, p.sponsorSession)).statusCode).toBe(200);
    const dueSoon = await me(p.sponsorSession);
    expect(dueSoon.sponsorValidation).toMatchObject({ id: validation.id, locked: false });
    expect(dueSoon.abilities).toContain('practice.patients');

    // Day 31: past due.
    await t.db
      .update(sponsorValidations)
      .set({ dueAt: new Date(Date.now() - 60_000) })
      .where(eq(sponsorValidations.id, validation.id));
    const refused = await signIn(p.nurse.username);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'account_locked',
      message: 'Your account is locked until your sponsor completes the Sponsored User Validation.',
    });
    // The nurse's existing session stops working on the next request.
    expect((await get('/api/me', p.nurseSession)).statusCode).toBe(401);
    expect((await chart(p.nurseSession, p.patientId)).statusCode).toBe(401);
    // The sponsor is signed in but reaches only the validation.
    const locked = await me(p.sponsorSession);
    expect(locked.sponsorValidation).toMatchObject({ id: validation.id, locked: true });
    expect(locked.abilities).not.toContain('practice.patients');
    expect(locked.abilities).not.toContain('practice.sponsor');
    expect((await chart(p.sponsorSession, p.patientId)).statusCode).toBe(404);
    expect((await post('/api/mypatients/search', { mrn: p.mrn }, p.sponsorSession)).statusCode).toBe(403);
    expect((await get('/api/sponsor/users', p.sponsorSession)).statusCode).toBe(403);
    expect((await get('/api/sponsor/validation', p.sponsorSession)).statusCode).toBe(200);
    // The sponsor's own sign-in still works (to reach the validation).
    expect((await signIn(p.sponsor.username)).statusCode).toBe(200);
    const [denied] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, p.nurse.id), eq(auditEvents.action, 'auth.sign_in'), eq(auditEvents.outcome, 'denied')));
    expect(denied?.details).toMatchObject({ reason: 'sponsor_validation_past_due' });
  });

  it('unlocks both on the next request when the sponsor completes the validation, removing the users not kept', async () => {
    const p = await practice();
    // The job opens October 2026's period; in December it is past due.
    await runSponsorValidations(t.db, 'http://localhost:3000', new Date('2026-10-01T08:00:00Z'));
    const [open] = await t.db.select().from(sponsorValidations).where(eq(sponsorValidations.sponsorUserId, p.sponsor.id));
    expect(open).toMatchObject({ periodStart: '2026-10-01' });
    expect(open!.dueAt.toISOString()).toBe('2026-10-31T07:00:00.000Z');
    expect((await signIn(p.nurse.username)).statusCode).toBe(403);

    const view = await get('/api/sponsor/validation', p.sponsorSession);
    expect(view.statusCode).toBe(200);
    const validation = view.json().validation;
    expect(validation).toMatchObject({ id: open!.id, periodStart: '2026-10-01', lastDay: '2026-10-30', locked: true });
    expect(validation.users.map((u: { userId: string }) => u.userId).sort()).toEqual([p.nurse.id, p.coordinator.id].sort());

    const coordinatorSession = await signInAs(t.db, p.coordinator);
    const done = await post(
      '/api/sponsor/validation',
      {
        decisions: [
          { userId: p.nurse.id, keep: true },
          { userId: p.coordinator.id, keep: false },
        ],
      },
      p.sponsorSession,
    );
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ kept: 1, removed: 1 });

    expect((await signIn(p.nurse.username)).statusCode).toBe(200);
    expect((await chart(p.nurseSession, p.patientId)).statusCode).toBe(200);
    expect((await chart(p.sponsorSession, p.patientId)).statusCode).toBe(200);
    expect((await me(p.sponsorSession)).sponsorValidation).toBeNull();
    // The one not kept is removed: membership ended, account disabled, sessions ended.
    expect((await get('/api/me', coordinatorSession)).statusCode).toBe(401);
    const [coordinator] = await t.db.select().from(users).where(eq(users.id, p.coordinator.id));
    expect(coordinator?.disabledAt).not.toBeNull();
    const [ended] = await t.db.select().from(memberships).where(eq(memberships.userId, p.coordinator.id));
    expect(ended?.endedAt).not.toBeNull();
    const live = await t.db.select().from(sessions).where(eq(sessions.userId, p.coordinator.id));
    expect(live.every((s) => s.revokedAt !== null)).toBe(true);
    const [completed] = await t.db.select().from(sponsorValidations).where(eq(sponsorValidations.id, open!.id));
    expect(completed).toMatchObject({ completedBy: p.sponsor.id });
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, open!.id), eq(auditEvents.action, 'sponsor.validation.complete')));
    expect(audit?.details).toMatchObject({ kept: 1, removed: [p.coordinator.id] });
  });

  it('unlocks both when support extends the validation', async () => {
    const p = await practice();
    const validation = await buildValidation(t.db, orgId, p.sponsor.id, new Date(Date.now() - 2 * 24 * hour));
    expect((await signIn(p.nurse.username)).statusCode).toBe(403);
    const support = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: orgId }));
    const extended = await post(`/api/support/validations/${validation.id}/extend`, { days: 7, reason: 'Sponsor on leave' }, support);
    expect(extended.statusCode).toBe(200);
    expect(new Date(extended.json().dueAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * hour);
    expect((await signIn(p.nurse.username)).statusCode).toBe(200);
    expect((await chart(p.sponsorSession, p.patientId)).statusCode).toBe(200);
    expect((await me(p.sponsorSession)).sponsorValidation).toMatchObject({ locked: false });
  });
});

describe('GET /api/sponsor/validation', () => {
  it('answers 401 signed out and 403 to anyone but a sponsor', async () => {
    expect((await get('/api/sponsor/validation')).statusCode).toBe(401);
    const p = await practice();
    expect((await get('/api/sponsor/validation', p.nurseSession)).statusCode).toBe(403);
    const clinician = await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: orgId }));
    expect((await get('/api/sponsor/validation', clinician)).statusCode).toBe(403);
  });

  it('answers null when no validation is open', async () => {
    const p = await practice();
    const response = await get('/api/sponsor/validation', p.sponsorSession);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ validation: null });
  });
});

describe('POST /api/sponsor/validation', () => {
  it('answers 400 naming a missing or unknown user, or a malformed body, and changes nothing', async () => {
    const p = await practice();
    const validation = await buildValidation(t.db, orgId, p.sponsor.id, new Date(Date.now() + 24 * hour));
    const missing = await post('/api/sponsor/validation', { decisions: [{ userId: p.nurse.id, keep: true }] }, p.sponsorSession);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain(p.coordinator.id);
    const stranger = (await practice()).nurse.id;
    const unknown = await post(
      '/api/sponsor/validation',
      {
        decisions: [
          { userId: p.nurse.id, keep: true },
          { userId: p.coordinator.id, keep: true },
          { userId: stranger, keep: false },
        ],
      },
      p.sponsorSession,
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain(stranger);
    expect((await post('/api/sponsor/validation', { decisions: 'all' }, p.sponsorSession)).statusCode).toBe(400);
    const twice = await post(
      '/api/sponsor/validation',
      {
        decisions: [
          { userId: p.nurse.id, keep: true },
          { userId: p.nurse.id, keep: false },
        ],
      },
      p.sponsorSession,
    );
    expect(twice.statusCode).toBe(400);
    const [still] = await t.db.select().from(sponsorValidations).where(eq(sponsorValidations.id, validation.id));
    expect(still?.completedAt).toBeNull();
  });

  it('answers 401, 403 and 404 when none is open', async () => {
    const p = await practice();
    const body = { decisions: [] };
    expect((await post('/api/sponsor/validation', body)).statusCode).toBe(401);
    expect((await post('/api/sponsor/validation', body, p.nurseSession)).statusCode).toBe(403);
    expect((await post('/api/sponsor/validation', body, p.sponsorSession)).statusCode).toBe(404);
  });
});
