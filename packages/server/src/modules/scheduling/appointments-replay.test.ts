import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditEvents } from '../../db/schema/index.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { buildClinic, openSlotsOf } from './appointments.fixtures.ts';

let t: TestApp;
let clinic: Awaited<ReturnType<typeof buildClinic>>;

beforeAll(async () => {
  t = await buildTestApp();
  clinic = await buildClinic(t.db);
});
afterAll(() => t.close());

/** Sends one request twice with one Idempotency-Key, as a client does after losing the first answer. */
async function sendTwice(path: string, key: string, payload?: Record<string, string>) {
  const send = () =>
    t.app.inject({
      method: 'POST',
      url: `/api/patients/${clinic.patient.id}/appointments${path}`,
      headers: { ...clinic.patientCookie, ...csrfHeaders, 'idempotency-key': key },
      ...(payload ? { payload } : {}),
    });
  const first = await send();
  const second = await send();
  expect(second.statusCode).toBe(first.statusCode);
  expect(second.json()).toEqual(first.json());
  return first;
}

async function auditTrailOf(action: string) {
  const rows = await t.db
    .select({ outcome: auditEvents.outcome, details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.patientId, clinic.patient.id)))
    .orderBy(asc(auditEvents.occurredAt), asc(auditEvents.id));
  return rows.map((row) => ({ outcome: row.outcome, details: row.details as Record<string, unknown> }));
}

describe('a replayed booking, reschedule or cancellation', () => {
  it('is audited as one success and one replayed success, naming the same appointment', async () => {
    const slots = await openSlotsOf(t.app, clinic, clinic.visitTypes.video.id);
    const [first, later] = [slots[0]!, slots.at(-1)!];
    const booking = { visitTypeId: clinic.visitTypes.video.id, departmentId: clinic.department.id, ...first };
    const booked = await sendTwice('', 'replay-book', booking);
    expect(booked.statusCode).toBe(201);
    const bookedId = booked.json<{ id: string }>().id;
    const bookTrail = await auditTrailOf('appointment.book');
    expect(bookTrail).toHaveLength(2);
    expect(bookTrail[0]).toMatchObject({ outcome: 'success', details: { appointmentId: bookedId } });
    expect(bookTrail[0]!.details.replayed).toBeUndefined();
    expect(bookTrail[1]).toMatchObject({ outcome: 'success', details: { appointmentId: bookedId, replayed: true } });

    const moved = await sendTwice(`/${bookedId}/reschedule`, 'replay-move', { clinicianId: later.clinicianId, startAt: later.startAt });
    expect(moved.statusCode).toBe(201);
    const movedId = moved.json<{ id: string }>().id;
    const moveTrail = await auditTrailOf('appointment.reschedule');
    expect(moveTrail).toHaveLength(2);
    expect(moveTrail[0]).toMatchObject({ outcome: 'success', details: { appointmentId: bookedId, newAppointmentId: movedId } });
    expect(moveTrail[0]!.details.replayed).toBeUndefined();
    expect(moveTrail[1]).toMatchObject({
      outcome: 'success',
      details: { appointmentId: bookedId, newAppointmentId: movedId, replayed: true },
    });

    const cancelled = await sendTwice(`/${movedId}/cancel`, 'replay-cancel');
    expect(cancelled.statusCode).toBe(200);
    const cancelTrail = await auditTrailOf('appointment.cancel');
    expect(cancelTrail).toHaveLength(2);
    expect(cancelTrail[0]).toMatchObject({ outcome: 'success', details: { appointmentId: movedId } });
    expect(cancelTrail[0]!.details.replayed).toBeUndefined();
    expect(cancelTrail[1]).toMatchObject({ outcome: 'success', details: { appointmentId: movedId, replayed: true } });
  });
});
