/** Test fixtures for the waitlist, e-check-in, reminders and the staff schedule: an organization with bookings. */
import type { Role } from '@portico/shared';
import { appointments, visitTypes } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { unitsOf } from './availability.ts';
import { insertSlotUnits } from './appointments.repository.ts';

/** Midnight UTC of a day `days` from now, plus `hours`: whole 5-minute units, always in the future for days ≥ 1. */
export function daysFromNow(days: number, hours = 15): Date {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  return new Date(d.getTime() + days * 86_400_000 + hours * 3_600_000);
}

/** An organization with a department, a visit type with a question and a consent form, staff, and patients. */
export async function buildScheduleWorld(t: TestApp) {
  const { organization, department } = await buildOrganization(t.db);
  const [visitType] = await t.db
    .insert(visitTypes)
    .values({
      organizationId: organization.id,
      name: 'Annual physical',
      durationMinutes: 30,
      patientBookable: true,
      questionnaire: [
        { id: 'fever', text: 'Do you have a fever?', kind: 'yes_no' },
        { id: 'reason', text: 'What would you like to discuss?', kind: 'text' },
      ],
      consentForms: [{ id: 'treat', title: 'Consent to treatment', text: 'I agree to be treated.' }],
    })
    .returning();
  const staff = async (role: Role, organizationId = organization.id) => {
    const user = await buildUser(t.db, {
      role,
      organizationId,
      departmentId: organizationId === organization.id ? department.id : undefined,
    });
    return { ...user, token: await signInAs(t.db, user) };
  };
  const patient = async (organizationId = organization.id) => {
    const built = await buildPatient(t.db, organizationId, { withAccount: true });
    return { ...built.patient, user: built.user!, token: await signInAs(t.db, built.user!) };
  };
  const clinician = await staff('clinician');
  return { organization, department, visitType: visitType!, clinician, staff, patient };
}

/** Books a visit directly (appointment row + its 5-minute units), as booking does. */
export async function bookAt(
  t: TestApp,
  w: Awaited<ReturnType<typeof buildScheduleWorld>>,
  patientId: string,
  startAt: Date,
  minutes = 30,
  clinicianId = w.clinician.id,
) {
  const endAt = new Date(startAt.getTime() + minutes * 60_000);
  const [row] = await t.db
    .insert(appointments)
    .values({
      patientId,
      organizationId: w.organization.id,
      departmentId: w.department.id,
      clinicianId,
      startAt,
      endAt,
      timeZone: w.department.timeZone,
      visitType: w.visitType.name,
      visitTypeId: w.visitType.id,
      status: 'scheduled',
    })
    .returning();
  await insertSlotUnits(t.db, row!.id, clinicianId, unitsOf(startAt, endAt));
  return row!;
}

/** inject() with a session cookie and, for writes, the CSRF header. */
export function requester(t: TestApp) {
  const headers = (token: string | null, extra: Record<string, string> = {}) => ({
    ...csrfHeaders,
    ...(token ? cookieFor(token) : {}),
    ...extra,
  });
  return {
    get: (token: string | null, url: string) => t.app.inject({ method: 'GET', url, headers: token ? cookieFor(token) : {} }),
    post: (token: string | null, url: string, payload: unknown, extra: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, headers: headers(token, extra), payload: payload as object }),
    put: (token: string | null, url: string) => t.app.inject({ method: 'PUT', url, headers: headers(token) }),
    delete: (token: string | null, url: string) => t.app.inject({ method: 'DELETE', url, headers: headers(token) }),
  };
}
