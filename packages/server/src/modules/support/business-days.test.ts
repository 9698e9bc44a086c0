import { describe, expect, it } from 'vitest';
import { addBusinessDays } from './business-days.ts';

const zone = 'America/New_York';

describe('addBusinessDays', () => {
  it('skips the weekend: Friday + 2 is Tuesday at the same local time', () => {
    // Friday 2026-03-13 10:30 in New York (UTC-4).
    expect(addBusinessDays(new Date('2026-03-13T14:30:00Z'), 2, zone).toISOString()).toBe('2026-03-17T14:30:00.000Z');
  });

  it('counts within a week: Monday + 3 is Thursday', () => {
    expect(addBusinessDays(new Date('2026-03-02T14:00:00Z'), 3, zone).toISOString()).toBe('2026-03-05T14:00:00.000Z');
  });

  it('starts a weekend request on Monday: Saturday + 2 is Tuesday, Sunday + 1 is Monday', () => {
    expect(addBusinessDays(new Date('2026-03-07T15:00:00Z'), 2, zone).toISOString()).toBe('2026-03-10T14:00:00.000Z');
    expect(addBusinessDays(new Date('2026-03-08T17:00:00Z'), 1, zone).toISOString()).toBe('2026-03-09T17:00:00.000Z');
  });

  it('keeps the wall-clock time across a daylight-saving change (Thursday 9:00 EST + 3 is Tuesday 9:00 EDT)', () => {
    expect(addBusinessDays(new Date('2026-03-05T14:00:00Z'), 3, zone).toISOString()).toBe('2026-03-10T13:00:00.000Z');
  });

  it('reads the weekday in the organization’s zone, not UTC (Friday 21:00 in New York is Saturday in UTC)', () => {
    expect(addBusinessDays(new Date('2026-03-07T02:00:00Z'), 1, zone).toISOString()).toBe('2026-03-10T01:00:00.000Z');
  });

  it('adds nothing for zero days', () => {
    expect(addBusinessDays(new Date('2026-03-06T15:30:00Z'), 0, zone).toISOString()).toBe('2026-03-06T15:30:00.000Z');
  });
});
