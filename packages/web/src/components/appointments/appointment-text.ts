import type { MessageId } from '@portico/shared/i18n';
import type { AppointmentView } from '../../api/appointments.ts';
import { formatLocale } from '../../lib/format.ts';

/** Words for an appointment's status, translated at render. */
export const statusLabels: Record<AppointmentView['status'], MessageId> = {
  scheduled: 'appointments.status.scheduled',
  checked_in: 'appointments.status.checkedIn',
  arrived: 'appointments.status.arrived',
  completed: 'appointments.status.completed',
  no_show: 'appointments.status.noShow',
  cancelled: 'appointments.status.cancelled',
};

function zoned(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(formatLocale(), { ...options, timeZone });
  } catch {
    // An unknown zone name: the reader's own zone, which still names itself when asked to.
    return new Intl.DateTimeFormat(formatLocale(), options);
  }
}

/** The calendar day (YYYY-MM-DD) of an instant in the location's zone. */
export function dayInZone(iso: string, timeZone: string): string {
  const parts = zoned(timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A time of day with the zone named, e.g. "9:30 AM EST", in the location's zone. */
export function formatTimeInZone(iso: string, timeZone: string): string {
  return zoned(timeZone, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

/** A time of day without the zone, e.g. "9:30 AM", in the location's zone (for a list whose zone is named once). */
export function formatTimeOfDay(iso: string, timeZone: string): string {
  return zoned(timeZone, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** The zone's short name at an instant, e.g. "EST" or "EDT" (or "GMT-5" where a language has no short name). */
export function zoneNameAt(iso: string, timeZone: string): string {
  return (
    zoned(timeZone, { timeZoneName: 'short' })
      .formatToParts(new Date(iso))
      .find((p) => p.type === 'timeZoneName')?.value ?? ''
  );
}

/** Today's calendar day (YYYY-MM-DD) in the location's zone. */
export function todayInZone(timeZone: string): string {
  return dayInZone(new Date().toISOString(), timeZone);
}

/** A calendar day (YYYY-MM-DD, no zone) in the reader's language, e.g. "Tuesday, December 15, 2026". */
export function formatCivilDay(
  isoDate: string,
  options: Intl.DateTimeFormatOptions = { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' },
): string {
  return zoned('UTC', options).format(new Date(`${isoDate}T12:00:00Z`));
}

/** A run of calendar days, e.g. "Dec 7 – 13, 2026", in the reader's language. */
export function formatDayRange(from: string, to: string): string {
  const format = zoned('UTC', { month: 'short', day: 'numeric', year: 'numeric' });
  return format.formatRange(new Date(`${from}T12:00:00Z`), new Date(`${to}T12:00:00Z`));
}

/** Whole days from one calendar day to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Which part of the day an open time falls in, in the location's zone: before noon, before 5 pm, or later. */
export function partOfDay(iso: string, timeZone: string): 'morning' | 'afternoon' | 'evening' {
  const hour = Number(
    zoned(timeZone, { hour: 'numeric', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .find((p) => p.type === 'hour')?.value,
  );
  return hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
}

/** A YYYY-MM-DD day moved by whole days (calendar arithmetic, no zone involved). */
export function addDays(isoDate: string, days: number): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const date = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days));
  return date.toISOString().slice(0, 10);
}

/**
 * A maps search for the location's address alone: nothing about the patient, the visit or the portal goes with it
 * (the link also sends no referrer).
 */
export function directionsUrl(address: string): string {
  return `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(address.replace(/\s+/g, ' ').trim())}`;
}

/** A `tel:` link for a phone number as people write it. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** The video link when it is a web address, never a script or other scheme. */
export function safeVideoUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
