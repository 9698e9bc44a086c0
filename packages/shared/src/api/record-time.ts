import { startOfDayInZone as zonedStartOfDay } from '../zoned-time.ts';

/**
 * Instants of the record as a person reads them: a date and a time in words, in the page's language and in the
 * patient's own time zone (never the reader's browser zone, never an ISO string). Pure Intl, so the web and the
 * server format the same instant the same way.
 */

/**
 * An instant as a date and time in `timeZone` and the language of `intlLocale` (a BCP 47 tag such as `en-US`):
 * `March 4, 2026 at 9:30 AM`, `4 de marzo de 2026 a las 9:30 a.m.`. An unknown zone falls back to UTC (it still names
 * a real moment); an instant that does not parse answers null, so the caller says the time is not known.
 */
export function formatZonedDateTime(iso: string, timeZone: string, intlLocale: string): string | null {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return null;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(intlLocale, { ...options, timeZone }).format(instant);
  } catch {
    return new Intl.DateTimeFormat(intlLocale, { ...options, timeZone: 'UTC' }).format(instant);
  }
}

/**
 * The instant a calendar day (`YYYY-MM-DD`) begins in `timeZone`: midnight there, or the end of the gap when the clocks
 * skip midnight. A clinician's "hold until March 4" releases the result when March 4 begins where the patient lives,
 * wherever the clinician is. Null for a date or zone that does not read.
 */
export function startOfDayInZone(isoDate: string, timeZone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return null;
  try {
    return zonedStartOfDay(isoDate, timeZone).toISOString();
  } catch {
    // Intl refuses a zone it does not know.
    return null;
  }
}
