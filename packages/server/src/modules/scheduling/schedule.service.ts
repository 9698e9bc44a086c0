/** The staff schedule (issue 5 §1): a department's or clinician's day or week, and front-desk status changes. */
import type { Ability, ScheduleResponse } from '@portico/shared';
import type { Database, Transaction } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { addDays, civilDateInZone, formatCivilDate, parseCivilDate, zonedTimeToUtc } from '@portico/shared/zoned-time';
import { can, organizationFor, type Actor } from '../access/access.policy.ts';
import { withAuditedPatientAccess } from '../access/access.service.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { cancelAppointmentRow, findAppointmentRow, findBlocks, updateAppointmentStatus } from './appointments.repository.ts';
import {
  findAppointmentPatientId,
  findDepartmentClinicianIds,
  findDepartmentTimeZone,
  findFirstDepartmentOf,
  findFirstDepartmentTimeZone,
  findScheduleAppointments,
  findStaffDirectoryRows,
  isClinicianOf,
  type ScheduleOwner,
} from './schedule.repository.ts';
import { cancelWaitlistEntries } from './waitlist.repository.ts';
import { offerReleasedSlot } from './waitlist.service.ts';

/** The organization whose schedule the actor reads (front desk, nurses, clinicians: `can(actor, 'schedule.read')`), or 403. */
function scheduleOrganizationOf(actor: Actor): string {
  const organizationId = organizationFor(actor, 'schedule.read');
  if (organizationId === null) throw forbidden('The schedule is for care-team staff.');
  return organizationId;
}

/** The schedule request, validated by the contract. */
export interface ScheduleQuery {
  departmentId?: string | undefined;
  clinicianId?: string | undefined;
  from: string;
  days: number;
}

/** The zone and clinicians a schedule request covers, or null when it names nothing of the organization. */
async function resolveScope(tx: Transaction, organizationId: string, query: ScheduleQuery) {
  if (query.departmentId !== undefined) {
    const timeZone = await findDepartmentTimeZone(tx, organizationId, query.departmentId);
    if (timeZone === undefined) return null;
    const owner: ScheduleOwner = { departmentId: query.departmentId };
    return { timeZone, clinicianIds: await findDepartmentClinicianIds(tx, query.departmentId), owner };
  }
  const clinicianId = query.clinicianId ?? '';
  if (!(await isClinicianOf(tx, organizationId, clinicianId))) return null;
  const timeZone = (await findFirstDepartmentTimeZone(tx, clinicianId)) ?? 'UTC';
  return { timeZone, clinicianIds: [clinicianId], owner: { clinicianId } satisfies ScheduleOwner };
}

/**
 * GET /api/schedule: a day or a week of a department's (or a clinician's) appointments and blocked time, in the
 * department's zone (a clinician's first department's). Audited as one view plus one event per patient shown, as
 * patient search is: a schedule is a list of patients.
 */
export async function getScheduleFor(db: Database, actor: Actor, audit: AuditContext, query: ScheduleQuery): Promise<ScheduleResponse> {
  const organizationId = scheduleOrganizationOf(actor);
  return db.transaction(async (tx) => {
    const scope = await resolveScope(tx, organizationId, query);
    if (!scope) throw notFound(query.departmentId !== undefined ? 'The department' : 'The clinician');
    const first = parseCivilDate(query.from);
    const dates = Array.from({ length: query.days }, (_, i) => formatCivilDate(addDays(first, i)));
    const from = zonedTimeToUtc(first, 0, scope.timeZone);
    const to = zonedTimeToUtc(addDays(first, query.days), 0, scope.timeZone);

    const rows = await findScheduleAppointments(tx, actor, organizationId, scope.owner, from, to);
    const blocks = await findBlocks(tx, scope.clinicianIds, from, to);

    const byDate = new Map(
      dates.map((date) => [
        date,
        {
          date,
          appointments: [] as ScheduleResponse['days'][number]['appointments'],
          blocks: [] as ScheduleResponse['days'][number]['blocks'],
        },
      ]),
    );
    const dayOf = (instant: Date) => formatCivilDate(civilDateInZone(instant < from ? from : instant, scope.timeZone));
    for (const r of rows) {
      const a = r.appointment;
      byDate.get(dayOf(a.startAt))?.appointments.push({
        id: a.id,
        startAt: a.startAt.toISOString(),
        endAt: a.endAt.toISOString(),
        status: a.status as ScheduleResponse['days'][number]['appointments'][number]['status'],
        visitType: a.visitType,
        patient: { id: a.patientId, name: r.patientName, mrn: r.mrn },
        clinician: a.clinicianId && r.clinicianName ? { id: a.clinicianId, name: r.clinicianName } : null,
        checkedInAt: a.checkedInAt?.toISOString() ?? null,
      });
    }
    for (const b of blocks) {
      byDate.get(dayOf(b.startAt))?.blocks.push({
        id: b.id,
        clinicianId: b.clinicianId,
        startAt: b.startAt.toISOString(),
        endAt: b.endAt.toISOString(),
        reason: b.reason,
      });
    }
    const patientIds = [...new Set(rows.map((r) => r.appointment.patientId))];
    await recordAudit(tx, audit, [
      {
        action: 'schedule.view',
        outcome: 'success',
        details: {
          departmentId: query.departmentId ?? null,
          clinicianId: query.clinicianId ?? null,
          from: query.from,
          days: query.days,
          appointments: rows.length,
        },
      },
      ...patientIds.map((id) => ({
        action: 'schedule.view.patient',
        outcome: 'success' as const,
        patientId: id,
        objectType: 'Patient',
        objectId: id,
      })),
    ]);
    return { timeZone: scope.timeZone, days: [...byDate.values()] };
  });
}

/**
 * GET /api/schedule/own: the schedule the page opens on (issue 10 §5.6): the reader's own as a clinician of the
 * organization, else their first department's by name, else none. Names no patient: not audited.
 */
export async function getOwnScheduleFor(db: Database, actor: Actor) {
  const organizationId = scheduleOrganizationOf(actor);
  if (await isClinicianOf(db, organizationId, actor.userId)) return { owner: { kind: 'clinician' as const, id: actor.userId } };
  const departmentId = await findFirstDepartmentOf(db, organizationId, actor.userId);
  return { owner: departmentId === undefined ? null : { kind: 'department' as const, id: departmentId } };
}

/**
 * Statuses staff set by hand, with the ability each needs; `scheduled` and `checked_in` come from booking and
 * e-check-in. Arrival is its own ability (the front desk's, and nurses' where the organization allows it, issue 10 §5.7).
 */
const statusAbilities: ReadonlyMap<string, Ability> = new Map([
  ['arrived', 'schedule.arrive'],
  ['completed', 'schedule.manage'],
  ['no_show', 'schedule.manage'],
  ['cancelled', 'schedule.manage'],
]);
/** Where each status may go from: a visit that is over or cancelled stays so. */
const openStatuses = ['scheduled', 'checked_in', 'arrived'];

/**
 * POST /api/schedule/appointments/:appointmentId/status: arrival (`schedule.arrive`), completion, no-show or
 * cancellation (`schedule.manage`), by staff who hold the ability in the organization and whose role may write
 * appointments for the patient (403 otherwise). Cancelling frees the time and offers it to the waitlist. Another
 * organization's appointment answers 404; a finished or cancelled one 409.
 */
export async function setAppointmentStatusFor(
  db: Database,
  publicUrl: string,
  actor: Actor,
  audit: AuditContext,
  appointmentId: string,
  status: string,
  now = new Date(),
) {
  const organizationId = scheduleOrganizationOf(actor);
  const needed = statusAbilities.get(status);
  if (needed === undefined)
    throw new AppError(400, 'validation_failed', 'status: Choose arrived, completed, no-show or cancelled.', 'status');
  if (!can(actor, needed, organizationId)) {
    throw forbidden(
      status === 'arrived' ? 'Marking arrival is not open to your role here.' : 'Changing this status is for the front desk.',
    );
  }
  const patientId = await findAppointmentPatientId(db, organizationId, appointmentId);
  if (patientId === undefined) throw notFound('The appointment');
  const access = {
    patientId,
    action: 'write' as const,
    categories: ['appointments' as const],
    auditAction: 'appointment.status.update',
    auditDetails: { appointmentId, status },
  };
  return withAuditedPatientAccess(db, actor, audit, access, async (tx) => {
    const a = await findAppointmentRow(tx, appointmentId, true);
    if (!a) throw notFound('The appointment');
    if (!openStatuses.includes(a.status)) throw new AppError(409, 'conflict', `This appointment is already ${a.status.replace('_', ' ')}.`);
    if (status === 'cancelled') {
      await cancelAppointmentRow(tx, a.id, actor.userId, now);
      await cancelWaitlistEntries(tx, a.id);
      if (a.clinicianId) {
        const slot = {
          clinicianId: a.clinicianId,
          departmentId: a.departmentId,
          visitTypeId: a.visitTypeId,
          startAt: a.startAt,
          endAt: a.endAt,
        };
        await offerReleasedSlot(tx, slot, publicUrl, now);
      }
    } else {
      await updateAppointmentStatus(tx, a.id, { status });
      if (status !== 'arrived') await cancelWaitlistEntries(tx, a.id);
    }
    return { id: a.id, status };
  });
}

/** The organization's clinicians and nurses with their departments, for choosing whose schedule, hours or blocked time (names only). */
export async function listCliniciansFor(db: Database, actor: Actor) {
  const organizationId = organizationFor(actor, 'schedule.read') ?? organizationFor(actor, 'schedule.manage');
  if (organizationId === null) throw forbidden('The schedule is for staff.');
  const rows = await findStaffDirectoryRows(db, organizationId);
  const byId = new Map<string, { id: string; name: string; role: string; departmentIds: string[] }>();
  for (const row of rows) {
    const entry = byId.get(row.id) ?? { id: row.id, name: row.name, role: row.role, departmentIds: [] };
    if (row.departmentId) entry.departmentIds.push(row.departmentId);
    byId.set(row.id, entry);
  }
  return { clinicians: [...byId.values()] };
}
