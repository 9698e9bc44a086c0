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

/** The calendar day (YYYY-MM-DD) of an instant in the location's zone, to group open times by day. */
export function dayInZone(iso: string, timeZone: string): string {
  const parts = zoned(timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A day heading for open times, e.g. "Tuesday, 4 March", in the location's zone. */
export function formatDayHeading(iso: string, timeZone: string): string {
  return zoned(timeZone, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(new Date(iso));
}

/** A time of day with the zone named, e.g. "9:30 AM EST", in the location's zone. */
export function formatTimeInZone(iso: string, timeZone: string): string {
  return zoned(timeZone, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
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
