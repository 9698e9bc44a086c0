import { addDays, civilDateInZone, weekdayOf, zonedTimeToUtc } from '@portico/shared/zoned-time';

/**
 * The support team's clocks (issue 12 §3: a PCP update "takes 2-3 business days", error reports are answered "within 2
 * business days"): `n` business days after an instant, at the same wall-clock time in the organization's zone, counting
 * Monday to Friday only. Holidays are not counted as days off: the organization keeps no holiday calendar, so a clock
 * running over a holiday is a day early (the screen shows it; support may still answer on time).
 */
export function addBusinessDays(from: Date, n: number, timeZone: string): Date {
  const start = civilDateInZone(from, timeZone);
  const minuteOfDay = wallMinuteInZone(from, timeZone);
  let day = start;
  let counted = 0;
  while (counted < n) {
    day = addDays(day, 1);
    const weekday = weekdayOf(day);
    if (weekday !== 0 && weekday !== 6) counted++;
  }
  return zonedTimeToUtc(day, minuteOfDay, timeZone);
}

/** Minutes after local midnight on the wall clock of `timeZone` at `instant` (what a person there reads). */
function wallMinuteInZone(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}
