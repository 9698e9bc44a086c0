/** SQL for the staff schedule views, the clinician directory and front-desk status changes; every method takes its executor. */
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { type Executor } from '../../db/client.ts';
import { appointments, departments, patients, scheduleTemplates, staffDepartments, users } from '../../db/schema/index.ts';
import type { Actor } from '../access/access.policy.ts';
import { patientScopeSql } from '../access/access.scope.ts';
import { hasStaffRoleSql, qualifiedUserId, staffRoleInSql } from '../access/access.repository.ts';

/** Whose appointments a schedule shows: one department's, or one clinician's. */
export type ScheduleOwner = { departmentId: string } | { clinicianId: string };

/** The zone of a department of the organization, or undefined when it is not one. */
export async function findDepartmentTimeZone(db: Executor, organizationId: string, departmentId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ timeZone: departments.timeZone })
    .from(departments)
    .where(and(eq(departments.id, departmentId), eq(departments.organizationId, organizationId)));
  return row?.timeZone;
}

/** The clinicians of a department: its members and everyone with weekly hours in it. */
export async function findDepartmentClinicianIds(db: Executor, departmentId: string): Promise<string[]> {
  const members = await db
    .selectDistinct({ id: staffDepartments.userId })
    .from(staffDepartments)
    .where(eq(staffDepartments.departmentId, departmentId));
  const templated = await db
    .selectDistinct({ id: scheduleTemplates.clinicianId })
    .from(scheduleTemplates)
    .where(eq(scheduleTemplates.departmentId, departmentId));
  return [...new Set([...members, ...templated].map((r) => r.id))];
}

/** True when the user is a clinician of the organization. */
export async function isClinicianOf(db: Executor, organizationId: string, clinicianId: string): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, clinicianId), hasStaffRoleSql(qualifiedUserId, organizationId, ['clinician'])));
  return rows.length > 0;
}

/** The staff member's first department of the organization by name, or undefined when they belong to none there. */
export async function findFirstDepartmentOf(db: Executor, organizationId: string, userId: string): Promise<string | undefined> {
  const [first] = await db
    .select({ id: departments.id })
    .from(staffDepartments)
    .innerJoin(departments, and(eq(departments.id, staffDepartments.departmentId), eq(departments.organizationId, organizationId)))
    .where(eq(staffDepartments.userId, userId))
    .orderBy(asc(departments.name), asc(departments.id))
    .limit(1);
  return first?.id;
}

/** The zone of a clinician's first department by name, or undefined when they belong to none. */
export async function findFirstDepartmentTimeZone(db: Executor, clinicianId: string): Promise<string | undefined> {
  const [first] = await db
    .select({ timeZone: departments.timeZone })
    .from(staffDepartments)
    .innerJoin(departments, eq(departments.id, staffDepartments.departmentId))
    .where(eq(staffDepartments.userId, clinicianId))
    .orderBy(asc(departments.name), asc(departments.id))
    .limit(1);
  return first?.timeZone;
}

/**
 * The organization's appointments of one department or clinician starting in [from, to), with patient and clinician
 * names, of the patients the policy's list rule (patientScopeSql) lets `reader` see.
 */
export function findScheduleAppointments(db: Executor, reader: Actor, organizationId: string, owner: ScheduleOwner, from: Date, to: Date) {
  const scope = patientScopeSql(reader, 'read', 'appointments', patients);
  const ownedBy =
    'departmentId' in owner ? eq(appointments.departmentId, owner.departmentId) : eq(appointments.clinicianId, owner.clinicianId);
  return db
    .select({
      appointment: appointments,
      patientName: sql<string>`${patients.givenName} || ' ' || ${patients.familyName}`,
      mrn: patients.mrn,
      clinicianName: users.displayName,
    })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .leftJoin(users, eq(users.id, appointments.clinicianId))
    .where(
      and(eq(appointments.organizationId, organizationId), ownedBy, scope, gte(appointments.startAt, from), lt(appointments.startAt, to)),
    )
    .orderBy(asc(appointments.startAt), asc(appointments.id));
}

/** The patient of an appointment of the organization, or undefined (another organization's id finds nothing). */
export async function findAppointmentPatientId(db: Executor, organizationId: string, appointmentId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ patientId: appointments.patientId })
    .from(appointments)
    .where(and(eq(appointments.id, appointmentId), eq(appointments.organizationId, organizationId)));
  return row?.patientId;
}

/** The organization's clinicians and nurses, one row per department they belong to (none: one row with a null department). */
export function findStaffDirectoryRows(db: Executor, organizationId: string) {
  const role = staffRoleInSql(qualifiedUserId, sql`${organizationId}::uuid`);
  return db
    .select({ id: users.id, name: users.displayName, role: sql<string>`${role}`, departmentId: staffDepartments.departmentId })
    .from(users)
    .leftJoin(staffDepartments, eq(staffDepartments.userId, users.id))
    .where(hasStaffRoleSql(qualifiedUserId, organizationId, ['clinician', 'nurse']))
    .orderBy(asc(users.displayName), asc(users.id));
}
