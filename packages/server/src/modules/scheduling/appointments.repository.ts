/** SQL for appointments, open times and booking; every method takes the transaction it runs in. */
import { aliasedTable, and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { anyUuid, type Executor } from '../../db/client.ts';
import { hasStaffRoleSql } from '../access/access.repository.ts';
import {
  appointments,
  appointmentSlots,
  checkIns,
  departments,
  organizations,
  patients,
  scheduleBlocks,
  scheduleTemplates,
  users,
  visitTypes,
  waitlistEntries,
} from '../../db/schema/index.ts';
import type { BusyTime, TemplateHours } from './availability.ts';

/** An appointment with everything its view shows. */
export type AppointmentContextRow = Awaited<ReturnType<typeof selectAppointmentContext>>[number];

function selectAppointmentContext(db: Executor, where: SQL | undefined, order: SQL[], limit: number) {
  const clinician = aliasedTable(users, 'clinician');
  return db
    .select({
      appointment: appointments,
      departmentName: departments.name,
      departmentAddress: departments.address,
      departmentPhone: departments.phone,
      organizationPhone: organizations.phone,
      cancelCutoffHours: organizations.cancelCutoffHours,
      clinicianName: clinician.displayName,
      instructions: visitTypes.instructions,
      isVideo: sql<boolean>`coalesce(${visitTypes.video}, false)`,
      checkInCompletedAt: checkIns.completedAt,
      isWaitlisted: sql<boolean>`exists (select 1 from ${waitlistEntries} where ${waitlistEntries.appointmentId} = ${appointments.id} and ${waitlistEntries.status} = 'waiting')`,
    })
    .from(appointments)
    .innerJoin(departments, eq(departments.id, appointments.departmentId))
    .innerJoin(organizations, eq(organizations.id, appointments.organizationId))
    .leftJoin(clinician, eq(clinician.id, appointments.clinicianId))
    .leftJoin(visitTypes, eq(visitTypes.id, appointments.visitTypeId))
    .leftJoin(checkIns, eq(checkIns.appointmentId, appointments.id))
    .where(where)
    .orderBy(...order)
    .limit(limit);
}

/** One appointment of a patient, or undefined (another patient's id finds nothing). */
export async function findAppointment(db: Executor, patientId: string, appointmentId: string): Promise<AppointmentContextRow | undefined> {
  const [row] = await selectAppointmentContext(db, and(eq(appointments.patientId, patientId), eq(appointments.id, appointmentId)), [], 1);
  return row;
}

/** Locks one appointment row of a patient for a change (cancel, reschedule), so two changes cannot both pass. */
export async function lockAppointment(db: Executor, patientId: string, appointmentId: string): Promise<boolean> {
  const rows = await db
    .select({ id: appointments.id })
    .from(appointments)
    .where(and(eq(appointments.patientId, patientId), eq(appointments.id, appointmentId)))
    .for('update');
  return rows.length > 0;
}

/** Keyset position in an appointment list. */
export interface AppointmentCursor {
  startAt: Date;
  id: string;
}

const activeStatuses = ['scheduled', 'checked_in', 'arrived'];

/**
 * A page of a patient's appointments: upcoming (not yet ended and still on) soonest first, or past (the rest)
 * latest first. Reads one more than `limit` so the caller knows whether a next page exists.
 */
export function findAppointmentPage(
  db: Executor,
  patientId: string,
  when: 'upcoming' | 'past',
  now: Date,
  after: AppointmentCursor | null,
  limit: number,
): Promise<AppointmentContextRow[]> {
  const upcoming = and(gt(appointments.endAt, now), inArray(appointments.status, activeStatuses));
  const past = or(lte(appointments.endAt, now), sql`${appointments.status} <> all(${sql.param(activeStatuses)}::text[])`);
  const keyset =
    after === null
      ? undefined
      : when === 'upcoming'
        ? sql`(${appointments.startAt}, ${appointments.id}) > (${after.startAt.toISOString()}::timestamptz, ${after.id}::uuid)`
        : sql`(${appointments.startAt}, ${appointments.id}) < (${after.startAt.toISOString()}::timestamptz, ${after.id}::uuid)`;
  const order =
    when === 'upcoming' ? [asc(appointments.startAt), asc(appointments.id)] : [desc(appointments.startAt), desc(appointments.id)];
  return selectAppointmentContext(
    db,
    and(eq(appointments.patientId, patientId), when === 'upcoming' ? upcoming : past, keyset),
    order,
    limit + 1,
  );
}

/** A visit type of an organization. */
export async function findVisitType(db: Executor, organizationId: string, visitTypeId: string) {
  const [row] = await db
    .select()
    .from(visitTypes)
    .where(and(eq(visitTypes.organizationId, organizationId), eq(visitTypes.id, visitTypeId)));
  return row;
}

/** The patient-bookable, active visit types of an organization. */
export function findBookableVisitTypes(db: Executor, organizationId: string) {
  return db
    .select()
    .from(visitTypes)
    .where(and(eq(visitTypes.organizationId, organizationId), eq(visitTypes.patientBookable, true), eq(visitTypes.active, true)))
    .orderBy(asc(visitTypes.name));
}

/** A department of an organization. */
export async function findDepartment(db: Executor, organizationId: string, departmentId: string) {
  const [row] = await db
    .select()
    .from(departments)
    .where(and(eq(departments.organizationId, organizationId), eq(departments.id, departmentId)));
  return row;
}

/** Templates of an organization's departments current on or after `fromDay`, with names for the options page. */
export function findOrganizationTemplates(db: Executor, organizationId: string) {
  return db
    .select({
      template: scheduleTemplates,
      departmentName: departments.name,
      departmentTimeZone: departments.timeZone,
      clinicianName: users.displayName,
    })
    .from(scheduleTemplates)
    .innerJoin(departments, eq(departments.id, scheduleTemplates.departmentId))
    .innerJoin(users, eq(users.id, scheduleTemplates.clinicianId))
    .where(
      and(
        eq(departments.organizationId, organizationId),
        sql`${users.disabledAt} is null`,
        // Still valid today where the department is, not in UTC.
        sql`(${scheduleTemplates.validTo} is null or ${scheduleTemplates.validTo} >= (now() at time zone ${departments.timeZone})::date)`,
      ),
    )
    .orderBy(asc(departments.name), asc(users.displayName));
}

/** The weekly hours of a department, optionally one clinician's, of enabled clinicians. */
export async function findDepartmentTemplates(db: Executor, departmentId: string, clinicianId: string | null): Promise<TemplateHours[]> {
  return db
    .select({
      clinicianId: scheduleTemplates.clinicianId,
      departmentId: scheduleTemplates.departmentId,
      weekday: scheduleTemplates.weekday,
      startMinute: scheduleTemplates.startMinute,
      endMinute: scheduleTemplates.endMinute,
      visitTypeIds: scheduleTemplates.visitTypeIds,
      validFrom: scheduleTemplates.validFrom,
      validTo: scheduleTemplates.validTo,
    })
    .from(scheduleTemplates)
    .innerJoin(users, eq(users.id, scheduleTemplates.clinicianId))
    .where(
      and(
        eq(scheduleTemplates.departmentId, departmentId),
        sql`${users.disabledAt} is null`,
        clinicianId === null ? undefined : eq(scheduleTemplates.clinicianId, clinicianId),
      ),
    );
}

/** Blocked time of these clinicians that overlaps [from, to), earliest first. */
export async function findBlocks(
  db: Executor,
  clinicianIds: readonly string[],
  from: Date,
  to: Date,
): Promise<(BusyTime & { id: string; reason: string | null })[]> {
  if (clinicianIds.length === 0) return [];
  return db
    .select({
      id: scheduleBlocks.id,
      clinicianId: scheduleBlocks.clinicianId,
      startAt: scheduleBlocks.startAt,
      endAt: scheduleBlocks.endAt,
      reason: scheduleBlocks.reason,
    })
    .from(scheduleBlocks)
    .where(and(anyUuid(scheduleBlocks.clinicianId, clinicianIds), lt(scheduleBlocks.startAt, to), gt(scheduleBlocks.endAt, from)))
    .orderBy(asc(scheduleBlocks.startAt));
}

/** Booked 5-minute units of these clinicians in [from, to), per clinician, as epoch milliseconds. */
export async function findBookedUnits(db: Executor, clinicianIds: readonly string[], from: Date, to: Date) {
  const units = new Map<string, Set<number>>();
  if (clinicianIds.length === 0) return units;
  const rows = await db
    .select({ clinicianId: appointmentSlots.clinicianId, unitStart: appointmentSlots.unitStart })
    .from(appointmentSlots)
    .where(
      and(anyUuid(appointmentSlots.clinicianId, clinicianIds), gte(appointmentSlots.unitStart, from), lt(appointmentSlots.unitStart, to)),
    );
  for (const row of rows) {
    let set = units.get(row.clinicianId);
    if (!set) units.set(row.clinicianId, (set = new Set()));
    set.add(row.unitStart.getTime());
  }
  return units;
}

/** Display names of users by id. */
export async function findUserNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(anyUuid(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The patient's primary care clinician ("my doctor") when one is on file and their account is enabled, else undefined. */
export async function findPatientPcp(db: Executor, patientId: string): Promise<{ id: string; name: string } | undefined> {
  const [row] = await db
    .select({ id: users.id, name: users.displayName })
    .from(patients)
    .innerJoin(users, eq(users.id, patients.pcpId))
    // A PCP outside the health system (an outside practice's physician, issue 12) has no schedule here to book.
    .where(
      and(eq(patients.id, patientId), sql`${users.disabledAt} is null`, hasStaffRoleSql(users.id, patients.organizationId, ['clinician'])),
    );
  return row;
}

/** Where a patient's own emails go: their account's verified address and language, when the account is enabled. */
export async function findPatientAccount(db: Executor, patientId: string) {
  const [row] = await db
    .select({ email: users.email, locale: users.locale })
    .from(patients)
    .innerJoin(users, eq(users.id, patients.userId))
    .where(and(eq(patients.id, patientId), isNotNull(users.emailVerifiedAt), sql`${users.disabledAt} is null`));
  return row;
}

/** Where a patient is established: departments and clinicians of their completed or arrived visits. */
export async function findEstablishedWith(db: Executor, patientId: string) {
  const rows = await db
    .selectDistinct({ departmentId: appointments.departmentId, clinicianId: appointments.clinicianId })
    .from(appointments)
    .where(and(eq(appointments.patientId, patientId), inArray(appointments.status, ['completed', 'arrived'])));
  return {
    departmentIds: new Set(rows.map((r) => r.departmentId)),
    clinicianIds: new Set(rows.flatMap((r) => (r.clinicianId ? [r.clinicianId] : []))),
  };
}

/** Inserts an appointment row and returns its id. */
export async function insertAppointment(db: Executor, row: typeof appointments.$inferInsert): Promise<string> {
  const [inserted] = await db.insert(appointments).values(row).returning({ id: appointments.id });
  return inserted!.id;
}

/** Claims the 5-minute units of a booking; a unit already held raises 23505 on the primary key. */
export async function insertSlotUnits(db: Executor, appointmentId: string, clinicianId: string, units: readonly Date[]): Promise<void> {
  await db.insert(appointmentSlots).values(units.map((unitStart) => ({ clinicianId, unitStart, appointmentId })));
}

/** One appointment row by id (inside a transaction that already checked whose it is), or undefined. */
export async function findAppointmentRow(db: Executor, appointmentId: string, lock = false) {
  const query = db.select().from(appointments).where(eq(appointments.id, appointmentId));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** Sets an appointment's status (arrival, completion, no-show; `checked_in` with its time). */
export async function updateAppointmentStatus(
  db: Executor,
  appointmentId: string,
  change: { status: string; checkedInAt?: Date },
): Promise<void> {
  await db.update(appointments).set(change).where(eq(appointments.id, appointmentId));
}

/** Marks an appointment cancelled and frees its units. */
export async function cancelAppointmentRow(db: Executor, appointmentId: string, cancelledBy: string, at: Date): Promise<void> {
  await db.delete(appointmentSlots).where(eq(appointmentSlots.appointmentId, appointmentId));
  await db.update(appointments).set({ status: 'cancelled', cancelledAt: at, cancelledBy }).where(eq(appointments.id, appointmentId));
}

/** Scheduled visits starting in (from, to] of patients with an account, soonest first, at most `limit`: the reminders due. */
export function findRemindableAppointments(db: Executor, from: Date, to: Date, limit: number) {
  return db
    .select({ id: appointments.id, startAt: appointments.startAt, userId: patients.userId })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .where(
      and(eq(appointments.status, 'scheduled'), gt(appointments.startAt, from), lte(appointments.startAt, to), isNotNull(patients.userId)),
    )
    .orderBy(asc(appointments.startAt))
    .limit(limit);
}
