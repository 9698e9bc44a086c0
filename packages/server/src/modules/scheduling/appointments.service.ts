/**
 * The patient's appointments (issue 5 §2): list, read, book, cancel, reschedule and the .ics download. Every operation
 * runs in withPatientAccess (category `appointments`): policy, work and audit event commit together; anything the
 * caller may not reach answers 404. Book, cancel and reschedule can also be refused after the policy allowed them (a
 * taken slot, the cut-off): withAuditedPatientAccess records those refusals too.
 */
import type { AppointmentView } from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import type { Transaction } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import { cursorCodec, instantPart, uuidPart, type CursorCodec } from '../../lib/cursor.ts';
import { civilDateInZone } from '@portico/shared/zoned-time';
import { generateToken } from '../../security/crypto.ts';
import type { Actor, PatientRef } from '../access/access.policy.ts';
import { withAuditedPatientAccess, withPatientAccess, type PatientAccessRequest } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { runIdempotent, type IdempotencyRequest, type StoredAnswer } from '../idempotency/idempotency.ts';
import { canChangeOnline, toAppointmentView } from './appointment-view.ts';
import {
  findAppointment,
  findAppointmentPage,
  findDepartment,
  findEstablishedWith,
  findVisitType,
  lockAppointment,
  type AppointmentCursor,
  type AppointmentContextRow,
} from './appointments.repository.ts';
import { bookSlot, releaseBooking } from './booking.ts';
import { queueBookingConfirmation } from './booking-confirmation.ts';
import { renderIcs } from './ics.ts';
import { findOpenSlots } from './open-slots.ts';

function access(
  patientId: string,
  action: 'read' | 'write',
  auditAction: string,
  details: Record<string, unknown> = {},
): PatientAccessRequest {
  return { patientId, action, categories: ['appointments'], auditAction, auditDetails: details };
}

/** Appointment-list cursors: the (start, id) of the last appointment shown. */
const appointmentCursors: CursorCodec<AppointmentCursor> = cursorCodec({ startAt: instantPart, id: uuidPart });

/** GET …/appointments: upcoming soonest first, or past latest first, one page at a time. */
export function listAppointments(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  query: { when: 'upcoming' | 'past'; cursor?: string; limit: number },
) {
  const after = appointmentCursors.decodeOptional(query.cursor);
  return withPatientAccess(
    deps.db,
    actor,
    audit,
    access(patientId, 'read', 'appointment.list', { when: query.when }),
    async (tx, grant) => {
      const now = new Date();
      const rows = await findAppointmentPage(tx, grant.patient.id, query.when, now, after, query.limit);
      const position = (row: AppointmentContextRow) => ({ startAt: row.appointment.startAt, id: row.appointment.id });
      const { page, nextCursor } = appointmentCursors.page(rows, query.limit, position);
      return { appointments: page.map((row) => toAppointmentView(row, now)), nextCursor };
    },
  );
}

async function appointmentOf(tx: Transaction, patient: PatientRef, appointmentId: string): Promise<AppointmentContextRow> {
  const row = await findAppointment(tx, patient.id, appointmentId);
  if (!row) throw notFound('The appointment');
  return row;
}

/** GET …/appointments/:appointmentId */
export function getAppointment(deps: AuthDeps, actor: Actor, audit: AuditContext, patientId: string, appointmentId: string) {
  return withPatientAccess(deps.db, actor, audit, access(patientId, 'read', 'appointment.read', { appointmentId }), async (tx, grant) =>
    toAppointmentView(await appointmentOf(tx, grant.patient, appointmentId), new Date()),
  );
}

/** GET …/appointments/:appointmentId/calendar: the .ics text, its own words in the reader's `locale`; an audited download. */
export function getAppointmentCalendar(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  appointmentId: string,
  locale: Locale,
) {
  const request = access(patientId, 'read', 'appointment.calendar.download', { appointmentId });
  return withPatientAccess(deps.db, actor, audit, request, async (tx, grant) => {
    const row = await appointmentOf(tx, grant.patient, appointmentId);
    const a = row.appointment;
    return renderIcs({
      uid: `${a.id}@portico`,
      stampAt: new Date(),
      startAt: a.startAt,
      endAt: a.endAt,
      departmentName: row.departmentName,
      visitType: a.visitType,
      address: row.isVideo || a.videoUrl !== null ? null : row.departmentAddress,
      cancelled: a.status === 'cancelled',
      locale,
    });
  });
}

/** The time a patient asks for. */
interface RequestedTime {
  visitTypeId: string;
  departmentId: string;
  clinicianId: string;
  startAt: string;
}

/** Which clinicians of a department this patient may book a visit type with (established-only types). */
export async function eligibilityFor(tx: Transaction, patientId: string, establishedOnly: boolean, departmentId: string) {
  if (!establishedOnly) return () => true;
  const established = await findEstablishedWith(tx, patientId);
  return (clinicianId: string) => established.departmentIds.has(departmentId) || established.clinicianIds.has(clinicianId);
}

/** Checks the time is one the slot list would offer this patient (booked units aside) and books it. */
async function bookRequested(
  deps: AuthDeps,
  tx: Transaction,
  actor: Actor,
  patient: PatientRef,
  wanted: RequestedTime,
  replacesId: string | null,
  now: Date,
): Promise<string> {
  const visitType = await findVisitType(tx, patient.organizationId, wanted.visitTypeId);
  if (!visitType || !visitType.active || !visitType.patientBookable) {
    throw new AppError(400, 'validation_failed', 'visitTypeId: This kind of visit cannot be booked online.', 'visitTypeId');
  }
  const department = await findDepartment(tx, patient.organizationId, wanted.departmentId);
  if (!department) throw new AppError(400, 'validation_failed', 'departmentId: Choose one of the clinics offered.', 'departmentId');
  const startAt = new Date(wanted.startAt);
  const slots = await findOpenSlots(tx, {
    department,
    visitType,
    clinicianId: wanted.clinicianId,
    from: civilDateInZone(startAt, department.timeZone),
    days: 1,
    now,
    isClinicianEligible: await eligibilityFor(tx, patient.id, visitType.establishedOnly, department.id),
    ignoreBooked: true,
  });
  const slot = slots.find((s) => s.startAt.getTime() === startAt.getTime());
  if (!slot) throw new AppError(400, 'validation_failed', 'startAt: That time is not offered. Choose one of the open times.', 'startAt');
  return bookSlot(tx, {
    patientId: patient.id,
    organizationId: patient.organizationId,
    departmentId: department.id,
    clinicianId: slot.clinicianId,
    startAt: slot.startAt,
    endAt: slot.endAt,
    timeZone: department.timeZone,
    visitType: visitType.name,
    visitTypeId: visitType.id,
    videoUrl: visitType.video ? `${deps.config.publicUrl}/video/${generateToken()}` : null,
    bookedBy: actor.userId,
    replacesId,
  });
}

async function viewOf(tx: Transaction, patient: PatientRef, appointmentId: string, now: Date): Promise<AppointmentView> {
  return toAppointmentView(await appointmentOf(tx, patient, appointmentId), now);
}

/**
 * POST …/appointments (Idempotency-Key): books an offered time and queues its confirmation email in the same
 * transaction; a lost race answers 409 `slot_taken`.
 */
export function bookAppointment(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  body: RequestedTime,
  idempotency: IdempotencyRequest,
): Promise<StoredAnswer<AppointmentView>> {
  const details: Record<string, unknown> = {};
  const request = access(patientId, 'write', 'appointment.book', details);
  return afterCommitKickMail(
    deps,
    withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
      const stored = await runIdempotent(tx, actor.userId, idempotency, async () => {
        const now = new Date();
        const appointmentId = await bookRequested(deps, tx, actor, patient, body, null, now);
        details.appointmentId = appointmentId;
        await queueBookingConfirmation(tx, deps.config.publicUrl, patient.id, appointmentId, 'booked');
        return { statusCode: 201, body: await viewOf(tx, patient, appointmentId, now) };
      });
      if (stored.replayed) Object.assign(details, { appointmentId: stored.body.id, replayed: true });
      return stored;
    }),
  );
}

/** Nudges the outbox once a release committed: the waitlist may have queued offer notices. */
async function afterCommitKickMail<T>(deps: AuthDeps, work: Promise<T>): Promise<T> {
  const result = await work;
  deps.kickMail();
  return result;
}

/** Locks the appointment and refuses a change it no longer allows: 409, with the number to call after the cut-off. */
async function changeableAppointment(tx: Transaction, patient: PatientRef, appointmentId: string, now: Date) {
  if (!(await lockAppointment(tx, patient.id, appointmentId))) throw notFound('The appointment');
  const row = await appointmentOf(tx, patient, appointmentId);
  const a = row.appointment;
  if (a.status !== 'scheduled') throw new AppError(409, 'conflict', 'Only a scheduled appointment can be changed.');
  if (!canChangeOnline(a.status, a.startAt, row.cancelCutoffHours, now)) {
    const phone = row.departmentPhone ?? row.organizationPhone;
    throw new AppError(
      409,
      'change_cutoff_passed',
      `Online changes close ${row.cancelCutoffHours} hours before the visit. ` +
        (phone ? `Call the clinic at ${phone} to cancel or reschedule.` : 'Call the clinic to cancel or reschedule.'),
    );
  }
  return row;
}

/** POST …/appointments/:appointmentId/cancel (Idempotency-Key): before the cut-off only; frees the time. */
export function cancelAppointment(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  appointmentId: string,
  idempotency: IdempotencyRequest,
): Promise<StoredAnswer<AppointmentView>> {
  const details: Record<string, unknown> = { appointmentId };
  const request = access(patientId, 'write', 'appointment.cancel', details);
  return afterCommitKickMail(
    deps,
    withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
      const stored = await runIdempotent(tx, actor.userId, idempotency, async () => {
        const now = new Date();
        const row = await changeableAppointment(tx, patient, appointmentId, now);
        await releaseBooking(tx, row.appointment, { cancelledBy: actor.userId, at: now, publicUrl: deps.config.publicUrl });
        return { statusCode: 200, body: await viewOf(tx, patient, appointmentId, now) };
      });
      if (stored.replayed) details.replayed = true;
      return stored;
    }),
  );
}

/**
 * POST …/appointments/:appointmentId/reschedule (Idempotency-Key): in one transaction the old visit is cancelled (its
 * time freed) and the new one booked with the same visit type and department, pointing back with `replaces_id`; the
 * "moved" confirmation email is queued in the same transaction.
 */
export function rescheduleAppointment(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  target: { patientId: string; appointmentId: string },
  body: { clinicianId: string; startAt: string },
  idempotency: IdempotencyRequest,
): Promise<StoredAnswer<AppointmentView>> {
  const details: Record<string, unknown> = { appointmentId: target.appointmentId };
  const request = access(target.patientId, 'write', 'appointment.reschedule', details);
  return afterCommitKickMail(
    deps,
    withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
      const stored = await runIdempotent(tx, actor.userId, idempotency, async () => {
        const now = new Date();
        const row = await changeableAppointment(tx, patient, target.appointmentId, now);
        const old = row.appointment;
        if (old.visitTypeId === null) {
          throw new AppError(409, 'conflict', 'This visit cannot be rescheduled online; call the clinic.');
        }
        await releaseBooking(tx, old, { cancelledBy: actor.userId, at: now, publicUrl: deps.config.publicUrl });
        const wanted = { visitTypeId: old.visitTypeId, departmentId: old.departmentId, ...body };
        const newId = await bookRequested(deps, tx, actor, patient, wanted, old.id, now);
        details.newAppointmentId = newId;
        await queueBookingConfirmation(tx, deps.config.publicUrl, patient.id, newId, 'moved');
        return { statusCode: 201, body: await viewOf(tx, patient, newId, now) };
      });
      if (stored.replayed) Object.assign(details, { newAppointmentId: stored.body.id, replayed: true });
      return stored;
    }),
  );
}
