/** Open times read from the database and computed by availability.ts; the slot list and the booking check share it. */
import type { Executor } from '../../db/client.ts';
import { addDays, zonedTimeToUtc, type CivilDate } from '@portico/shared/zoned-time';
import { computeOpenSlots, type OpenSlot } from './availability.ts';
import { findBlocks, findBookedUnits, findDepartmentTemplates } from './appointments.repository.ts';

/** Patients book no sooner than this ahead of the start, so the clinic can prepare. */
export const bookingLeadMs = 2 * 3600_000;

/** What an open-time search covers. */
export interface OpenSlotSearch {
  department: { id: string; timeZone: string };
  visitType: { id: string; durationMinutes: number };
  clinicianId: string | null;
  from: CivilDate;
  days: number;
  now: Date;
  /** Which clinicians this patient may see for the visit type (established-only types). */
  isClinicianEligible: (clinicianId: string) => boolean;
  /**
   * Leave booked units in: the booking check lets the appointment_slots key decide a collision, so a lost race answers
   * 409 `slot_taken` rather than 400.
   */
  ignoreBooked?: boolean;
}

/** The open times of a department for a visit type, over whole local days. */
export async function findOpenSlots(db: Executor, search: OpenSlotSearch): Promise<OpenSlot[]> {
  const templates = (await findDepartmentTemplates(db, search.department.id, search.clinicianId)).filter((t) =>
    search.isClinicianEligible(t.clinicianId),
  );
  if (templates.length === 0) return [];
  const clinicianIds = [...new Set(templates.map((t) => t.clinicianId))];
  const rangeStart = zonedTimeToUtc(search.from, 0, search.department.timeZone);
  const rangeEnd = zonedTimeToUtc(addDays(search.from, search.days + 1), 0, search.department.timeZone);
  const blocks = await findBlocks(db, clinicianIds, rangeStart, rangeEnd);
  const bookedUnits = search.ignoreBooked ? new Map() : await findBookedUnits(db, clinicianIds, rangeStart, rangeEnd);
  return computeOpenSlots({
    templates,
    blocks,
    bookedUnits,
    visitTypeId: search.visitType.id,
    durationMinutes: search.visitType.durationMinutes,
    timeZone: search.department.timeZone,
    from: search.from,
    days: search.days,
    notBefore: new Date(search.now.getTime() + bookingLeadMs),
  });
}
