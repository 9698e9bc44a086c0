/**
 * Open appointment times, computed without the database: weekly templates (wall-clock minutes in the department's
 * zone) become instants day by day, so a 9:00 template stays 9:00 local across daylight-saving changes; blocks and
 * booked 5-minute units are taken out. Pure, so the booking check and the slot list agree by construction.
 */
import { addDays, existingLocalInstant, formatCivilDate, weekdayOf, zonedTimeToUtc, type CivilDate } from '@portico/shared/zoned-time';

/** The length of one booking unit (appointment_slots rows), in milliseconds. */
export const unitMs = 5 * 60_000;

/** A weekly template row as availability needs it. */
export interface TemplateHours {
  clinicianId: string;
  departmentId: string;
  weekday: number;
  startMinute: number;
  endMinute: number;
  /** Visit types offered; empty means all. */
  visitTypeIds: readonly string[];
  validFrom: string;
  validTo: string | null;
}

/** A stretch of a clinician's time in UTC (a block, or a booked appointment). */
export interface BusyTime {
  clinicianId: string;
  startAt: Date;
  endAt: Date;
}

/** One open time. */
export interface OpenSlot {
  clinicianId: string;
  startAt: Date;
  endAt: Date;
}

/** What the computation is given. */
export interface AvailabilityInput {
  templates: readonly TemplateHours[];
  blocks: readonly BusyTime[];
  /** Booked 5-minute units per clinician, as epoch milliseconds. */
  bookedUnits: ReadonlyMap<string, ReadonlySet<number>>;
  visitTypeId: string;
  durationMinutes: number;
  timeZone: string;
  from: CivilDate;
  days: number;
  /** Nothing starts before this instant (now plus the booking lead time). */
  notBefore: Date;
}

function isTemplateValidOn(template: TemplateHours, day: string): boolean {
  return template.validFrom <= day && (template.validTo === null || day <= template.validTo);
}

/** True when a template's hours offer the visit type (an empty list offers every type). */
export function offersVisitType(template: Pick<TemplateHours, 'visitTypeIds'>, visitTypeId: string): boolean {
  return template.visitTypeIds.length === 0 || template.visitTypeIds.includes(visitTypeId);
}

function overlapsAny(slot: OpenSlot, busy: readonly BusyTime[]): boolean {
  return busy.some((b) => b.clinicianId === slot.clinicianId && b.startAt < slot.endAt && slot.startAt < b.endAt);
}

function isUnitBooked(slot: OpenSlot, bookedUnits: AvailabilityInput['bookedUnits']): boolean {
  const units = bookedUnits.get(slot.clinicianId);
  if (!units) return false;
  for (let t = slot.startAt.getTime(); t < slot.endAt.getTime(); t += unitMs) if (units.has(t)) return true;
  return false;
}

/**
 * Open start times: for each day and template, starts at the template's start and steps by the visit's length while
 * the visit fits; local times the clock skips are left out; ordered by time, then clinician.
 */
export function computeOpenSlots(input: AvailabilityInput): OpenSlot[] {
  const durationMs = input.durationMinutes * 60_000;
  const seen = new Set<string>();
  const slots: OpenSlot[] = [];
  for (let offset = 0; offset < input.days; offset += 1) {
    const date = addDays(input.from, offset);
    const day = formatCivilDate(date);
    const weekday = weekdayOf(date);
    for (const template of input.templates) {
      if (template.weekday !== weekday || !isTemplateValidOn(template, day) || !offersVisitType(template, input.visitTypeId)) continue;
      const templateEnd = zonedTimeToUtc(date, template.endMinute, input.timeZone);
      for (let minute = template.startMinute; minute + input.durationMinutes <= template.endMinute; minute += input.durationMinutes) {
        const startAt = existingLocalInstant(date, minute, input.timeZone);
        if (!startAt) continue;
        const slot = { clinicianId: template.clinicianId, startAt, endAt: new Date(startAt.getTime() + durationMs) };
        if (slot.endAt > templateEnd || slot.startAt < input.notBefore) continue;
        if (overlapsAny(slot, input.blocks) || isUnitBooked(slot, input.bookedUnits)) continue;
        const key = `${slot.clinicianId}|${startAt.getTime()}`;
        if (seen.has(key)) continue;
        seen.add(key);
        slots.push(slot);
      }
    }
  }
  return slots.sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || a.clinicianId.localeCompare(b.clinicianId));
}

/**
 * "First available" as a short list: one open time per start, given to the clinician with the most open time that day
 * (so bookings spread across the team rather than filling one diary first), the lower id on a tie. Keeps the order.
 */
export function onePerStartTime(slots: readonly OpenSlot[]): OpenSlot[] {
  const openCount = new Map<string, number>();
  for (const slot of slots) openCount.set(slot.clinicianId, (openCount.get(slot.clinicianId) ?? 0) + 1);
  const byStart = new Map<number, OpenSlot>();
  for (const slot of slots) {
    const key = slot.startAt.getTime();
    const held = byStart.get(key);
    const score = (s: OpenSlot) => openCount.get(s.clinicianId) ?? 0;
    if (!held || score(slot) > score(held) || (score(slot) === score(held) && slot.clinicianId < held.clinicianId)) byStart.set(key, slot);
  }
  return [...byStart.values()].sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
}

/** The 5-minute units [start, end) covers, as the instants appointment_slots stores. */
export function unitsOf(startAt: Date, endAt: Date): Date[] {
  const units: Date[] = [];
  for (let t = startAt.getTime(); t < endAt.getTime(); t += unitMs) units.push(new Date(t));
  return units;
}
