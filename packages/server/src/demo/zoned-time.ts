/** Demo calendar helpers; the time-zone arithmetic itself lives in @portico/shared/zoned-time. */
import { weekdayOf, type CivilDate } from '@portico/shared/zoned-time';

export { addDays, civilDateInZone, formatCivilDate, parseCivilDate, zonedTimeToUtc, type CivilDate } from '@portico/shared/zoned-time';

const dayMs = 86_400_000;

/** True on Monday to Friday, when the demo clinics are open. */
export function isWeekday(date: CivilDate): boolean {
  const weekday = weekdayOf(date);
  return weekday !== 0 && weekday !== 6;
}

/** Whole years from a birth date to an instant (age on that day, UTC calendar). */
export function ageInYears(birthDate: string, at: Date): number {
  const [year = 0, month = 1, day = 1] = birthDate.split('-').map(Number);
  let age = at.getUTCFullYear() - year;
  const beforeBirthday = at.getUTCMonth() + 1 < month || (at.getUTCMonth() + 1 === month && at.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age;
}

/** An instant `days` days before `now` (fractional days allowed). */
export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * dayMs);
}

/** An instant `days` days after `from`. */
export function daysAfter(from: Date, days: number): Date {
  return new Date(from.getTime() + days * dayMs);
}

/** FHIR `dateTime` in UTC without milliseconds. */
export function fhirDateTime(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
