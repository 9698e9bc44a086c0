/** An appointment row in the API's shape: where, when, what to bring, and what the patient may still do online. */
import type { AppointmentView } from '@portico/shared';
import type { AppointmentContextRow } from './appointments.repository.ts';

/** E-check-in opens this long before the start. */
export const checkInOpensMs = 7 * 86_400_000;

/** When online changes end: the organization's cut-off before the start. */
export function changeCutoffOf(startAt: Date, cutoffHours: number): Date {
  return new Date(startAt.getTime() - cutoffHours * 3600_000);
}

/** True when the patient may still cancel or reschedule online. */
export function canChangeOnline(status: string, startAt: Date, cutoffHours: number, now: Date): boolean {
  return status === 'scheduled' && now < changeCutoffOf(startAt, cutoffHours);
}

/** The view of one appointment at `now`. */
export function toAppointmentView(row: AppointmentContextRow, now: Date): AppointmentView {
  const a = row.appointment;
  const opensAt = new Date(a.startAt.getTime() - checkInOpensMs);
  const completedAt = row.checkInCompletedAt;
  const video = row.isVideo || a.videoUrl !== null;
  return {
    id: a.id,
    startAt: a.startAt.toISOString(),
    endAt: a.endAt.toISOString(),
    timeZone: a.timeZone,
    status: a.status as AppointmentView['status'],
    visitType: a.visitType,
    visitTypeId: a.visitTypeId,
    clinician: a.clinicianId && row.clinicianName ? { id: a.clinicianId, name: row.clinicianName } : null,
    location: {
      id: a.departmentId,
      name: row.departmentName,
      // A video visit has no street address to go to (issue 10 §3); the page shows the link instead.
      address: video ? null : row.departmentAddress,
      phone: row.departmentPhone ?? row.organizationPhone,
      timeZone: a.timeZone,
    },
    instructions: row.instructions ?? null,
    video,
    videoUrl: a.status === 'cancelled' ? null : a.videoUrl,
    canChange: canChangeOnline(a.status, a.startAt, row.cancelCutoffHours, now),
    changeCutoffAt: changeCutoffOf(a.startAt, row.cancelCutoffHours).toISOString(),
    clinicPhone: row.departmentPhone ?? row.organizationPhone,
    checkIn: {
      opensAt: opensAt.toISOString(),
      available: a.status === 'scheduled' && completedAt === null && now >= opensAt && now < a.endAt,
      completedAt: completedAt?.toISOString() ?? null,
    },
    waitlisted: row.isWaitlisted,
  };
}
