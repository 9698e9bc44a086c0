import { describe, expect, it } from 'vitest';
import { inputDate, inputDateTime } from './common.ts';

/** Dates and times people type stay in years every conversion handles exactly (security review, issue 11). */
describe('inputDate and inputDateTime', () => {
  it('take days and instants from 1900 to 2199', () => {
    for (const day of ['1900-01-01', '2026-12-07', '2199-12-31']) expect(inputDate.safeParse(day).success, day).toBe(true);
    for (const instant of ['1900-01-01T00:00:00Z', '2026-12-07T10:00:00-05:00', '2199-12-31T23:59:59Z'])
      expect(inputDateTime.safeParse(instant).success, instant).toBe(true);
  });

  it('refuse with the years named: year 1 (read as 1901 by JavaScript), 9999-12-31 and an instant that is the year 10000 in UTC', () => {
    for (const day of ['0001-01-01', '1899-12-31', '2200-01-01', '9999-12-31']) {
      const parsed = inputDate.safeParse(day);
      expect(parsed.success, day).toBe(false);
      expect(parsed.error?.issues[0]?.message, day).toBe('Enter a date between the years 1900 and 2199.');
    }
    for (const instant of ['9999-12-31T23:59:59-23:59', '0050-06-01T00:00:00Z', '1899-12-31T21:00:00-02:00'])
      expect(inputDateTime.safeParse(instant).success, instant).toBe(false);
    // 1899-12-31T23:00-02:00 is 1900-01-01T01:00Z: counted in UTC, it is in range.
    expect(inputDateTime.safeParse('1899-12-31T23:00:00-02:00').success).toBe(true);
  });
});
