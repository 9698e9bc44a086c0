import { describe, expect, it } from 'vitest';
import { existingLocalInstant } from '@portico/shared/zoned-time';
import { computeOpenSlots, onePerStartTime, type AvailabilityInput, type TemplateHours } from './availability.ts';

const ny = 'America/New_York';
const visitTypeId = '00000000-0000-4000-8000-000000000001';
const clinicianId = '00000000-0000-4000-8000-0000000000c1';

function template(weekday: number, startMinute: number, endMinute: number, extra: Partial<TemplateHours> = {}): TemplateHours {
  return {
    clinicianId,
    departmentId: 'd',
    weekday,
    startMinute,
    endMinute,
    visitTypeIds: [],
    validFrom: '2020-01-01',
    validTo: null,
    ...extra,
  };
}

function input(overrides: Partial<AvailabilityInput>): AvailabilityInput {
  return {
    templates: [],
    blocks: [],
    bookedUnits: new Map(),
    visitTypeId,
    durationMinutes: 20,
    timeZone: ny,
    from: { year: 2026, month: 3, day: 6 },
    days: 5,
    notBefore: new Date(0),
    ...overrides,
  };
}

const starts = (slots: { startAt: Date }[]) => slots.map((s) => s.startAt.toISOString());

describe('computeOpenSlots', () => {
  it('keeps 9:00 local across the spring change: 14:00Z before, 13:00Z after', () => {
    const everyDay = [0, 1, 2, 3, 4, 5, 6].map((d) => template(d, 540, 560));
    expect(starts(computeOpenSlots(input({ templates: everyDay })))).toEqual([
      '2026-03-06T14:00:00.000Z',
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
      '2026-03-10T13:00:00.000Z',
    ]);
  });

  it('keeps 9:00 local across the autumn change: 13:00Z before, 14:00Z after', () => {
    const everyDay = [0, 1, 2, 3, 4, 5, 6].map((d) => template(d, 540, 560));
    const from = { year: 2026, month: 10, day: 31 };
    expect(starts(computeOpenSlots(input({ templates: everyDay, from, days: 3 })))).toEqual([
      '2026-10-31T13:00:00.000Z',
      '2026-11-01T14:00:00.000Z',
      '2026-11-02T14:00:00.000Z',
    ]);
  });

  it('offers nothing at local times the clock skips', () => {
    // Sunday 2026-03-08: 2:00-3:00 does not exist in New York.
    const night = template(0, 90, 210, { visitTypeIds: [visitTypeId] });
    const slots = computeOpenSlots(input({ templates: [night], durationMinutes: 30, days: 3 }));
    expect(starts(slots)).toEqual(['2026-03-08T06:30:00.000Z', '2026-03-08T07:00:00.000Z']);
    expect(existingLocalInstant({ year: 2026, month: 3, day: 8 }, 150, ny)).toBeNull();
  });

  it('steps by the visit length from the template start and stops when the visit no longer fits', () => {
    const monday = template(1, 540, 660);
    expect(starts(computeOpenSlots(input({ templates: [monday], durationMinutes: 40, days: 7 })))).toEqual([
      '2026-03-09T13:00:00.000Z',
      '2026-03-09T13:40:00.000Z',
      '2026-03-09T14:20:00.000Z',
    ]);
  });

  it('leaves out blocked and booked time, the past, other visit types and days outside validity', () => {
    const monday = template(1, 540, 600);
    const blocks = [{ clinicianId, startAt: new Date('2026-03-09T13:10:00Z'), endAt: new Date('2026-03-09T13:15:00Z') }];
    const booked = new Map([[clinicianId, new Set([Date.parse('2026-03-09T13:35:00Z')])]]);
    expect(starts(computeOpenSlots(input({ templates: [monday], blocks, bookedUnits: booked, days: 7 })))).toEqual([
      '2026-03-09T13:40:00.000Z',
    ]);
    expect(computeOpenSlots(input({ templates: [monday], notBefore: new Date('2026-03-10T00:00:00Z'), days: 7 }))).toEqual([]);
    expect(computeOpenSlots(input({ templates: [template(1, 540, 600, { visitTypeIds: ['other'] })], days: 7 }))).toEqual([]);
    expect(computeOpenSlots(input({ templates: [template(1, 540, 600, { validTo: '2026-03-08' })], days: 7 }))).toEqual([]);
  });
});

describe('onePerStartTime', () => {
  const at = (minutes: number) => new Date(Date.UTC(2027, 2, 1, 14, minutes));
  const slot = (clinicianId: string, minutes: number) => ({ clinicianId, startAt: at(minutes), endAt: at(minutes + 20) });

  it('keeps each start once, for the clinician with the most open time that day, the lower id on a tie', () => {
    const slots = [slot('a', 0), slot('b', 0), slot('a', 20), slot('b', 20), slot('b', 40), slot('c', 40), slot('b', 60), slot('c', 80)];
    // b has 4 open times, c 2, a 2: b takes every start it has; 80 is c's alone.
    expect(onePerStartTime(slots).map((s) => [s.startAt.toISOString().slice(11, 16), s.clinicianId])).toEqual([
      ['14:00', 'b'],
      ['14:20', 'b'],
      ['14:40', 'b'],
      ['15:00', 'b'],
      ['15:20', 'c'],
    ]);
    const tie = [slot('b', 0), slot('a', 0)];
    expect(onePerStartTime(tie).map((s) => s.clinicianId)).toEqual(['a']);
  });
});
