import { defaultLocale, intlLocales, type Locale } from '@portico/shared/i18n';
/** Display helpers: dates in the reader's locale, appointments in their location's time zone (DESIGN.md). */

/** The page's language as an Intl tag (I18nProvider sets it); every helper below formats in it. */
let locale: string = intlLocales[defaultLocale];

export function setFormatLocale(next: Locale): void {
  locale = intlLocales[next];
}

/** The Intl tag the page formats in, for formatting done elsewhere. */
export function formatLocale(): string {
  return locale;
}

/** A lab result or session time as a calendar date, e.g. "12 Mar 2025", in the reader's time zone. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
}

/** An instant with its time, e.g. for "last active". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A birth date (`YYYY-MM-DD`, no time zone) shown as written, never shifted a day by the reader's zone. */
export function formatBirthDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/**
 * A FHIR date or dateTime as it was recorded: a year stays "2019", a month "April 2019", a day is never shifted by
 * the reader's zone, and a full instant shows its time in the reader's zone with the zone named.
 */
export function formatFhirDate(value: string, options: { withTime?: boolean } = {}): string {
  const year = /^(\d{4})$/.exec(value);
  if (year) return value;
  const month = /^(\d{4})-(\d{2})$/.exec(value);
  if (month) {
    const date = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
    return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(date);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatBirthDate(value);
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  if (!options.withTime) return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(instant);
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(instant);
}

/** A short date for chart axes, e.g. "Mar 2025". */
export function formatMonthYear(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short' }).format(date);
}

function appointmentFormat(timeZone: string | undefined, withDate: boolean): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, {
    ...(withDate ? { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' } : {}),
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  });
}

/** The appointment's day and time in the location's IANA time zone, e.g. "Tuesday, 4 March 2025, 9:30 AM EST". */
export function formatAppointmentStart(startAt: string, timeZone: string): string {
  const start = new Date(startAt);
  if (Number.isNaN(start.getTime())) return startAt;
  try {
    return appointmentFormat(timeZone, true).format(start);
  } catch {
    // An unknown zone name: show the reader's own zone, which still names itself.
    return appointmentFormat(undefined, true).format(start);
  }
}

/** The end time alone, in the same zone, for "until 10:00 AM". */
export function formatAppointmentEnd(endAt: string, timeZone: string): string {
  const end = new Date(endAt);
  if (Number.isNaN(end.getTime())) return endAt;
  try {
    return appointmentFormat(timeZone, false).format(end);
  } catch {
    return appointmentFormat(undefined, false).format(end);
  }
}

/** A TOTP secret in groups of four, easier to type into an authenticator app. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}
