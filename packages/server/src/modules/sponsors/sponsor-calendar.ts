import { addDays, formatCivilDate, parseCivilDate, startOfDayInZone } from '@portico/shared/zoned-time';
import { dayInZone } from '../access/access.policy.ts';

/** Days a sponsor has to complete a validation (issue 12 §1): day 30 is still open, day 31 is locked. */
export const validationDays = 30;

/**
 * The validation period `now` falls in, on the organization's calendar (issue 12 §1: April 1 and October 1): its first
 * day, and the instant it locks (midnight beginning day 31 in the zone). From April 1 to September 30 it is April's,
 * from October 1 to March 31 October's (of the year before, in January to March).
 */
export function validationPeriodAt(now: Date, timeZone: string): { periodStart: string; dueAt: Date; lastDay: string } {
  const today = dayInZone(now, timeZone);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const periodStart = month >= 10 ? `${year}-10-01` : month >= 4 ? `${year}-04-01` : `${year - 1}-10-01`;
  return { periodStart, ...dueOf(periodStart, timeZone) };
}

/** When a period's validation locks, and its last open day, in the organization's zone. */
export function dueOf(periodStart: string, timeZone: string): { dueAt: Date; lastDay: string } {
  const start = parseCivilDate(periodStart);
  return {
    dueAt: startOfDayInZone(formatCivilDate(addDays(start, validationDays)), timeZone),
    lastDay: formatCivilDate(addDays(start, validationDays - 1)),
  };
}

/** The last day a validation due at `dueAt` may be completed, in the zone (the day before its locking midnight). */
export function lastDayOf(dueAt: Date, timeZone: string): string {
  return dayInZone(new Date(dueAt.getTime() - 1), timeZone);
}
