/**
 * The open-time statements (SQL) against availability.ts (TypeScript) on generated schedules: random weekly hours
 * (and the whole day on which clocks change), some for another visit type, blocked time and bookings that fill whole
 * sessions, over two months that hold a daylight-saving change, in zones with 1-hour, 30-minute, midnight and no
 * changes. They must offer the same instants and name the same days: the page lists what SQL finds and the booking
 * check accepts what availability.ts finds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.ts';
import { appointments, appointmentSlots, departments, scheduleBlocks, scheduleTemplates } from '../../db/schema/index.ts';
import { addDays, civilDateInZone, formatCivilDate, parseCivilDate, weekdayOf, zonedTimeToUtc } from '@portico/shared/zoned-time';
import { buildOrganization, buildPatient, buildUser } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { findBlocks, findBookedUnits, findDepartmentTemplates } from './appointments.repository.ts';
import { computeOpenSlots, unitsOf } from './availability.ts';
import { findOpenDays, findOpenStarts, instantOf } from './open-days.repository.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), chance: (p: number) => next() < p };
}

const visitTypeId = crypto.randomUUID();
const otherVisitTypeId = crypto.randomUUID();
const days = 60;

async function buildSchedule(timeZone: string, from: string, changeDay: string, seed: number) {
  const random = generator(seed);
  const { organization } = await buildOrganization(t.db);
  const [department] = await t.db
    .insert(departments)
    .values({ organizationId: organization.id, name: 'Generated', specialty: 'family-medicine', timeZone })
    .returning();
  const { patient } = await buildPatient(t.db, organization.id);
  const clinicians = await Promise.all([1, 2, 3].map(() => buildUser(t.db, { role: 'clinician', organizationId: organization.id })));
  const templates = clinicians.flatMap((clinician) =>
    Array.from({ length: 4 }, () => {
      const whole = random.chance(0.15);
      const startMinute = whole ? 0 : random.int(0, 280) * 5;
      const endMinute = whole ? 1440 : Math.min(1440, startMinute + random.int(4, 60) * 5);
      return {
        clinicianId: clinician.id,
        departmentId: department!.id,
        weekday: random.int(0, 6),
        startMinute,
        endMinute,
        visitTypeIds: random.chance(0.2) ? [otherVisitTypeId] : random.chance(0.3) ? [visitTypeId, otherVisitTypeId] : [],
        validFrom: random.chance(0.2) ? formatCivilDate(addDays(parseCivilDate(from), random.int(0, days))) : '2020-01-01',
        validTo: random.chance(0.2) ? formatCivilDate(addDays(parseCivilDate(from), random.int(0, days))) : null,
      };
    }),
  );
  // The whole of the day clocks change, midnight to midnight.
  templates.push({
    ...templates[0]!,
    weekday: weekdayOf(parseCivilDate(changeDay)),
    startMinute: 0,
    endMinute: 1440,
    visitTypeIds: [],
    validFrom: '2020-01-01',
    validTo: null,
  });
  await t.db.insert(scheduleTemplates).values(templates);
  const start = zonedTimeToUtc(parseCivilDate(from), 0, timeZone).getTime();
  await t.db.insert(scheduleBlocks).values(
    Array.from({ length: 6 }, () => {
      const startAt = new Date(start + random.int(0, days * 24) * 3600_000);
      return { clinicianId: clinicians[random.int(0, 2)]!.id, startAt, endAt: new Date(startAt.getTime() + random.int(1, 40) * 3600_000) };
    }),
  );
  // Bookings that fill one session of a template on one of its days, wholly or in part.
  const held = new Set<string>();
  for (let i = 0; i < 25; i += 1) {
    const template = templates[random.int(0, templates.length - 1)]!;
    let date = addDays(parseCivilDate(from), random.int(0, days - 7));
    while (weekdayOf(date) !== template.weekday) date = addDays(date, 1);
    const startAt = zonedTimeToUtc(date, template.startMinute, timeZone);
    const full = zonedTimeToUtc(date, template.endMinute, timeZone);
    const endAt = random.chance(0.6) ? full : new Date(Math.min(full.getTime(), startAt.getTime() + random.int(1, 12) * 300_000));
    const units = unitsOf(startAt, endAt).filter((u) => !held.has(`${template.clinicianId}|${u.getTime()}`));
    if (units.length === 0) continue;
    for (const u of units) held.add(`${template.clinicianId}|${u.getTime()}`);
    const [visit] = await t.db
      .insert(appointments)
      .values({
        patientId: patient.id,
        organizationId: organization.id,
        departmentId: department!.id,
        clinicianId: template.clinicianId,
        startAt,
        endAt,
        timeZone,
        visitType: 'Generated',
        status: 'scheduled',
      })
      .returning();
    await t.db
      .insert(appointmentSlots)
      .values(units.map((unitStart) => ({ clinicianId: template.clinicianId, unitStart, appointmentId: visit!.id })));
  }
  return { department: department!, clinicianIds: clinicians.map((c) => c.id) };
}

describe('findOpenDays and findOpenStarts', () => {
  // Each zone's clock changes in 2027: an hour at 2:00 or 1:00, half an hour, at midnight going west and east, none.
  const changes: Record<string, string[]> = {
    'America/New_York': ['2027-03-14', '2027-11-07'],
    'Europe/London': ['2027-03-28', '2027-10-31'],
    'Australia/Lord_Howe': ['2027-04-04', '2027-10-03'],
    'America/Havana': ['2027-03-14', '2027-11-07'],
    'Africa/Cairo': ['2027-04-30', '2027-10-28'],
    'Asia/Kathmandu': ['2027-03-14'],
  };
  let seed = 1;
  for (const [timeZone, changeDays] of Object.entries(changes)) {
    for (const changeDay of changeDays) {
      const caseSeed = seed++;
      const from = formatCivilDate(addDays(parseCivilDate(changeDay), -30));
      it(`offers the times availability.ts offers in ${timeZone} around ${changeDay} (seed ${caseSeed})`, async () => {
        const { department, clinicianIds } = await buildSchedule(timeZone, from, changeDay, caseSeed);
        const to = formatCivilDate(addDays(parseCivilDate(from), days - 1));
        const rangeStart = zonedTimeToUtc(parseCivilDate(from), 0, timeZone);
        const rangeEnd = zonedTimeToUtc(addDays(parseCivilDate(from), days + 1), 0, timeZone);
        const notBefore = new Date(Date.now() + 2 * 3600_000);
        for (const durationMinutes of [20, 45]) {
          const search = { departmentId: department.id, timeZone, visitTypeId, durationMinutes, clinicianIds, from, to, notBefore };
          const fromSql = await findOpenDays(t.db, { ...search, limit: 90 });
          const slots = computeOpenSlots({
            templates: await findDepartmentTemplates(t.db, department.id, null),
            blocks: await findBlocks(t.db, clinicianIds, rangeStart, rangeEnd),
            bookedUnits: await findBookedUnits(t.db, clinicianIds, rangeStart, rangeEnd),
            visitTypeId,
            durationMinutes,
            timeZone,
            from: parseCivilDate(from),
            days,
            notBefore,
          });
          const fromTypeScript = [...new Set(slots.map((s) => formatCivilDate(civilDateInZone(s.startAt, timeZone))))].sort();
          expect({ durationMinutes, days: fromSql }).toEqual({ durationMinutes, days: fromTypeScript });
          const startsSql = (await findOpenStarts(t.db, search)).map((s) => `${s.startAt.toISOString()} ${s.clinicianId}`);
          const startsTypeScript = slots.map((s) => `${s.startAt.toISOString()} ${s.clinicianId}`);
          expect(startsSql.length).toBeGreaterThan(100);
          expect({ durationMinutes, missingInSql: startsTypeScript.filter((s) => !startsSql.includes(s)) }).toEqual({
            durationMinutes,
            missingInSql: [],
          });
          expect({ durationMinutes, extraInSql: startsSql.filter((s) => !startsTypeScript.includes(s)) }).toEqual({
            durationMinutes,
            extraInSql: [],
          });
          expect(startsSql).toEqual(startsTypeScript);
          // Some days open and some not, or the comparison proves little.
          expect(fromSql.length).toBeGreaterThan(0);
          expect(fromSql.length).toBeLessThan(days);
          const [first = null] = await findOpenDays(t.db, { ...search, limit: 1 });
          expect(first).toBe(fromTypeScript[0] ?? null);
        }
        // Two searches of 45 days, each checked against the TypeScript rule: about half a second on the embedded
        // PostgreSQL 17, but 13 to 30 seconds on the PostgreSQL 15 server (its plans for these statements are far
        // slower; see the closing note of 2026-12-07), so the case has its own time limit rather than the default 30 s.
      }, 120_000);
    }
  }
});

describe('instantOf', () => {
  const changes: [string, string][] = [
    ['America/New_York', '2027-03-14'],
    ['America/New_York', '2027-11-07'],
    ['Europe/London', '2027-03-28'],
    ['Australia/Lord_Howe', '2027-04-04'],
    ['Australia/Lord_Howe', '2027-10-03'],
    ['America/Havana', '2027-03-14'],
    ['America/Havana', '2027-11-07'],
    ['Africa/Cairo', '2027-04-30'],
    ['Africa/Cairo', '2027-10-28'],
    ['Asia/Kathmandu', '2027-03-14'],
  ];
  for (const [timeZone, day] of changes) {
    it(`turns every 5-minute wall time of ${day} in ${timeZone} into the instant zonedTimeToUtc gives`, async () => {
      const rows = await queryRows<{ minute: number; instant: string }>(
        t.db,
        sql`select m.minute, to_char(${instantOf(sql`(${day}::date + make_interval(mins => m.minute))`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as instant
            from (select ${timeZone}::text as tz) p, generate_series(0, 1440, 5) as m(minute)
            order by m.minute`,
      );
      expect(rows).toHaveLength(289);
      for (const row of rows) {
        expect({ minute: row.minute, instant: row.instant }).toEqual({
          minute: row.minute,
          instant: zonedTimeToUtc(parseCivilDate(day), row.minute, timeZone).toISOString(),
        });
      }
    });
  }
});
