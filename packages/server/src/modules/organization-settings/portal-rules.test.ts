import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, organizations } from '../../db/schema/index.ts';
import {
  buildActivationCode,
  buildOrganization,
  buildPatient,
  buildUser,
  cookieFor,
  signInAs,
  testPassword,
} from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { dayInZone } from '../access/access.policy.ts';

/** Issue 11 §1: an administrator sets from what age patients have their own account, and whether nurses mark arrival. */
let t: TestApp;
let home: Awaited<ReturnType<typeof buildOrganization>>;
let elsewhere: Awaited<ReturnType<typeof buildOrganization>>;
let admin: { cookie: string };
let otherAdmin: { cookie: string };
let nurse: { cookie: string };
let clinician: { cookie: string };
let patient: { cookie: string };

beforeAll(async () => {
  t = await buildTestApp();
  home = await buildOrganization(t.db, 'Riverside Health');
  elsewhere = await buildOrganization(t.db, 'Hillside Clinic');
  const staff = async (role: 'admin' | 'nurse' | 'clinician', organizationId = home.organization.id) =>
    cookieFor(await signInAs(t.db, await buildUser(t.db, { role, organizationId, mfa: true })));
  admin = await staff('admin');
  otherAdmin = await staff('admin', elsewhere.organization.id);
  nurse = await staff('nurse');
  clinician = await staff('clinician');
  const { user } = await buildPatient(t.db, home.organization.id, { withAccount: true });
  patient = cookieFor(await signInAs(t.db, user!));
});
afterAll(() => t.close());

const url = '/api/admin/portal-rules';
const get = (who: { cookie: string } | null) => t.app.inject({ method: 'GET', url, headers: who ?? {} });
const put = (who: { cookie: string } | null, payload: unknown) =>
  t.app.inject({ method: 'PUT', url, headers: { ...csrfHeaders, ...(who ?? {}) }, payload: payload as object });
const stored = async (organizationId = home.organization.id) =>
  (await t.db.select().from(organizations).where(eq(organizations.id, organizationId)))[0]!;
const abilitiesOf = async (who: { cookie: string }) =>
  (await t.app.inject({ method: 'GET', url: '/api/me', headers: who })).json<{ user: { abilities: string[] } }>().user.abilities;

/** A sign-up by activation code of a patient of the home organization whose 12th birthday is today there. */
async function signUpTurningTwelveToday() {
  const today = dayInZone(new Date(), (await stored()).timeZone);
  const birthDate = `${Number(today.slice(0, 4)) - 12}-${today.slice(5) === '02-29' ? '03-01' : today.slice(5)}`;
  const { patient: record } = await buildPatient(t.db, home.organization.id, { birthDate });
  const code = await buildActivationCode(t.db, record.id);
  const username = `teen-${randomBytes(4).toString('hex')}`;
  return t.app.inject({
    method: 'POST',
    url: '/api/signup',
    headers: csrfHeaders,
    payload: {
      method: 'activation_code',
      activationCode: code,
      birthDate,
      username,
      email: `${username}@mail.example.test`,
      password: testPassword,
    },
  });
}

describe('GET /api/admin/portal-rules', () => {
  it('answers an administrator with their organization’s rules, the defaults at first (200)', async () => {
    const response = await get(admin);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ teenAccountAge: 13, nursesMarkArrival: false, nonPcpRequestsTo: 'patient' });
  });

  it('answers 403 to a clinician, a nurse and a patient, and 401 without a session', async () => {
    for (const who of [clinician, nurse, patient]) expect((await get(who)).statusCode).toBe(403);
    expect((await get(null)).statusCode).toBe(401);
  });
});

describe('PUT /api/admin/portal-rules', () => {
  it('stores both rules, audits the change with what it replaced, and answers them (200)', async () => {
    const response = await put(admin, { teenAccountAge: 12, nursesMarkArrival: true, nonPcpRequestsTo: 'patient' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ teenAccountAge: 12, nursesMarkArrival: true, nonPcpRequestsTo: 'patient' });
    expect(await stored()).toMatchObject({ teenAccountAge: 12, nursesMarkArrival: true, nonPcpRequestsTo: 'patient' });
    expect(await stored(elsewhere.organization.id)).toMatchObject({
      teenAccountAge: 13,
      nursesMarkArrival: false,
      nonPcpRequestsTo: 'patient',
    });
    expect((await get(admin)).json()).toEqual({ teenAccountAge: 12, nursesMarkArrival: true, nonPcpRequestsTo: 'patient' });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));
    expect(event).toMatchObject({
      action: 'organization.settings.update',
      outcome: 'success',
      objectType: 'Organization',
      objectId: home.organization.id,
      details: { teenAccountAge: 12, previousTeenAccountAge: 13, nursesMarkArrival: true, previousNursesMarkArrival: false },
    });
  });

  it('takes effect at once: the sign-up age follows it, and nurses gain and lose marking arrival', async () => {
    expect((await put(admin, { teenAccountAge: 13, nursesMarkArrival: false, nonPcpRequestsTo: 'patient' })).statusCode).toBe(200);
    const refused = await signUpTurningTwelveToday();
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('too_young_for_account');
    expect(await abilitiesOf(nurse)).not.toContain('schedule.arrive');

    expect((await put(admin, { teenAccountAge: 12, nursesMarkArrival: true, nonPcpRequestsTo: 'patient' })).statusCode).toBe(200);
    expect((await signUpTurningTwelveToday()).statusCode).toBe(201);
    expect(await abilitiesOf(nurse)).toContain('schedule.arrive');

    expect((await put(admin, { teenAccountAge: 13, nursesMarkArrival: false, nonPcpRequestsTo: 'patient' })).statusCode).toBe(200);
    expect(await abilitiesOf(nurse)).not.toContain('schedule.arrive');
  });

  it('routes non-PCP requests to the support team when chosen, audited with what it replaced', async () => {
    const response = await put(admin, { teenAccountAge: 13, nursesMarkArrival: false, nonPcpRequestsTo: 'support' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ teenAccountAge: 13, nursesMarkArrival: false, nonPcpRequestsTo: 'support' });
    const [row] = await t.db
      .select({ to: organizations.nonPcpRequestsTo })
      .from(organizations)
      .where(eq(organizations.id, home.organization.id));
    expect(row!.to).toBe('support');
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));
    expect(event!.details).toMatchObject({ nonPcpRequestsTo: 'support', previousNonPcpRequestsTo: 'patient' });
    expect((await put(admin, { teenAccountAge: 13, nursesMarkArrival: false, nonPcpRequestsTo: 'patient' })).statusCode).toBe(200);
  });

  it('changes only the administrator’s own organization', async () => {
    expect((await put(otherAdmin, { teenAccountAge: 12, nursesMarkArrival: true, nonPcpRequestsTo: 'patient' })).statusCode).toBe(200);
    expect(await stored(elsewhere.organization.id)).toMatchObject({
      teenAccountAge: 12,
      nursesMarkArrival: true,
      nonPcpRequestsTo: 'patient',
    });
    expect((await get(admin)).json()).toEqual({ teenAccountAge: 13, nursesMarkArrival: false, nonPcpRequestsTo: 'patient' });
  });

  it.each([
    ['an age other than 12 or 13', { teenAccountAge: 14, nursesMarkArrival: false, nonPcpRequestsTo: 'patient' }, 'teenAccountAge'],
    ['the age as text', { teenAccountAge: '12', nursesMarkArrival: false, nonPcpRequestsTo: 'patient' }, 'teenAccountAge'],
    ['no age', { nursesMarkArrival: true, nonPcpRequestsTo: 'patient' }, 'teenAccountAge'],
    ['no nurses rule', { teenAccountAge: 12, nonPcpRequestsTo: 'patient' }, 'nursesMarkArrival'],
    ['the nurses rule as text', { teenAccountAge: 12, nursesMarkArrival: 'yes', nonPcpRequestsTo: 'patient' }, 'nursesMarkArrival'],
    ['no choice for non-PCP requests', { teenAccountAge: 12, nursesMarkArrival: true }, 'nonPcpRequestsTo'],
    [
      'non-PCP requests to someone else',
      { teenAccountAge: 12, nursesMarkArrival: true, nonPcpRequestsTo: 'clinician' },
      'nonPcpRequestsTo',
    ],
  ])('answers 400 for %s and changes nothing', async (_case, payload, field) => {
    const before = await stored();
    const response = await put(admin, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
    expect(await stored()).toEqual(before);
  });

  it('answers 403 to a clinician, a nurse and a patient, and 401 without a session, changing nothing', async () => {
    const before = await stored();
    for (const who of [clinician, nurse, patient]) {
      expect((await put(who, { teenAccountAge: 12, nursesMarkArrival: true, nonPcpRequestsTo: 'patient' })).statusCode).toBe(403);
    }
    expect((await put(null, { teenAccountAge: 12, nursesMarkArrival: true, nonPcpRequestsTo: 'patient' })).statusCode).toBe(401);
    expect(await stored()).toEqual(before);
  });
});
