import { describe, expect, it } from 'vitest';
import { formatZonedDateTime, startOfDayInZone } from '@portico/shared';
import { intlLocales } from '@portico/shared/i18n';

/** ICU writes narrow no-break spaces before AM/PM; a person reads a space. */
const spaced = (text: string | null) => text?.replace(/\s/g, ' ') ?? null;

describe('formatZonedDateTime (a hold’s end as staff read it)', () => {
  it('reads an instant as a date and time in the patient’s zone, in English and Spanish', () => {
    const instant = '2026-03-04T14:30:00.000Z';
    expect(spaced(formatZonedDateTime(instant, 'America/New_York', intlLocales.en))).toBe('March 4, 2026 at 9:30 AM');
    expect(spaced(formatZonedDateTime(instant, 'America/Los_Angeles', intlLocales.en))).toBe('March 4, 2026 at 6:30 AM');
    expect(spaced(formatZonedDateTime(instant, 'America/New_York', intlLocales.es))).toMatch(/^4 de marzo de 2026.* 9:30/);
  });

  it('follows the zone across a daylight-saving change, and the calendar day of the zone, not of UTC', () => {
    expect(spaced(formatZonedDateTime('2026-03-09T04:00:00Z', 'America/New_York', intlLocales.en))).toBe('March 9, 2026 at 12:00 AM');
    expect(spaced(formatZonedDateTime('2026-03-05T03:00:00Z', 'America/Chicago', intlLocales.en))).toBe('March 4, 2026 at 9:00 PM');
  });

  it('never answers an ISO string: an unknown zone reads in UTC, an unreadable instant answers null', () => {
    const text = formatZonedDateTime('2026-03-04T14:30:00Z', 'Not/AZone', intlLocales.en);
    expect(spaced(text)).toBe('March 4, 2026 at 2:30 PM');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(formatZonedDateTime('not a date', 'America/New_York', intlLocales.en)).toBeNull();
  });
});

describe('startOfDayInZone (the day a hold ends, where the patient lives)', () => {
  it('answers midnight in the zone, in winter and in summer time', () => {
    expect(startOfDayInZone('2026-03-04', 'America/New_York')).toBe('2026-03-04T05:00:00.000Z');
    expect(startOfDayInZone('2026-07-04', 'America/New_York')).toBe('2026-07-04T04:00:00.000Z');
    expect(startOfDayInZone('2026-07-04', 'Asia/Kolkata')).toBe('2026-07-03T18:30:00.000Z');
  });

  it('answers midnight on the days the clocks change, and the end of the gap where they skip midnight', () => {
    expect(startOfDayInZone('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDayInZone('2026-11-01', 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
    // Chile moved its clocks from 00:00 to 01:00 on 2024-09-08: that day began at 01:00 local (04:00 UTC).
    expect(startOfDayInZone('2024-09-08', 'America/Santiago')).toBe('2024-09-08T04:00:00.000Z');
  });

  it('answers null for a date or a zone that does not read', () => {
    expect(startOfDayInZone('4 March', 'America/New_York')).toBeNull();
    expect(startOfDayInZone('2026-03-04', 'Not/AZone')).toBeNull();
  });
});
