import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { appointments, appointmentSlots, auditEvents, departments, scheduleBlocks, scheduleTemplates } from '../../db/schema/index.ts';
import { addDays, civilDateInZone, formatCivilDate, parseCivilDate, weekdayOf, zonedTimeToUtc } from '@portico/shared/zoned-time';
import { buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { unitsOf } from './availability.ts';
import { buildClinic } from './appointments.fixtures.ts';

let t: TestApp;
let clinic: Awaited<ReturnType<typeof buildClinic>>;
/** A second clinician with the same hours as the clinic's first, in the same department. */
let colleague: { id: string };

const ny = 'America/New_York';
const weekdays = [1, 2, 3, 4, 5];

beforeAll(async () => {
  t = await buildTestApp();
  clinic = await buildClinic(t.db);
  colleague = await addClinician(
    clinic.department.id,
    weekdays.flatMap((weekday) => [
      { weekday, start: 540, end: 720 },
      { weekday, start: 780, end: 1020 },
    ]),
  );
});
afterAll(() => t.close());

interface Slot {
  startAt: string;
  endAt: string;
  clinicianId: string;
  clinicianName: string;
}

async function addDepartment(timeZone: string) {
  const [department] = await t.db
    .insert(departments)
    .values({
      organizationId: clinic.organization.id,
      name: `Clinic in ${timeZone}`,
      specialty: 'family-medicine',
      timeZone,
      address: '2 Side St',
    })
    .returning();
  return department!;
}

async function addClinician(departmentId: string, hours: { weekday: number; start: number; end: number }[]) {
  const clinician = await buildUser(t.db, { role: 'clinician', organizationId: clinic.organization.id, departmentId });
  await t.db.insert(scheduleTemplates).values(
    hours.map((h) => ({
      clinicianId: clinician.id,
      departmentId,
      weekday: h.weekday,
      startMinute: h.start,
      endMinute: h.end,
      validFrom: '2020-01-01',
    })),
  );
  return clinician;
}

function get(path: string, query: Record<string, string>, options: { cookie?: { cookie: string }; patientId?: string } = {}) {
  return t.app.inject({
    method: 'GET',
    url: `/api/patients/${options.patientId ?? clinic.patient.id}/scheduling/${path}?${new URLSearchParams(query).toString()}`,
    headers: options.cookie ?? clinic.patientCookie,
  });
}

/** Today in a zone, as `YYYY-MM-DD`, moved by `days`. */
const dayFromToday = (days: number, zone = ny) => formatCivilDate(addDays(civilDateInZone(new Date(), zone), days));

/** The first local day on or after `days` from today that falls on one of `weekdays`. */
function firstWeekdayFrom(days: number, zone = ny): string {
  for (let offset = days; ; offset += 1) {
    const date = addDays(civilDateInZone(new Date(), zone), offset);
    if (weekdays.includes(weekdayOf(date))) return formatCivilDate(date);
  }
}

/** The instant of a local time on a day in a zone, as the API writes it. */
const at = (day: string, minute: number, zone = ny) => zonedTimeToUtc(parseCivilDate(day), minute, zone).toISOString();

const video = () => clinic.visitTypes.video.id;

async function auditOf(action: string) {
  return t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.objectId, clinic.patient.id)));
}

describe('GET /api/patients/:id/scheduling/day-slots', () => {
  it('answers one clinician’s open times of one local day when a clinician is named', async () => {
    const day = firstWeekdayFrom(8);
    const res = await get('day-slots', {
      visitTypeId: video(),
      departmentId: clinic.department.id,
      clinicianId: clinic.clinician.id,
      date: day,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ timeZone: string; date: string; slots: Slot[] }>();
    expect(body).toMatchObject({ timeZone: ny, date: day });
    // 9:00-12:00 and 13:00-17:00 in 20-minute visits.
    expect(body.slots).toHaveLength(9 + 12);
    expect(body.slots.every((s) => s.clinicianId === clinic.clinician.id)).toBe(true);
    expect(body.slots[0]!.startAt).toBe(at(day, 540));
    expect(body.slots.at(-1)!.startAt).toBe(at(day, 1000));
  });

  it('gives each start time once for anyone, to the clinician with more open time that day', async () => {
    const day = firstWeekdayFrom(9);
    const booked = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${clinic.patient.id}/appointments`,
      headers: { ...clinic.patientCookie, ...csrfHeaders },
      payload: { visitTypeId: video(), departmentId: clinic.department.id, clinicianId: clinic.clinician.id, startAt: at(day, 540) },
    });
    expect(booked.statusCode).toBe(201);
    const mine = (
      await get('day-slots', { visitTypeId: video(), departmentId: clinic.department.id, clinicianId: clinic.clinician.id, date: day })
    ).json<{ slots: Slot[] }>().slots;
    expect(mine.map((s) => s.startAt)).not.toContain(at(day, 540));
    const anyone = (await get('day-slots', { visitTypeId: video(), departmentId: clinic.department.id, date: day })).json<{
      slots: Slot[];
    }>().slots;
    const starts = anyone.map((s) => s.startAt);
    expect(new Set(starts).size).toBe(starts.length);
    expect(starts).toHaveLength(21);
    expect(anyone[0]).toMatchObject({ startAt: at(day, 540), clinicianId: colleague.id });
    expect(anyone.every((s) => s.clinicianName !== '')).toBe(true);
  });

  it('answers the local day in the department’s zone, not the UTC day', async () => {
    const tokyo = await addDepartment('Asia/Tokyo');
    const day = firstWeekdayFrom(10, 'Asia/Tokyo');
    const weekday = weekdayOf(parseCivilDate(day));
    await addClinician(tokyo.id, [
      { weekday, start: 60, end: 100 },
      { weekday, start: 1380, end: 1440 },
    ]);
    const res = await get('day-slots', { visitTypeId: video(), departmentId: tokyo.id, date: day });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ timeZone: string; slots: Slot[] }>();
    expect(body.timeZone).toBe('Asia/Tokyo');
    const previous = formatCivilDate(addDays(parseCivilDate(day), -1));
    // 1:00 and 1:20 in Tokyo are 16:00 and 16:20 UTC the day before; 23:00-23:40 are 14:00-14:40 UTC the same day.
    expect(body.slots.map((s) => s.startAt)).toEqual([
      `${previous}T16:00:00.000Z`,
      `${previous}T16:20:00.000Z`,
      `${day}T14:00:00.000Z`,
      `${day}T14:20:00.000Z`,
      `${day}T14:40:00.000Z`,
    ]);
    const days = await get('open-days', {
      visitTypeId: video(),
      departmentId: tokyo.id,
      from: previous,
      to: dayFromToday(20, 'Asia/Tokyo'),
    });
    expect(days.json<{ openDays: string[] }>().openDays[0]).toBe(day);
  });

  it('skips the hour the clock skips on the spring daylight-saving day, and takes the first 1:00 on the autumn one', async () => {
    const sundays = await addDepartment(ny);
    await addClinician(sundays.id, [{ weekday: 0, start: 60, end: 240 }]);
    const spring = await get('day-slots', { visitTypeId: video(), departmentId: sundays.id, date: '2027-03-14' });
    expect(spring.statusCode).toBe(200);
    // 1:00, 1:20, 1:40 EST (UTC-5), then 3:00, 3:20, 3:40 EDT (UTC-4); nothing at 2:xx, which does not exist.
    expect(spring.json<{ slots: Slot[] }>().slots.map((s) => s.startAt)).toEqual([
      '2027-03-14T06:00:00.000Z',
      '2027-03-14T06:20:00.000Z',
      '2027-03-14T06:40:00.000Z',
      '2027-03-14T07:00:00.000Z',
      '2027-03-14T07:20:00.000Z',
      '2027-03-14T07:40:00.000Z',
    ]);
    const autumn = await get('day-slots', { visitTypeId: video(), departmentId: sundays.id, date: '2027-11-07' });
    const starts = autumn.json<{ slots: Slot[] }>().slots.map((s) => s.startAt);
    expect(starts).toHaveLength(9);
    expect(starts[0]).toBe('2027-11-07T05:00:00.000Z');
    expect(starts).toContain('2027-11-07T07:00:00.000Z');
    const open = await get('open-days', { visitTypeId: video(), departmentId: sundays.id, from: '2027-03-08', to: '2027-03-21' });
    expect(open.json<{ openDays: string[] }>().openDays).toEqual(['2027-03-14', '2027-03-21']);
  });

  it('answers 400 naming the field for a bad date, an unknown visit type, department or clinician', async () => {
    const base = { visitTypeId: video(), departmentId: clinic.department.id, date: firstWeekdayFrom(8) };
    const cases: [Record<string, string>, string][] = [
      [{ ...base, date: '2027-02-30' }, 'date'],
      [{ ...base, date: 'tomorrow' }, 'date'],
      [{ ...base, visitTypeId: crypto.randomUUID() }, 'visitTypeId'],
      [{ ...base, visitTypeId: clinic.visitTypes.newPatient.id }, 'visitTypeId'],
      [{ ...base, departmentId: crypto.randomUUID() }, 'departmentId'],
      [{ ...base, clinicianId: crypto.randomUUID() }, 'clinicianId'],
      [{ ...base, clinicianId: 'nope' }, 'clinicianId'],
    ];
    for (const [query, field] of cases) {
      const res = await get('day-slots', query);
      expect({ query, status: res.statusCode, field: res.json<{ error: { field?: string } }>().error.field }).toEqual({
        query,
        status: 400,
        field,
      });
    }
  });

  it('answers 401 without a session and 404 for another patient, and audits each read', async () => {
    const query = { visitTypeId: video(), departmentId: clinic.department.id, date: firstWeekdayFrom(8) };
    expect((await get('day-slots', query, { cookie: { cookie: '' } })).statusCode).toBe(401);
    const other = await buildPatient(t.db, clinic.organization.id);
    expect((await get('day-slots', query, { patientId: other.patient.id })).statusCode).toBe(404);
    const [denied] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'scheduling.day.read'), eq(auditEvents.objectId, other.patient.id)));
    expect(denied).toMatchObject({ outcome: 'denied' });
    const events = await auditOf('scheduling.day.read');
    expect(events.some((e) => e.outcome === 'success' && (e.details as { date?: string }).date === query.date)).toBe(true);
  });
});

describe('GET /api/patients/:id/scheduling/open-days', () => {
  it('marks the days of a week that have an open time', async () => {
    let monday = firstWeekdayFrom(14);
    while (weekdayOf(parseCivilDate(monday)) !== 1) monday = formatCivilDate(addDays(parseCivilDate(monday), 1));
    const sunday = formatCivilDate(addDays(parseCivilDate(monday), 6));
    const res = await get('open-days', { visitTypeId: video(), departmentId: clinic.department.id, from: monday, to: sunday });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      timeZone: ny,
      from: monday,
      to: sunday,
      openDays: [0, 1, 2, 3, 4].map((i) => formatCivilDate(addDays(parseCivilDate(monday), i))),
    });
    const one = await get('open-days', {
      visitTypeId: video(),
      departmentId: clinic.department.id,
      clinicianId: colleague.id,
      from: monday,
      to: monday,
    });
    expect(one.json<{ openDays: string[] }>().openDays).toEqual([monday]);
  });

  it('answers 400 naming `to` for a range over 90 days or backwards, and `from` for a bad date', async () => {
    const base = { visitTypeId: video(), departmentId: clinic.department.id };
    const ninety = await get('open-days', { ...base, from: dayFromToday(0), to: dayFromToday(89) });
    expect(ninety.statusCode).toBe(200);
    for (const [query, field] of [
      [{ from: dayFromToday(0), to: dayFromToday(90) }, 'to'],
      [{ from: dayFromToday(5), to: dayFromToday(4) }, 'to'],
      [{ from: '2027-13-01', to: dayFromToday(4) }, 'from'],
    ] as const) {
      const res = await get('open-days', { ...base, ...query });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { field?: string } }>().error.field).toBe(field);
    }
  });

  it('answers 401 without a session and 404 for another patient, and audits the read', async () => {
    const query = { visitTypeId: video(), departmentId: clinic.department.id, from: dayFromToday(0), to: dayFromToday(6) };
    expect((await get('open-days', query, { cookie: { cookie: '' } })).statusCode).toBe(401);
    const other = await buildPatient(t.db, clinic.organization.id);
    expect((await get('open-days', query, { patientId: other.patient.id })).statusCode).toBe(404);
    expect((await get('open-days', query)).statusCode).toBe(200);
    const events = await auditOf('scheduling.open-days.read');
    expect(events.some((e) => e.outcome === 'success' && (e.details as { to?: string }).to === query.to)).toBe(true);
  });
});

describe('GET /api/patients/:id/scheduling/next-available', () => {
  async function nextAvailable(query: Record<string, string>) {
    const res = await get('next-available', { visitTypeId: video(), ...query });
    expect(res.statusCode).toBe(200);
    return res.json<{ timeZone: string; date: string | null; searchedFrom: string; searchedThrough: string }>();
  }

  it('finds the first open day after a 60-day gap', async () => {
    const department = await addDepartment(ny);
    const clinician = await addClinician(
      department.id,
      weekdays.map((weekday) => ({ weekday, start: 540, end: 720 })),
    );
    const gapEnd = dayFromToday(60);
    await t.db.insert(scheduleBlocks).values({
      clinicianId: clinician.id,
      startAt: new Date(Date.now() - 86_400_000),
      endAt: new Date(at(gapEnd, 0)),
      reason: 'Leave',
    });
    const answer = await nextAvailable({ departmentId: department.id });
    expect(answer).toEqual({ timeZone: ny, date: firstWeekdayFrom(60), searchedFrom: dayFromToday(0), searchedThrough: dayFromToday(89) });
    const withClinician = await nextAvailable({ departmentId: department.id, clinicianId: clinician.id });
    expect(withClinician.date).toBe(firstWeekdayFrom(60));
    const slots = (await get('day-slots', { visitTypeId: video(), departmentId: department.id, date: answer.date! })).json<{
      slots: Slot[];
    }>().slots;
    expect(slots[0]!.startAt).toBe(at(answer.date!, 540));
  });

  it('stops at 90 days and answers null when nothing is open in them', async () => {
    const department = await addDepartment(ny);
    const clinician = await addClinician(
      department.id,
      [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: 540, end: 720 })),
    );
    // Open again on day 90, the first day past the window (today is day 0).
    await t.db.insert(scheduleBlocks).values({
      clinicianId: clinician.id,
      startAt: new Date(Date.now() - 86_400_000),
      endAt: new Date(at(dayFromToday(90), 0)),
      reason: 'Leave',
    });
    expect(await nextAvailable({ departmentId: department.id })).toEqual({
      timeZone: ny,
      date: null,
      searchedFrom: dayFromToday(0),
      searchedThrough: dayFromToday(89),
    });
    // Searching from a later day moves the window: day 90 is found.
    const later = await nextAvailable({ departmentId: department.id, from: dayFromToday(30) });
    expect(later).toMatchObject({ date: dayFromToday(90), searchedFrom: dayFromToday(30), searchedThrough: dayFromToday(119) });
  });

  it('skips a day whose every time is booked, and never starts before today', async () => {
    const department = await addDepartment(ny);
    const clinician = await addClinician(
      department.id,
      weekdays.map((weekday) => ({ weekday, start: 540, end: 600 })),
    );
    const first = (await nextAvailable({ departmentId: department.id, from: dayFromToday(-20) })).date!;
    expect(first >= dayFromToday(0)).toBe(true);
    const full = firstWeekdayFrom(3);
    const [visit] = await t.db
      .insert(appointments)
      .values({
        patientId: clinic.patient.id,
        organizationId: clinic.organization.id,
        departmentId: department.id,
        clinicianId: clinician.id,
        startAt: new Date(at(full, 540)),
        endAt: new Date(at(full, 600)),
        timeZone: ny,
        visitType: 'Long visit',
        status: 'scheduled',
      })
      .returning();
    await t.db
      .insert(appointmentSlots)
      .values(
        unitsOf(visit!.startAt, visit!.endAt).map((unitStart) => ({ clinicianId: clinician.id, unitStart, appointmentId: visit!.id })),
      );
    const answer = await nextAvailable({ departmentId: department.id, from: full });
    expect(answer.date).toBe(firstWeekdayFrom(Math.round((Date.parse(full) - Date.parse(dayFromToday(0))) / 86_400_000) + 1));
  });

  it('answers 400 for a bad date or visit type, 401 without a session, 404 for another patient, and audits', async () => {
    const query = { visitTypeId: video(), departmentId: clinic.department.id };
    const bad = await get('next-available', { ...query, from: '2027-02-29' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { field?: string } }>().error.field).toBe('from');
    const unknown = await get('next-available', { ...query, visitTypeId: crypto.randomUUID() });
    expect(unknown.json<{ error: { field?: string } }>().error.field).toBe('visitTypeId');
    expect((await get('next-available', query, { cookie: { cookie: '' } })).statusCode).toBe(401);
    const { patient: other, user } = await buildPatient(t.db, clinic.organization.id, { withAccount: true });
    expect((await get('next-available', query, { patientId: other.id })).statusCode).toBe(404);
    const otherCookie = cookieFor(await signInAs(t.db, user!));
    expect((await get('next-available', query, { cookie: otherCookie })).statusCode).toBe(404);
    expect((await get('next-available', query)).statusCode).toBe(200);
    const events = await auditOf('scheduling.next-available.read');
    expect(events.some((e) => e.outcome === 'success')).toBe(true);
  });
});

describe('refusals after the policy allowed the read', () => {
  it('audits a 400 from each picker read (a visit type, clinic or clinician not offered) as a failure on the patient', async () => {
    const base = { visitTypeId: video(), departmentId: clinic.department.id };
    const cases: [string, Record<string, string>, string, string][] = [
      ['day-slots', { ...base, date: firstWeekdayFrom(8), visitTypeId: crypto.randomUUID() }, 'scheduling.day.read', 'visitTypeId'],
      ['day-slots', { ...base, date: firstWeekdayFrom(8), clinicianId: crypto.randomUUID() }, 'scheduling.day.read', 'clinicianId'],
      [
        'open-days',
        { ...base, from: dayFromToday(0), to: dayFromToday(6), departmentId: crypto.randomUUID() },
        'scheduling.open-days.read',
        'departmentId',
      ],
      ['next-available', { ...base, clinicianId: crypto.randomUUID() }, 'scheduling.next-available.read', 'clinicianId'],
    ];
    for (const [path, query, action, field] of cases) {
      const res = await get(path, query);
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { field?: string } }>().error.field).toBe(field);
      const events = await t.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.requestId, String(res.headers['x-request-id'])));
      expect(events, `${path} ${field}`).toMatchObject([
        { action, outcome: 'failure', patientId: clinic.patient.id, objectId: clinic.patient.id, details: { reason: 'validation_failed' } },
      ]);
    }
  });
});

describe('GET /api/patients/:id/scheduling/options', () => {
  it('names the patient’s primary care clinician, or null', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${clinic.patient.id}/scheduling/options`,
      headers: clinic.patientCookie,
    });
    expect(res.json<{ pcp: unknown }>().pcp).toBeNull();
    const { patient, user } = await buildPatient(t.db, clinic.organization.id, { withAccount: true, pcpId: colleague.id });
    const cookie = cookieFor(await signInAs(t.db, user!));
    const mine = await t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}/scheduling/options`, headers: cookie });
    expect(mine.json<{ pcp: { id: string; name: string } }>().pcp).toMatchObject({ id: colleague.id });
  });
});
