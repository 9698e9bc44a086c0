import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { appointments, appointmentSlots, auditEvents, scheduleBlocks } from '../../db/schema/index.ts';
import { addDays, civilDateInZone, formatCivilDate } from '@portico/shared/zoned-time';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { buildClinic, openSlotsOf, weekAhead, type OpenSlot } from './appointments.fixtures.ts';

let t: TestApp;
let clinic: Awaited<ReturnType<typeof buildClinic>>;

beforeAll(async () => {
  t = await buildTestApp();
  clinic = await buildClinic(t.db);
});
afterAll(() => t.close());

const zone = 'America/New_York';
type Slot = OpenSlot;

async function slotsFor(cookie: { cookie: string }, patientId: string, query: Record<string, string>) {
  const params = new URLSearchParams(query).toString();
  return t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/scheduling/slots?${params}`, headers: cookie });
}

async function firstSlot(visitTypeId: string, from = weekAhead()): Promise<Slot> {
  const slot = (await openSlotsOf(t.app, clinic, visitTypeId, from))[0];
  if (!slot) throw new Error('no open slot');
  return slot;
}

function book(cookie: { cookie: string }, patientId: string, body: Record<string, string>, key?: string) {
  return t.app.inject({
    method: 'POST',
    url: `/api/patients/${patientId}/appointments`,
    headers: { ...cookie, ...csrfHeaders, ...(key ? { 'idempotency-key': key } : {}) },
    payload: body,
  });
}

const bookingOf = (visitTypeId: string, slot: Slot) => ({
  visitTypeId,
  departmentId: clinic.department.id,
  clinicianId: slot.clinicianId,
  startAt: slot.startAt,
});

describe('GET /api/patients/:id/scheduling/slots', () => {
  it('keeps 9:00 local across the spring daylight-saving change (14:00Z before, 13:00Z after)', async () => {
    const res = await slotsFor(clinic.patientCookie, clinic.patient.id, {
      visitTypeId: clinic.visitTypes.video.id,
      departmentId: clinic.department.id,
      from: '2027-03-12',
      days: '4',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ timeZone: string; slots: Slot[] }>();
    expect(body.timeZone).toBe(zone);
    const starts = body.slots.map((s) => s.startAt);
    expect(starts[0]).toBe('2027-03-12T14:00:00.000Z');
    expect(starts).toContain('2027-03-15T13:00:00.000Z');
    expect(starts.find((s) => s.startsWith('2027-03-15'))).toBe('2027-03-15T13:00:00.000Z');
    expect(starts).not.toContain('2027-03-12T13:00:00.000Z');
    expect(starts.filter((s) => s.startsWith('2027-03-13') || s.startsWith('2027-03-14'))).toEqual([]);
  });

  it('keeps 9:00 local across the autumn change (13:00Z before, 14:00Z after)', async () => {
    const res = await slotsFor(clinic.patientCookie, clinic.patient.id, {
      visitTypeId: clinic.visitTypes.video.id,
      departmentId: clinic.department.id,
      from: '2027-11-05',
      days: '4',
    });
    const starts = res.json<{ slots: Slot[] }>().slots.map((s) => s.startAt);
    expect(starts[0]).toBe('2027-11-05T13:00:00.000Z');
    expect(starts).toContain('2027-11-08T14:00:00.000Z');
  });

  it('offers nothing in the past or within the next two hours', async () => {
    const res = await slotsFor(clinic.patientCookie, clinic.patient.id, {
      visitTypeId: clinic.visitTypes.video.id,
      departmentId: clinic.department.id,
      from: formatCivilDate(addDays(civilDateInZone(new Date(), zone), -3)),
      days: '4',
    });
    const soonest = Date.now() + 2 * 3600_000;
    for (const slot of res.json<{ slots: Slot[] }>().slots) expect(Date.parse(slot.startAt)).toBeGreaterThanOrEqual(soonest);
  });

  it('leaves out blocked time', async () => {
    const slot = await firstSlot(clinic.visitTypes.video.id);
    await t.db.insert(scheduleBlocks).values({
      clinicianId: slot.clinicianId,
      startAt: new Date(slot.startAt),
      endAt: new Date(Date.parse(slot.startAt) + 3600_000),
      reason: 'Meeting',
    });
    const after = await firstSlot(clinic.visitTypes.video.id);
    expect(Date.parse(after.startAt)).toBeGreaterThanOrEqual(Date.parse(slot.startAt) + 3600_000);
    await t.db.delete(scheduleBlocks).where(eq(scheduleBlocks.clinicianId, slot.clinicianId));
  });

  it('answers 400 for a visit type patients cannot book and for malformed ids', async () => {
    const closed = await slotsFor(clinic.patientCookie, clinic.patient.id, {
      visitTypeId: clinic.visitTypes.newPatient.id,
      departmentId: clinic.department.id,
    });
    expect(closed.statusCode).toBe(400);
    expect(closed.json().error.field).toBe('visitTypeId');
    const bad = await slotsFor(clinic.patientCookie, clinic.patient.id, { visitTypeId: 'nope', departmentId: clinic.department.id });
    expect(bad.statusCode).toBe(400);
  });

  it('answers 401 without a session', async () => {
    const query = { visitTypeId: clinic.visitTypes.video.id, departmentId: clinic.department.id };
    const res = await slotsFor({ cookie: '' }, clinic.patient.id, query);
    expect(res.statusCode).toBe(401);
  });
});

describe('GET /api/patients/:id/scheduling/options', () => {
  it('hides established-only visit types from a new patient and shows them once they have been seen', async () => {
    const { patient, user } = await buildPatient(t.db, clinic.organization.id, { withAccount: true });
    const cookie = cookieFor(await signInAs(t.db, user!));
    const names = async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}/scheduling/options`, headers: cookie });
      expect(res.statusCode).toBe(200);
      return res.json<{ visitTypes: { name: string }[] }>().visitTypes.map((v) => v.name);
    };
    expect(await names()).toEqual(['Annual physical', 'Video visit']);
    await t.db.insert(appointments).values({
      patientId: patient.id,
      organizationId: clinic.organization.id,
      departmentId: clinic.department.id,
      clinicianId: clinic.clinician.id,
      startAt: new Date(Date.now() - 30 * 86_400_000),
      endAt: new Date(Date.now() - 30 * 86_400_000 + 1_200_000),
      timeZone: zone,
      visitType: 'Office visit',
      status: 'completed',
    });
    expect(await names()).toEqual(['Annual physical', 'Follow-up', 'Video visit']);
  });

  it('answers 404 for another patient', async () => {
    const other = await buildPatient(t.db, clinic.organization.id);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${other.patient.id}/scheduling/options`,
      headers: clinic.patientCookie,
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('booking, the calendar file, rescheduling and cancelling', () => {
  it('books a time, lists it upcoming, downloads it, reschedules and cancels', async () => {
    const slot = await firstSlot(clinic.visitTypes.video.id);
    const booked = await book(clinic.patientCookie, clinic.patient.id, bookingOf(clinic.visitTypes.video.id, slot), 'book-1');
    expect(booked.statusCode).toBe(201);
    const view = booked.json();
    expect(view).toMatchObject({
      startAt: slot.startAt,
      status: 'scheduled',
      visitType: 'Video visit',
      video: true,
      canChange: true,
      instructions: 'Join five minutes early.',
      clinicPhone: '555-0123',
      // A video visit names no street address (issue 10 §3).
      location: { name: 'Family Medicine', address: null, timeZone: zone },
    });
    expect(view.videoUrl).toMatch(/^http:\/\/localhost:3000\/video\/[A-Za-z0-9_-]{20,}$/);
    const replay = await book(clinic.patientCookie, clinic.patient.id, bookingOf(clinic.visitTypes.video.id, slot), 'book-1');
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(view.id);

    const list = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${clinic.patient.id}/appointments?when=upcoming`,
      headers: clinic.patientCookie,
    });
    expect(list.json().appointments.map((a: { id: string }) => a.id)).toContain(view.id);
    const open = await firstSlot(clinic.visitTypes.video.id);
    expect(open.startAt).not.toBe(slot.startAt);

    const ics = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${clinic.patient.id}/appointments/${view.id}/calendar`,
      headers: clinic.patientCookie,
    });
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(ics.headers['content-disposition']).toBe('attachment; filename="appointment.ics"');
    const stamp = slot.startAt.replace(/[-:]/g, '').replace('.000', '');
    expect(ics.body).toContain(`\r\nDTSTART:${stamp}\r\n`);
    expect(ics.body).toContain('SUMMARY:Appointment at Family Medicine');
    expect(ics.body).not.toContain('LOCATION:');

    const later = (
      await slotsFor(clinic.patientCookie, clinic.patient.id, {
        visitTypeId: clinic.visitTypes.video.id,
        departmentId: clinic.department.id,
        from: weekAhead(),
        days: '7',
      })
    )
      .json()
      .slots.at(-1) as Slot;
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${clinic.patient.id}/appointments/${view.id}/reschedule`,
      headers: { ...clinic.patientCookie, ...csrfHeaders, 'idempotency-key': 'move-1' },
      payload: { clinicianId: later.clinicianId, startAt: later.startAt },
    });
    expect(moved.statusCode).toBe(201);
    expect(moved.json()).toMatchObject({ startAt: later.startAt, status: 'scheduled', visitTypeId: clinic.visitTypes.video.id });
    const [stored] = await t.db.select().from(appointments).where(eq(appointments.id, moved.json().id));
    expect(stored!.replacesId).toBe(view.id);
    const old = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${clinic.patient.id}/appointments/${view.id}`,
      headers: clinic.patientCookie,
    });
    expect(old.json()).toMatchObject({ status: 'cancelled', canChange: false });
    expect(await t.db.select().from(appointmentSlots).where(eq(appointmentSlots.appointmentId, view.id))).toEqual([]);
    expect((await firstSlot(clinic.visitTypes.video.id)).startAt).toBe(slot.startAt);

    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${clinic.patient.id}/appointments/${moved.json().id}/cancel`,
      headers: { ...clinic.patientCookie, ...csrfHeaders },
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${clinic.patient.id}/appointments/${moved.json().id}/cancel`,
      headers: { ...clinic.patientCookie, ...csrfHeaders },
    });
    expect(again.statusCode).toBe(409);
  });

  it('gives exactly one of 20 simultaneous bookings of one time, and 409 slot_taken to the rest', async () => {
    const slot = await firstSlot(clinic.visitTypes.physical.id);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        book(clinic.patientCookie, clinic.patient.id, bookingOf(clinic.visitTypes.physical.id, slot), `race-${i}`),
      ),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    for (const a of answers.filter((x) => x.statusCode === 409)) expect(a.json().error.code).toBe('slot_taken');
    const rows = await t.db
      .select()
      .from(appointments)
      .where(and(eq(appointments.patientId, clinic.patient.id), eq(appointments.startAt, new Date(slot.startAt))));
    expect(rows.filter((r) => r.status === 'scheduled')).toHaveLength(1);
    // Each refused booking still leaves its audit event, though its transaction rolled back.
    const refused = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, 'appointment.book'), eq(auditEvents.patientId, clinic.patient.id), eq(auditEvents.outcome, 'failure')),
      );
    expect(refused.filter((e) => (e.details as { reason?: string }).reason === 'slot_taken').length).toBeGreaterThanOrEqual(19);

    // A 20-minute visit inside the booked 40 minutes collides on the slot units too.
    const overlapping = { ...slot, startAt: new Date(Date.parse(slot.startAt) + 20 * 60_000).toISOString() };
    const clash = await book(clinic.patientCookie, clinic.patient.id, bookingOf(clinic.visitTypes.video.id, overlapping));
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('slot_taken');
  });

  it('answers 400 naming startAt for a time not offered or in the past, and for a visit type not bookable', async () => {
    const slot = await firstSlot(clinic.visitTypes.video.id);
    const offset = { ...slot, startAt: new Date(Date.parse(slot.startAt) + 5 * 60_000).toISOString() };
    const odd = await book(clinic.patientCookie, clinic.patient.id, bookingOf(clinic.visitTypes.video.id, offset));
    expect(odd.statusCode).toBe(400);
    expect(odd.json().error.field).toBe('startAt');
    const past = { ...slot, startAt: new Date(Date.parse(slot.startAt) - 28 * 86_400_000).toISOString() };
    const inPast = await book(clinic.patientCookie, clinic.patient.id, bookingOf(clinic.visitTypes.video.id, past));
    expect(inPast.statusCode).toBe(400);
    expect(inPast.json().error.field).toBe('startAt');
    const closed = await book(clinic.patientCookie, clinic.patient.id, bookingOf(clinic.visitTypes.newPatient.id, slot));
    expect(closed.statusCode).toBe(400);
    expect(closed.json().error.field).toBe('visitTypeId');
    const established = await book(clinic.patientCookie, clinic.patient.id, bookingOf(clinic.visitTypes.followUp.id, slot));
    expect(established.statusCode).toBe(400);
    const malformed = await book(clinic.patientCookie, clinic.patient.id, {
      ...bookingOf(clinic.visitTypes.video.id, slot),
      clinicianId: 'x',
    });
    expect(malformed.statusCode).toBe(400);
  });

  it('answers 401 without a session', async () => {
    const slot = await firstSlot(clinic.visitTypes.video.id);
    const res = await book({ cookie: '' }, clinic.patient.id, bookingOf(clinic.visitTypes.video.id, slot));
    expect(res.statusCode).toBe(401);
  });

  it('refuses a change after the cut-off with 409 and the clinic phone number', async () => {
    const [soon] = await t.db
      .insert(appointments)
      .values({
        patientId: clinic.patient.id,
        organizationId: clinic.organization.id,
        departmentId: clinic.department.id,
        clinicianId: clinic.clinician.id,
        startAt: new Date(Date.now() + 3 * 3600_000),
        endAt: new Date(Date.now() + 3 * 3600_000 + 1_200_000),
        timeZone: zone,
        visitType: 'Video visit',
        visitTypeId: clinic.visitTypes.video.id,
        status: 'scheduled',
      })
      .returning();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${clinic.patient.id}/appointments/${soon!.id}/cancel`,
      headers: { ...clinic.patientCookie, ...csrfHeaders },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('change_cutoff_passed');
    expect(res.json().error.message).toContain('555-0123');
    const view = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${clinic.patient.id}/appointments/${soon!.id}`,
      headers: clinic.patientCookie,
    });
    expect(view.json()).toMatchObject({ canChange: false, status: 'scheduled', checkIn: { available: true } });
  });
});

describe('who may reach an appointment', () => {
  it('answers 404 to another patient for read, cancel, reschedule and calendar, and changes nothing', async () => {
    const slot = await firstSlot(clinic.visitTypes.video.id);
    const booked = (await book(clinic.patientCookie, clinic.patient.id, bookingOf(clinic.visitTypes.video.id, slot))).json();
    const { patient: otherPatient, user } = await buildPatient(t.db, clinic.organization.id, { withAccount: true });
    const other = cookieFor(await signInAs(t.db, user!));
    for (const patientId of [clinic.patient.id, otherPatient.id]) {
      const base = `/api/patients/${patientId}/appointments/${booked.id}`;
      const headers = { ...other, ...csrfHeaders };
      expect((await t.app.inject({ method: 'GET', url: base, headers })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: `${base}/calendar`, headers })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'POST', url: `${base}/cancel`, headers })).statusCode).toBe(404);
      const move = await t.app.inject({
        method: 'POST',
        url: `${base}/reschedule`,
        headers,
        payload: { clinicianId: slot.clinicianId, startAt: slot.startAt },
      });
      expect(move.statusCode).toBe(404);
    }
    const [row] = await t.db.select().from(appointments).where(eq(appointments.id, booked.id));
    expect(row!.status).toBe('scheduled');
  });

  it('lets front desk of the organization read and book for a patient, and answers 404 to another organization', async () => {
    const desk = await buildUser(t.db, { role: 'front_desk', organizationId: clinic.organization.id });
    const deskCookie = cookieFor(await signInAs(t.db, desk));
    const slot = await firstSlot(clinic.visitTypes.physical.id, formatCivilDate(addDays(civilDateInZone(new Date(), zone), 14)));
    const booked = await book(deskCookie, clinic.patient.id, bookingOf(clinic.visitTypes.physical.id, slot));
    expect(booked.statusCode).toBe(201);
    const list = await t.app.inject({ method: 'GET', url: `/api/patients/${clinic.patient.id}/appointments`, headers: deskCookie });
    expect(list.statusCode).toBe(200);

    const elsewhere = await buildOrganization(t.db);
    const outsider = await buildUser(t.db, { role: 'front_desk', organizationId: elsewhere.organization.id });
    const outsiderCookie = cookieFor(await signInAs(t.db, outsider));
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${clinic.patient.id}/appointments/${booked.json().id}`,
      headers: outsiderCookie,
    });
    expect(read.statusCode).toBe(404);
    const next = await firstSlot(clinic.visitTypes.physical.id, formatCivilDate(addDays(civilDateInZone(new Date(), zone), 21)));
    expect((await book(outsiderCookie, clinic.patient.id, bookingOf(clinic.visitTypes.physical.id, next))).statusCode).toBe(404);
  });

  it('pages the past list and refuses a malformed cursor with 400', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${clinic.patient.id}/appointments?when=past&limit=1`,
      headers: clinic.patientCookie,
    });
    expect(res.statusCode).toBe(200);
    const bad = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${clinic.patient.id}/appointments?cursor=garbage`,
      headers: clinic.patientCookie,
    });
    expect(bad.statusCode).toBe(400);
  });
});
