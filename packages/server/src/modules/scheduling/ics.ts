/**
 * One appointment as an iCalendar file (RFC 5545): a VEVENT with times in UTC, text escaped (3.3.11), lines folded at
 * 75 octets (3.1) and ended by CRLF. It names the place and the visit type only: no clinical detail leaves in it. Its
 * own words (the summary) are in the reader's language; the place and the visit type are printed as stored.
 */
import { defaultLocale, type Locale } from '@portico/shared/i18n';
import { translatorFor } from '../../lib/i18n.ts';

/** What the calendar file says about a visit. */
export interface CalendarEvent {
  uid: string;
  stampAt: Date;
  startAt: Date;
  endAt: Date;
  departmentName: string;
  visitType: string;
  address: string | null;
  /** A cancelled visit still downloads, marked cancelled so calendars drop it. */
  cancelled: boolean;
  /** The reader's language; English when not given. */
  locale?: Locale;
}

/** UTC `DATE-TIME` form (RFC 5545 3.3.5, form #2): 20260309T140000Z. */
export function icsDateTime(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines. */
export function escapeIcsText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1). */
export function foldIcsLine(line: string): string {
  const pieces: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = pieces.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      pieces.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  pieces.push(current);
  return pieces.join('\r\n ');
}

/** The whole VCALENDAR text, CRLF line endings. */
export function renderIcs(event: CalendarEvent): string {
  const t = translatorFor(event.locale ?? defaultLocale);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Portico//Patient portal//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `DTSTAMP:${icsDateTime(event.stampAt)}`,
    `DTSTART:${icsDateTime(event.startAt)}`,
    `DTEND:${icsDateTime(event.endAt)}`,
    `SUMMARY:${escapeIcsText(t('documents.ics.summary', { department: event.departmentName }))}`,
    `DESCRIPTION:${escapeIcsText(event.visitType)}`,
    ...(event.address ? [`LOCATION:${escapeIcsText(event.address)}`] : []),
    `STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldIcsLine).join('\r\n') + '\r\n';
}
