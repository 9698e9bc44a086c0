import { describe, expect, it } from 'vitest';
import { addCalendarMonths } from './zoned-time.ts';

describe('addCalendarMonths', () => {
  it.each([
    ['2026-01-15T10:00:00.000Z', 6, '2026-07-15T10:00:00.000Z'],
    ['2026-08-31T23:30:00.000Z', 6, '2027-02-28T23:30:00.000Z'],
    ['2027-08-31T00:00:00.000Z', 6, '2028-02-29T00:00:00.000Z'],
    ['2026-10-31T12:00:00.000Z', 1, '2026-11-30T12:00:00.000Z'],
    ['2026-12-07T08:00:00.000Z', 6, '2027-06-07T08:00:00.000Z'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addCalendarMonths(new Date(from), months).toISOString()).toBe(expected);
  });
});
