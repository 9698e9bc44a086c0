import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, appointmentSlots, waitlistEntries, waitlistOffers } from '../../db/schema/index.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { bookAt, buildScheduleWorld, daysFromNow, requester } from './schedule.fixtures.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof buildScheduleWorld>>;
let http: ReturnType<typeof requester>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildScheduleWorld(t);
  http = requester(t);
});
afterAll(() => t.close());

const waitlistUrl = (patientId: string, appointmentId: string) => `/api/patients/${patientId}/appointments/${appointmentId}/waitlist`;
const offersUrl = (patientId: string) => `/api/patients/${patientId}/waitlist/offers`;
const acceptUrl = (patientId: string, offerId: string) => `/api/patients/${patientId}/waitlist/offers/${offerId}/accept`;
const appointmentOf = async (id: string) => (await t.db.select().from(appointments).where(eq(appointments.id, id)))[0]!;

describe('PUT and DELETE /api/patients/:id/appointments/:appointmentId/waitlist', () => {
  it('puts the patient’s own scheduled visit on the waitlist (200) and takes it off again', async () => {
    const p = await w.patient();
    const visit = await bookAt(t, w, p.id, daysFromNow(20));
    const put = await http.put(p.token, waitlistUrl(p.id, visit.id));
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ waitlisted: true });
    expect((await http.put(p.token, waitlistUrl(p.id, visit.id))).json()).toEqual({ waitlisted: true });
    const rows = await t.db.select().from(waitlistEntries).where(eq(waitlistEntries.appointmentId, visit.id));
    expect(rows.map((r) => r.status)).toEqual(['waiting']);
    const removed = await http.delete(p.token, waitlistUrl(p.id, visit.id));
    expect(removed.json()).toEqual({ waitlisted: false });
    const after = await t.db.select().from(waitlistEntries).where(eq(waitlistEntries.appointmentId, visit.id));
    expect(after.map((r) => r.status)).toEqual(['cancelled']);
  });

  it('refuses a cancelled visit (400) and answers 401 without a session, 404 for another patient’s visit', async () => {
    const p = await w.patient();
    const other = await w.patient();
    const visit = await bookAt(t, w, p.id, daysFromNow(21));
    expect((await http.put(null, waitlistUrl(p.id, visit.id))).statusCode).toBe(401);
    expect((await http.put(other.token, waitlistUrl(p.id, visit.id))).statusCode).toBe(404);
    expect((await http.put(p.token, waitlistUrl(p.id, '00000000-0000-4000-8000-000000000000'))).statusCode).toBe(404);
    await t.db.update(appointments).set({ status: 'cancelled' }).where(eq(appointments.id, visit.id));
    const response = await http.put(p.token, waitlistUrl(p.id, visit.id));
    expect(response.statusCode).toBe(400);
    expect(await t.db.select().from(waitlistEntries).where(eq(waitlistEntries.appointmentId, visit.id))).toEqual([]);
  });
});

describe('the waitlist journey: a released time is offered, the first to accept takes it', () => {
  it('offers a cancelled time to both waitlisted patients, gives it to exactly one, and answers the other 409 offer_taken', async () => {
    const frontDesk = await w.staff('front_desk');
    const leaving = await w.patient();
    const first = await w.patient();
    const second = await w.patient();
    const released = await bookAt(t, w, leaving.id, daysFromNow(2));
    const firstVisit = await bookAt(t, w, first.id, daysFromNow(5));
    const secondVisit = await bookAt(t, w, second.id, daysFromNow(6));
    expect((await http.put(first.token, waitlistUrl(first.id, firstVisit.id))).statusCode).toBe(200);
    expect((await http.put(second.token, waitlistUrl(second.id, secondVisit.id))).statusCode).toBe(200);
    await t.mail();

    const cancel = await http.post(frontDesk.token, `/api/schedule/appointments/${released.id}/status`, { status: 'cancelled' });
    expect(cancel.statusCode).toBe(200);
    const mail = await t.mail();
    const offerMail = mail.filter((m) => m.subject.includes('earlier appointment'));
    expect(offerMail.map((m) => m.toAddress).sort()).toEqual([first.user.email, second.user.email].sort());
    for (const m of offerMail) {
      expect(m.text).toContain('http://localhost:3000/appointments');
      expect(m.text).not.toContain(w.visitType.name);
      expect(m.text).not.toContain(w.clinician.displayName);
    }

    const offers = await http.get(first.token, offersUrl(first.id));
    expect(offers.statusCode).toBe(200);
    const [firstOffer] = offers.json<{ offers: { id: string; startAt: string; appointmentId: string; timeZone: string }[] }>().offers;
    expect(firstOffer).toMatchObject({
      startAt: released.startAt.toISOString(),
      appointmentId: firstVisit.id,
      timeZone: 'America/New_York',
    });
    const [secondOffer] = (await http.get(second.token, offersUrl(second.id))).json<{ offers: { id: string }[] }>().offers;

    const [a, b] = await Promise.all([
      http.post(first.token, acceptUrl(first.id, firstOffer!.id), {}, { 'idempotency-key': 'accept-first' }),
      http.post(second.token, acceptUrl(second.id, secondOffer!.id), {}, { 'idempotency-key': 'accept-second' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const [won, lost] = a.statusCode === 201 ? [a, b] : [b, a];
    const [winner, loser] = a.statusCode === 201 ? [first, second] : [second, first];
    const [winnerOld, loserOld] = a.statusCode === 201 ? [firstVisit, secondVisit] : [secondVisit, firstVisit];
    expect(lost.json().error.code).toBe('offer_taken');
    const booked = won.json<{ id: string; startAt: string; status: string }>();
    expect(booked).toMatchObject({ startAt: released.startAt.toISOString(), status: 'scheduled' });

    expect(await appointmentOf(booked.id)).toMatchObject({ patientId: winner.id, replacesId: winnerOld.id, status: 'scheduled' });
    expect((await appointmentOf(winnerOld.id)).status).toBe('cancelled');
    expect(await t.db.select().from(appointmentSlots).where(eq(appointmentSlots.appointmentId, winnerOld.id))).toEqual([]);
    expect(await t.db.select().from(appointmentSlots).where(eq(appointmentSlots.appointmentId, booked.id))).toHaveLength(6);
    expect((await appointmentOf(loserOld.id)).status).toBe('scheduled');
    const statuses = await t.db
      .select({ patientId: waitlistOffers.patientId, status: waitlistOffers.status })
      .from(waitlistOffers)
      .where(eq(waitlistOffers.startAt, released.startAt));
    expect(statuses).toEqual(
      expect.arrayContaining([
        { patientId: winner.id, status: 'accepted' },
        { patientId: loser.id, status: 'taken' },
      ]),
    );

    // The winner's old time is released in turn: offered to the other patient when their visit is later.
    const loserOffers = (await http.get(loser.token, offersUrl(loser.id))).json<{ offers: { startAt: string }[] }>().offers;
    expect(loserOffers.map((o) => o.startAt)).toEqual(loserOld.startAt > winnerOld.startAt ? [winnerOld.startAt.toISOString()] : []);

    // A retry with the same key gets the first answer and books nothing more.
    const offerId = winner === first ? firstOffer!.id : secondOffer!.id;
    const retry = await http.post(
      winner.token,
      acceptUrl(winner.id, offerId),
      {},
      { 'idempotency-key': winner === first ? 'accept-first' : 'accept-second' },
    );
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(won.json());
    const winnerRows = await t.db
      .select()
      .from(appointments)
      .where(and(eq(appointments.patientId, winner.id), eq(appointments.status, 'scheduled')));
    expect(winnerRows).toHaveLength(1);
  });

  it('answers 401 without a session and 404 for another patient’s offer, booking nothing', async () => {
    const p = await w.patient();
    const other = await w.patient();
    const frontDesk = await w.staff('front_desk');
    const released = await bookAt(t, w, other.id, daysFromNow(3, 9));
    const visit = await bookAt(t, w, p.id, daysFromNow(8, 9));
    await http.put(p.token, waitlistUrl(p.id, visit.id));
    await http.post(frontDesk.token, `/api/schedule/appointments/${released.id}/status`, { status: 'cancelled' });
    const [offer] = (await http.get(p.token, offersUrl(p.id))).json<{ offers: { id: string }[] }>().offers;
    expect(offer).toBeDefined();
    expect((await http.post(null, acceptUrl(p.id, offer!.id), {})).statusCode).toBe(401);
    expect((await http.get(other.token, offersUrl(p.id))).statusCode).toBe(404);
    expect((await http.post(other.token, acceptUrl(p.id, offer!.id), {})).statusCode).toBe(404);
    expect((await http.post(other.token, acceptUrl(other.id, offer!.id), {})).statusCode).toBe(404);
    expect((await appointmentOf(visit.id)).status).toBe('scheduled');
  });
});
