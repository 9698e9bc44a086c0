import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { limits } from '@portico/shared';
import { auditEvents, authFailures, sponsorValidations } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { buildSponsor, buildSponsored, buildValidation } from './sponsors.test-support.ts';

/** The support team's account help (issue 12 §1, §3): locked sponsors, paused sign-ins, extensions, reset links. */
let t: TestApp;
let orgId: string;
let otherOrgId: string;
let support: string;
let clinician: string;
let otherSupport: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
  otherOrgId = (await buildOrganization(t.db)).organization.id;
  support = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: orgId }));
  clinician = await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: orgId }));
  otherSupport = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: otherOrgId }));
});
afterAll(() => t.close());

const get = (url: string, session?: string) => t.app.inject({ method: 'GET', url, headers: session ? cookieFor(session) : {} });
const post = (url: string, payload: object, session?: string) =>
  t.app.inject({ method: 'POST', url, payload, headers: { ...csrfHeaders, ...(session ? cookieFor(session) : {}) } });
const day = 86_400_000;

/** Five wrong passwords: the account's sign-in is paused. */
async function pauseSignIn(identifier: string) {
  for (let i = 0; i < limits.signInFailuresBeforePause; i++) await post('/api/auth/sign-in', { identifier, password: 'wrong password!' });
}

describe('GET /api/support/accounts/locked', () => {
  it('lists the organization’s locked sponsors with their sponsored users, and its paused outside accounts', async () => {
    const sponsor = await buildSponsor(t.db, orgId);
    const staff = await buildSponsored(t.db, orgId, sponsor);
    const locked = await buildValidation(t.db, orgId, sponsor.id, new Date(Date.now() - day));
    const dueSoon = await buildSponsor(t.db, orgId);
    await buildSponsored(t.db, orgId, dueSoon);
    const notYet = await buildValidation(t.db, orgId, dueSoon.id, new Date(Date.now() + day));
    const elsewhere = await buildSponsor(t.db, otherOrgId);
    const foreign = await buildValidation(t.db, otherOrgId, elsewhere.id, new Date(Date.now() - day));
    const paused = await buildSponsored(t.db, orgId, dueSoon);
    await pauseSignIn(paused.username);
    const patient = (await buildPatient(t.db, orgId, { withAccount: true })).user!;
    await pauseSignIn(patient.username);

    const response = await get('/api/support/accounts/locked', support);
    expect(response.statusCode).toBe(200);
    const { validations, paused: pausedList } = response.json();
    const ids = validations.map((v: { id: string }) => v.id);
    expect(ids).toContain(locked.id);
    expect(ids).not.toContain(notYet.id);
    expect(ids).not.toContain(foreign.id);
    expect(validations.find((v: { id: string }) => v.id === locked.id)).toMatchObject({
      sponsor: { userId: sponsor.id, email: sponsor.email },
      periodStart: '2026-10-01',
      sponsoredUsers: [{ userId: staff.id, email: staff.email }],
    });
    const pausedIds = pausedList.map((p: { userId: string }) => p.userId);
    expect(pausedIds).toContain(paused.id);
    expect(pausedIds).not.toContain(patient.id);
    const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'support.accounts.read'));
    expect(audit?.outcome).toBe('success');
  });

  it('answers 401 and 403', async () => {
    expect((await get('/api/support/accounts/locked')).statusCode).toBe(401);
    expect((await get('/api/support/accounts/locked', clinician)).statusCode).toBe(403);
  });
});

describe('POST /api/support/validations/:id/extend', () => {
  it('moves the due date from now for a locked sponsor, and the audit says why', async () => {
    const sponsor = await buildSponsor(t.db, orgId);
    const validation = await buildValidation(t.db, orgId, sponsor.id, new Date(Date.now() - 3 * day));
    const response = await post(`/api/support/validations/${validation.id}/extend`, { days: 10, reason: 'Sponsor was on leave' }, support);
    expect(response.statusCode).toBe(200);
    const dueAt = new Date(response.json().dueAt).getTime();
    expect(dueAt).toBeGreaterThan(Date.now() + 9.9 * day);
    expect(dueAt).toBeLessThan(Date.now() + 10.1 * day);
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, validation.id), eq(auditEvents.action, 'support.validation.extend')));
    expect(audit?.details).toMatchObject({ days: 10, reason: 'Sponsor was on leave' });
  });

  it('answers 400 for days out of 1-30 or no reason, 404 for another organization’s, 409 for a completed one, 401, 403', async () => {
    const sponsor = await buildSponsor(t.db, orgId);
    const validation = await buildValidation(t.db, orgId, sponsor.id, new Date(Date.now() - day));
    const url = `/api/support/validations/${validation.id}/extend`;
    expect((await post(url, { days: 31, reason: 'x' }, support)).statusCode).toBe(400);
    expect((await post(url, { days: 0, reason: 'x' }, support)).statusCode).toBe(400);
    expect((await post(url, { days: 5, reason: ' ' }, support)).statusCode).toBe(400);
    expect((await post('/api/support/validations/nope/extend', { days: 5, reason: 'x' }, support)).statusCode).toBe(400);
    expect((await post(url, { days: 5, reason: 'x' }, otherSupport)).statusCode).toBe(404);
    expect((await post(url, { days: 5, reason: 'x' })).statusCode).toBe(401);
    expect((await post(url, { days: 5, reason: 'x' }, clinician)).statusCode).toBe(403);
    await t.db
      .update(sponsorValidations)
      .set({ completedAt: new Date(), completedBy: sponsor.id })
      .where(eq(sponsorValidations.id, validation.id));
    expect((await post(url, { days: 5, reason: 'x' }, support)).statusCode).toBe(409);
  });
});

describe('POST /api/support/accounts/:userId/unlock-sign-in', () => {
  it('lifts the pause of an outside account', async () => {
    const sponsor = await buildSponsor(t.db, orgId);
    await pauseSignIn(sponsor.username);
    expect((await post('/api/auth/sign-in', { identifier: sponsor.username, password: testPassword })).statusCode).toBe(429);
    expect((await post(`/api/support/accounts/${sponsor.id}/unlock-sign-in`, {}, support)).statusCode).toBe(200);
    expect(await t.db.select().from(authFailures).where(eq(authFailures.subjectKey, sponsor.id))).toEqual([]);
    expect((await post('/api/auth/sign-in', { identifier: sponsor.username, password: testPassword })).statusCode).toBe(200);
  });

  it('answers 404 for staff, patients and another organization’s accounts, 400, 401, 403', async () => {
    const staff = await buildUser(t.db, { role: 'nurse', organizationId: orgId });
    const patient = (await buildPatient(t.db, orgId, { withAccount: true })).user!;
    const foreign = await buildSponsor(t.db, otherOrgId);
    for (const user of [staff, patient, foreign])
      expect((await post(`/api/support/accounts/${user.id}/unlock-sign-in`, {}, support)).statusCode).toBe(404);
    expect((await post('/api/support/accounts/x/unlock-sign-in', {}, support)).statusCode).toBe(400);
    expect((await post(`/api/support/accounts/${foreign.id}/unlock-sign-in`, {})).statusCode).toBe(401);
    expect((await post(`/api/support/accounts/${foreign.id}/unlock-sign-in`, {}, clinician)).statusCode).toBe(403);
  });
});

describe('POST /api/support/accounts/:userId/password-reset', () => {
  it('emails the outside account a reset link through the reset flow, 202', async () => {
    const sponsor = await buildSponsor(t.db, orgId);
    const response = await post(`/api/support/accounts/${sponsor.id}/password-reset`, {}, support);
    expect(response.statusCode).toBe(202);
    const mail = (await t.mail()).find((m) => m.toAddress === sponsor.email);
    expect(mail?.text).toContain('/reset-password#token=');
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.objectId, sponsor.id), eq(auditEvents.action, 'support.account.password_reset')));
    expect(audit).toBeDefined();
  });

  it('answers 404 for staff and patients, 400, 401, 403', async () => {
    const staff = await buildUser(t.db, { role: 'nurse', organizationId: orgId });
    expect((await post(`/api/support/accounts/${staff.id}/password-reset`, {}, support)).statusCode).toBe(404);
    expect((await post('/api/support/accounts/x/password-reset', {}, support)).statusCode).toBe(400);
    expect((await post(`/api/support/accounts/${staff.id}/password-reset`, {})).statusCode).toBe(401);
    expect((await post(`/api/support/accounts/${staff.id}/password-reset`, {}, clinician)).statusCode).toBe(403);
  });
});
