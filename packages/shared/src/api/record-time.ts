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

const wallClock = (timeZone: string) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

/** The wall-clock reading of `instant` in the zone, as milliseconds of a UTC calendar (so readings can be compared). */
function wallTime(format: Intl.DateTimeFormat, instant: number): number {
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
}

/**
 * The instant a calendar day (`YYYY-MM-DD`) begins in `timeZone`: midnight there, or the end of the gap when the clocks
 * skip midnight. A clinician's "hold until March 4" releases the result when March 4 begins where the patient lives,
 * wherever the clinician is. Null for a date or zone that does not read.
 */
export function startOfDayInZone(isoDate: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return null;
  const midnight = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  let format: Intl.DateTimeFormat;
  try {
    format = wallClock(timeZone);
  } catch {
    return null;
  }
  // The zone's offsets on either side of that midnight; the day begins at the earliest instant that reads as that day.
  const offsets = [midnight - 86_400_000, midnight, midnight + 86_400_000].map((at) => wallTime(format, at) - at);
  const candidates = [...new Set(offsets)].map((offset) => midnight - offset).sort((a, b) => a - b);
  const begins = candidates.find((at) => wallTime(format, at) >= midnight);
  return begins === undefined ? null : new Date(begins).toISOString();
}
