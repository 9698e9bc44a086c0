/** Test fixtures for booking: an organization in New York with a clinician, visit types and weekday hours. */
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';
import { departments, organizations, scheduleTemplates, visitTypes } from '../../db/schema/index.ts';
import { addDays, civilDateInZone, formatCivilDate } from '@portico/shared/zoned-time';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';

/** A clinic with one clinician working Monday to Friday 9-12 and 13-17 local, and three visit types. */
export async function buildClinic(db: Database) {
  const { organization, department } = await buildOrganization(db);
  await db.update(organizations).set({ phone: '555-0100', cancelCutoffHours: 24 }).where(eq(organizations.id, organization.id));
  await db.update(departments).set({ phone: '555-0123' }).where(eq(departments.id, department.id));
  const clinician = await buildUser(db, { role: 'clinician', organizationId: organization.id, departmentId: department.id });
  const [followUp, video, newPatient] = await db
    .insert(visitTypes)
    .values([
      { organizationId: organization.id, name: 'Follow-up', durationMinutes: 20, patientBookable: true, establishedOnly: true },
      {
        organizationId: organization.id,
        name: 'Video visit',
        durationMinutes: 20,
        patientBookable: true,
        video: true,
        instructions: 'Join five minutes early.',
      },
      { organizationId: organization.id, name: 'New patient', durationMinutes: 40, patientBookable: false },
    ])
    .returning();
  const [physical] = await db
    .insert(visitTypes)
    .values({ organizationId: organization.id, name: 'Annual physical', durationMinutes: 40, patientBookable: true })
    .returning();
  for (const weekday of [1, 2, 3, 4, 5]) {
    for (const [startMinute, endMinute] of [
      [540, 720],
      [780, 1020],
    ] as const) {
      await db
        .insert(scheduleTemplates)
        .values({ clinicianId: clinician.id, departmentId: department.id, weekday, startMinute, endMinute, validFrom: '2020-01-01' });
    }
  }
  const { patient, user } = await buildPatient(db, organization.id, { withAccount: true });
  const patientCookie = cookieFor(await signInAs(db, user!));
  return {
    organization,
    department,
    clinician,
    visitTypes: { followUp: followUp!, video: video!, newPatient: newPatient!, physical: physical! },
    patient,
    patientCookie,
  };
}

/** An open time as the slots endpoint answers it. */
export interface OpenSlot {
  startAt: string;
  endAt: string;
  clinicianId: string;
}

/** A local day in New York at least a week ahead, so the change cut-off and the booking lead time never interfere. */
export const weekAhead = () => formatCivilDate(addDays(civilDateInZone(new Date(), 'America/New_York'), 8));

/** The clinic's open times for a visit type over 7 days from `from`, as its patient asks for them. */
export async function openSlotsOf(
  app: FastifyInstance,
  clinic: Awaited<ReturnType<typeof buildClinic>>,
  visitTypeId: string,
  from = weekAhead(),
): Promise<OpenSlot[]> {
  const params = new URLSearchParams({ visitTypeId, departmentId: clinic.department.id, from, days: '7' });
  const res = await app.inject({
    method: 'GET',
    url: `/api/patients/${clinic.patient.id}/scheduling/slots?${params.toString()}`,
    headers: clinic.patientCookie,
  });
  if (res.statusCode !== 200) throw new Error(`slots answered ${res.statusCode}`);
  return res.json<{ slots: OpenSlot[] }>().slots;
}
