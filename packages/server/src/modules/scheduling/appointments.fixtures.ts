/** Test fixtures for booking: an organization in New York with a clinician, visit types and weekday hours. */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { departments, organizations, scheduleTemplates, visitTypes } from '../../db/schema/index.ts';
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
