/**
 * Wall-clock arithmetic in IANA time zones with Intl only (DESIGN.md: times are stored in UTC and shown in the
 * location's zone): calendar days, local times to instants, daylight-saving changes included.
 */

/** A calendar date with no time zone attached (month 1-12). */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const dayMs = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in `timeZone` at `instant`, expressed as if it were a UTC epoch. */
function wallClockAsUtc(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
}

/** The calendar date an instant falls on in a time zone. */
export function civilDateInZone(instant: Date, timeZone: string): CivilDate {
  const wall = new Date(wallClockAsUtc(instant.getTime(), timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** The date `days` calendar days after `date` (negative goes back). */
export function addDays(date: CivilDate, days: number): CivilDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * dayMs);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The UTC instant of `minuteOfDay` (minutes after local midnight) on `date` in `timeZone`, DST included. */
export function zonedTimeToUtc(date: CivilDate, minuteOfDay: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  const firstOffset = wallClockAsUtc(wall, timeZone) - wall;
  let instant = wall - firstOffset;
  const secondOffset = wallClockAsUtc(instant, timeZone) - instant;
  if (secondOffset !== firstOffset) instant = wall - secondOffset;
  return new Date(instant);
}

/** The instant of a local time, or null when the clock skips it (the spring daylight-saving gap). */
export function existingLocalInstant(date: CivilDate, minuteOfDay: number, timeZone: string): Date | null {
  const instant = zonedTimeToUtc(date, minuteOfDay, timeZone);
  const wantedMinute = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay) / 60_000;
  const readMinute = Math.floor(wallClockAsUtc(instant.getTime(), timeZone) / 60_000);
  return readMinute === wantedMinute ? instant : null;
}

/** The day of the week of a calendar date, 0 for Sunday to 6 for Saturday (as Date#getUTCDay). */
export function weekdayOf(date: CivilDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** ISO `YYYY-MM-DD` form of a calendar date (FHIR `date`, the patients.birth_date column). */
export function formatCivilDate(date: CivilDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** A `YYYY-MM-DD` string as a calendar date (the caller has validated the format). */
export function parseCivilDate(iso: string): CivilDate {
  const [year = 1970, month = 1, day = 1] = iso.split('-').map(Number);
  return { year, month, day };
}

/** The instant a calendar day begins in a time zone (midnight, or the first minute after a skipped midnight). */
export function startOfDayInZone(iso: string, timeZone: string): Date {
  const date = parseCivilDate(iso);
  const midnight = zonedTimeToUtc(date, 0, timeZone);
  if (existingLocalInstant(date, 0, timeZone)) return midnight;
  // The clocks skip midnight (Santiago, Beirut…): zonedTimeToUtc answers an instant of the day before; the day begins
  // at the jump, the first minute whose wall clock reads this date (gaps are at most a few hours).
  const wanted = formatCivilDate(date);
  for (let minute = 1; minute <= 4 * 60; minute++) {
    const instant = new Date(midnight.getTime() + minute * 60_000);
    if (formatCivilDate(civilDateInZone(instant, timeZone)) === wanted) return instant;
  }
  return midnight;
}

/**
 * The same instant `months` calendar months later (UTC calendar), the day clamped to the month's last: a provider token
 * issued on August 31 expires on the last day of February (issue 12 §2, "six months after being issued").
 */
export function addCalendarMonths(instant: Date, months: number): Date {
  const year = instant.getUTCFullYear();
  const month = instant.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const out = new Date(instant.getTime());
  out.setUTCFullYear(year, month, Math.min(instant.getUTCDate(), lastDay));
  return out;
}
