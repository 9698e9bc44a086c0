import type { MessageId } from '@portico/shared/i18n';
import type { AppointmentStatus } from '../../api/schedule.ts';
import { formatLocale } from '../../lib/format.ts';

/**
 * Words, markers and dates of the staff schedule: statuses read as words with a shape, never as a colour alone. Words
 * are message ids, translated at render; dates and times follow the page's language (formatLocale).
 */

const statusParts: Record<AppointmentStatus, { word: MessageId; marker: string }> = {
  scheduled: { word: 'schedule.status.scheduled', marker: '○' },
  checked_in: { word: 'schedule.status.checkedIn', marker: '✔' },
  arrived: { word: 'schedule.status.arrived', marker: '●' },
  completed: { word: 'schedule.status.completed', marker: '✓' },
  no_show: { word: 'schedule.status.noShow', marker: '✕' },
  cancelled: { word: 'schedule.status.cancelled', marker: '⊘' },
};

/** The message id of an appointment's status in words. */
export function appointmentStatusLabel(status: AppointmentStatus): MessageId {
  return statusParts[status].word;
}

/** The shape shown beside a status word (decorative: the word carries the meaning). */
export function appointmentStatusMarker(status: AppointmentStatus): string {
  return statusParts[status].marker;
}

/** Day or week. */
export type ScheduleView = 'day' | 'week';

/** What the schedule page's query string holds: opaque ids, a date and a view, never patient data. */
export interface ScheduleParams {
  departmentId: string | null;
  clinicianId: string | null;
  date: string | null;
  view: ScheduleView;
}

/** Paths of the schedule's pages. */
export const schedulePaths = {
  home: '/schedule',
  setup: '/schedule/setup',
  /** The schedule page for these choices; unset parts are left out of the query string. */
  view(params: ScheduleParams): string {
    const query = new URLSearchParams();
    if (params.departmentId) query.set('departmentId', params.departmentId);
    else if (params.clinicianId) query.set('clinicianId', params.clinicianId);
    if (params.date) query.set('date', params.date);
    if (params.view === 'week') query.set('view', 'week');
    const text = query.toString();
    return text ? `/schedule?${text}` : '/schedule';
  },
};

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `YYYY-MM-DD` that names a real day, or null. */
export function readIsoDate(value: string | null): string | null {
  const match = value ? isoDatePattern.exec(value) : null;
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value ? value : null;
}

function utcDate(isoDate: string): Date {
  const [year, month, day] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
}

/** The calendar day `days` after (or before, when negative) a `YYYY-MM-DD`. */
export function addDays(isoDate: string, days: number): string {
  const date = utcDate(isoDate);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The Monday on or before a `YYYY-MM-DD`: weeks run Monday to Sunday. */
export function startOfWeek(isoDate: string): string {
  const weekday = utcDate(isoDate).getUTCDay();
  return addDays(isoDate, -((weekday + 6) % 7));
}

/** Today's date in an IANA zone (the browser's own when none is known yet or the name is unknown). */
export function todayIn(timeZone: string | undefined): string {
  const format = (zone: string | undefined) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  try {
    return format(timeZone);
  } catch {
    return format(undefined);
  }
}

/** A schedule day as a heading, e.g. "Tuesday, 4 March 2025"; a date has no zone, so it is never shifted. */
export function formatScheduleDay(isoDate: string, style: 'long' | 'short' = 'long'): string {
  return new Intl.DateTimeFormat(formatLocale(), {
    weekday: style,
    day: 'numeric',
    month: style === 'long' ? 'long' : 'short',
    ...(style === 'long' ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(utcDate(isoDate));
}

function timeFormat(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(formatLocale(), { hour: 'numeric', minute: '2-digit', timeZone });
  } catch {
    return new Intl.DateTimeFormat(formatLocale(), { hour: 'numeric', minute: '2-digit' });
  }
}

/** A time of day in the schedule's zone, e.g. "9:30 AM" (the page names the zone once, beside the heading). */
export function formatScheduleTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeFormat(timeZone).format(date);
}

/** The zone as people say it, e.g. "Eastern Standard Time (America/New_York)", for the schedule's day. */
export function describeTimeZone(timeZone: string, isoDate: string): string {
  try {
    const parts = new Intl.DateTimeFormat(formatLocale(), { timeZone, timeZoneName: 'long' }).formatToParts(utcDate(isoDate));
    const name = parts.find((part) => part.type === 'timeZoneName')?.value;
    return name ? `${name} (${timeZone})` : timeZone;
  } catch {
    return timeZone;
  }
}

/** Minutes after midnight as "HH:MM", the value of a time input. */
export function minuteToTime(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** "HH:MM" as minutes after midnight, or null; "24:00" is allowed as the end of a day. */
export function timeToMinute(value: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minute <= 1440 ? minute : null;
}

/** Minutes after midnight as people read them, e.g. "8:30 AM", zone-free like the template it belongs to. */
export function formatMinute(minute: number): string {
  return new Intl.DateTimeFormat(formatLocale(), { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(new Date(minute * 60_000));
}

/** Message ids of the weekday names, 0 Sunday to 6 Saturday (JavaScript's and the template's numbering). */
export const weekdayNames: readonly MessageId[] = [
  'schedule.weekday.sunday',
  'schedule.weekday.monday',
  'schedule.weekday.tuesday',
  'schedule.weekday.wednesday',
  'schedule.weekday.thursday',
  'schedule.weekday.friday',
  'schedule.weekday.saturday',
];

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'));
  return asUtc - instant.getTime();
}

/**
 * A wall-clock time typed for the schedule's zone ("2025-03-04T12:30" from a datetime-local input) as a UTC ISO
 * instant; null when it is not a valid time. Two passes settle the zone's offset around a daylight-saving change.
 */
export function zonedTimeToUtc(local: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]));
  if (Number.isNaN(wall)) return null;
  try {
    let instant = wall - zoneOffsetMs(new Date(wall), timeZone);
    instant = wall - zoneOffsetMs(new Date(instant), timeZone);
    return new Date(instant).toISOString();
  } catch {
    return null;
  }
}
