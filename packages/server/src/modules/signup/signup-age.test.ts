import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatCivilDate, parseCivilDate } from '@portico/shared/zoned-time';
import { activationCodes, auditEvents, organizations, patients } from '../../db/schema/index.ts';
import { buildActivationCode, buildOrganization, buildPatient, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { dayInZone } from '../access/access.policy.ts';
import { isOldEnoughForOwnAccount } from './account-age.ts';

/** Issue 11 §1: a patient opens their own account from their organization's teen account age (12 or 13). */
let t: TestApp;
/** Kiritimati is 14 hours ahead of UTC: its calendar day is not UTC's for ten hours of every day. */
const zone = 'Pacific/Kiritimati';
let at13: { id: string; name: string };
let at12: { id: string; name: string };

beforeAll(async () => {
  t = await buildTestApp();
  const thirteen = (await buildOrganization(t.db, 'Riverside Health')).organization;
  const twelve = (await buildOrganization(t.db, 'Hillside Clinic')).organization;
  await t.db.update(organizations).set({ timeZone: zone, teenAccountAge: 13 }).where(eq(organizations.id, thirteen.id));
  await t.db.update(organizations).set({ timeZone: zone, teenAccountAge: 12 }).where(eq(organizations.id, twelve.id));
  at13 = { id: thirteen.id, name: thirteen.name };
  at12 = { id: twelve.id, name: twelve.name };
});
afterAll(() => t.close());

/** The civil day `years` before `day` (a 29 February falls on 1 March, the day the policy counts such a birthday from). */
function yearsBefore(day: string, years: number): string {
  const monthDay = day.slice(5) === '02-29' ? '03-01' : day.slice(5);
  return `${String(Number(day.slice(0, 4)) - years).padStart(4, '0')}-${monthDay}`;
}
/** The organization's today and tomorrow, as the server will count them. */
function daysInZone() {
  const today = dayInZone(new Date(), zone);
  return { today, tomorrow: formatCivilDate(addDays(parseCivilDate(today), 1)) };
}

async function signUpBornOn(organizationId: string, birthDate: string, typedBirthDate = birthDate) {
  const { patient } = await buildPatient(t.db, organizationId, { birthDate, mrn: `MRN-${randomBytes(6).toString('hex')}` });
  const code = await buildActivationCode(t.db, patient.id);
  const username = `teen-${randomBytes(4).toString('hex')}`;
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/signup',
    headers: csrfHeaders,
    payload: {
      method: 'activation_code',
      activationCode: code,
      birthDate: typedBirthDate,
      username,
      email: `${username}@mail.example.test`,
      password: testPassword,
    },
  });
  return { response, patient };
}

const linkedUserOf = async (patientId: string) => (await t.db.select().from(patients).where(eq(patients.id, patientId)))[0]!.userId;

describe('isOldEnoughForOwnAccount', () => {
  const losAngeles = { timeZone: 'America/Los_Angeles' };

  it('lets a patient in from local midnight of the birthday at the organization’s age, not UTC’s', () => {
    const thirteen = { ...losAngeles, teenAccountAge: 13 };
    expect(isOldEnoughForOwnAccount('2013-03-10', thirteen, new Date('2026-03-10T06:59:59Z'))).toBe(false);
    expect(isOldEnoughForOwnAccount('2013-03-10', thirteen, new Date('2026-03-10T07:00:00Z'))).toBe(true);
    const twelve = { ...losAngeles, teenAccountAge: 12 };
    expect(isOldEnoughForOwnAccount('2014-03-10', twelve, new Date('2026-03-10T06:59:59Z'))).toBe(false);
    expect(isOldEnoughForOwnAccount('2014-03-10', twelve, new Date('2026-03-10T07:00:00Z'))).toBe(true);
    // The same 12-year-old is too young where the age is 13.
    expect(isOldEnoughForOwnAccount('2014-03-10', thirteen, new Date('2026-03-10T07:00:00Z'))).toBe(false);
  });
});

describe('POST /api/signup and the teen account age', () => {
  it('answers 400 too_young_for_account the day before the 13th birthday in the organization’s zone, naming the age', async () => {
    const { response, patient } = await signUpBornOn(at13.id, yearsBefore(daysInZone().tomorrow, 13));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'too_young_for_account',
      message: `Patients can have their own portal account from age 13 at ${at13.name}. Until then, a parent or guardian can ask for access to your record.`,
    });
    expect(await linkedUserOf(patient.id)).toBeNull();
    const [code] = await t.db.select().from(activationCodes).where(eq(activationCodes.patientId, patient.id));
    expect(code!.redeemedAt).toBeNull();
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'account.sign_up'), eq(auditEvents.patientId, patient.id)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'failure', actorUserId: null, details: { reason: 'too_young', method: 'activation_code' } });
  });

  it('opens the account on the 13th birthday in the organization’s zone (201)', async () => {
    const { response, patient } = await signUpBornOn(at13.id, yearsBefore(daysInZone().today, 13));
    expect(response.statusCode).toBe(201);
    expect(await linkedUserOf(patient.id)).not.toBeNull();
  });

  it('follows an organization that uses 12: refused the day before the 12th birthday, opened on it', async () => {
    const { tomorrow, today } = daysInZone();
    const early = await signUpBornOn(at12.id, yearsBefore(tomorrow, 12));
    expect(early.response.statusCode).toBe(400);
    expect(early.response.json().error.message).toBe(
      `Patients can have their own portal account from age 12 at ${at12.name}. Until then, a parent or guardian can ask for access to your record.`,
    );
    const onTheDay = await signUpBornOn(at12.id, yearsBefore(today, 12));
    expect(onTheDay.response.statusCode).toBe(201);
  });

  it('says patient_not_matched, never the age, when a young patient’s details do not match', async () => {
    const birthDate = yearsBefore(daysInZone().today, 8);
    const { response, patient } = await signUpBornOn(at13.id, birthDate, yearsBefore(daysInZone().today, 9));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('patient_not_matched');
    expect(response.body).not.toContain('from age');
    expect(await linkedUserOf(patient.id)).toBeNull();
  });
});
