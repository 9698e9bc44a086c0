import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { outbox, users } from '../../db/schema/index.ts';
import { buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { buildClinic, openSlotsOf, weekAhead } from './appointments.fixtures.ts';
import { addDays, civilDateInZone, formatCivilDate } from '@portico/shared/zoned-time';
import { bookingConfirmationEmail, formatVisitTime } from './booking-confirmation.ts';

let t: TestApp;
let clinic: Awaited<ReturnType<typeof buildClinic>>;

beforeAll(async () => {
  t = await buildTestApp();
  clinic = await buildClinic(t.db);
});
afterAll(() => t.close());

interface Email {
  to: string;
  subject: string;
  text: string;
}

/** A patient of the clinic with an account in `locale`, signed in. */
async function patientIn(locale: 'en' | 'es') {
  const { patient, user } = await buildPatient(t.db, clinic.organization.id, { withAccount: true });
  await t.db.update(users).set({ locale }).where(eq(users.id, user!.id));
  return { patient, user: user!, cookie: cookieFor(await signInAs(t.db, user!)) };
}

async function openSlot(visitTypeId: string, daysAhead: number) {
  const from = formatCivilDate(addDays(civilDateInZone(new Date(), 'America/New_York'), daysAhead));
  const slot = (await openSlotsOf(t.app, clinic, visitTypeId, from))[0];
  if (!slot) throw new Error('no open slot');
  return slot;
}

function book(
  cookie: { cookie: string },
  patientId: string,
  visitTypeId: string,
  slot: { clinicianId: string; startAt: string },
  key?: string,
) {
  return t.app.inject({
    method: 'POST',
    url: `/api/patients/${patientId}/appointments`,
    headers: { ...cookie, ...csrfHeaders, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { visitTypeId, departmentId: clinic.department.id, clinicianId: slot.clinicianId, startAt: slot.startAt },
  });
}

async function emailsFor(appointmentId: string): Promise<{ eventKey: string | null; payload: Email }[]> {
  const rows = await t.db
    .select()
    .from(outbox)
    .where(like(outbox.eventKey, `appointment:${appointmentId}:%`));
  return rows.map((row) => ({ eventKey: row.eventKey, payload: row.payload as Email }));
}

describe('the booking confirmation email', () => {
  it('is queued with the booking, in Spanish for a Spanish-speaking patient, with when, who and where but no clinical detail', async () => {
    const maria = await patientIn('es');
    const slot = await openSlot(clinic.visitTypes.physical.id, 9);
    const res = await book(maria.cookie, maria.patient.id, clinic.visitTypes.physical.id, slot, 'es-1');
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    const emails = await emailsFor(id);
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email!.eventKey).toBe(`appointment:${id}:booked:email`);
    expect(email!.payload.to).toBe(maria.user.email);
    expect(email!.payload.subject).toBe('Su cita está programada');
    const text = email!.payload.text;
    expect(text).toContain('Su cita está programada.');
    expect(text).toContain(`Cuándo: ${formatVisitTime(new Date(slot.startAt), 'America/New_York', 'es')}`);
    expect(text).toMatch(/Cuándo: [a-záéíóú]+, \d+ de [a-z]+ de \d{4}/);
    expect(text).toContain(`Con: ${clinic.clinician.displayName}`);
    expect(text).toContain('Dónde: Family Medicine, 1 Main St');
    expect(text).toContain(`/appointments/${id}`);
    expect(text).not.toContain('Annual physical');
    expect(text).not.toMatch(/When|With|Where/);
    // Replaying the request queues nothing more.
    expect((await book(maria.cookie, maria.patient.id, clinic.visitTypes.physical.id, slot, 'es-1')).statusCode).toBe(201);
    expect(await emailsFor(id)).toHaveLength(1);
    const delivered = (await t.mail()).filter((m) => m.toAddress === maria.user.email);
    expect(delivered.map((m) => m.subject)).toContain('Su cita está programada');
  });

  it('is in English otherwise, and says "video visit" with neither an address nor the video link for a video visit', async () => {
    const alex = await patientIn('en');
    const slot = await openSlot(clinic.visitTypes.video.id, 10);
    const res = await book(alex.cookie, alex.patient.id, clinic.visitTypes.video.id, slot);
    expect(res.statusCode).toBe(201);
    const view = res.json<{ id: string; videoUrl: string }>();
    const [email] = await emailsFor(view.id);
    expect(email!.payload.subject).toBe('Your appointment is booked');
    expect(email!.payload.text).toContain(`When: ${formatVisitTime(new Date(slot.startAt), 'America/New_York', 'en')}`);
    expect(email!.payload.text).toContain('Where: Video visit.');
    expect(email!.payload.text).not.toContain('1 Main St');
    expect(email!.payload.text).not.toContain(view.videoUrl);
    expect(email!.payload.text).not.toContain('Join five minutes early');
  });

  it('goes to the patient when the front desk books, says "moved" after a reschedule, and is not queued for a refused booking', async () => {
    const alex = await patientIn('en');
    const desk = await buildUser(t.db, { role: 'front_desk', organizationId: clinic.organization.id });
    const deskCookie = cookieFor(await signInAs(t.db, desk));
    const slot = await openSlot(clinic.visitTypes.physical.id, 12);
    const booked = await book(deskCookie, alex.patient.id, clinic.visitTypes.physical.id, slot);
    expect(booked.statusCode).toBe(201);
    const id = booked.json<{ id: string }>().id;
    expect((await emailsFor(id)).map((e) => e.payload.to)).toEqual([alex.user.email]);

    const before = await t.db.select().from(outbox);
    const taken = await book(alex.cookie, alex.patient.id, clinic.visitTypes.physical.id, slot);
    expect(taken.statusCode).toBe(409);
    expect(await t.db.select().from(outbox)).toHaveLength(before.length);

    const later = (await openSlotsOf(t.app, clinic, clinic.visitTypes.physical.id, weekAhead())).at(-1)!;
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${alex.patient.id}/appointments/${id}/reschedule`,
      headers: { ...alex.cookie, ...csrfHeaders },
      payload: { clinicianId: later.clinicianId, startAt: later.startAt },
    });
    expect(moved.statusCode).toBe(201);
    const newId = moved.json<{ id: string }>().id;
    const [email] = await emailsFor(newId);
    expect(email).toMatchObject({ eventKey: `appointment:${newId}:moved:email`, payload: { subject: 'Your appointment has moved' } });
    expect(email!.payload.text).toContain('Your appointment has moved to a new time');
  });

  it('names no clinician it does not know, in the reader’s language', () => {
    const visit = {
      startAt: new Date('2027-03-09T14:00:00Z'),
      timeZone: 'America/New_York',
      clinicianName: null,
      placeName: 'Clinic',
      address: '1 Main St\nSpringfield',
      video: false,
    };
    expect(bookingConfirmationEmail('a@example.test', visit, 'booked', 'https://portal.test/appointments/x', 'en').text).toContain(
      'When: Tuesday, March 9, 2027 at 9:00 AM EST\nWith: to be confirmed\nWhere: Clinic, 1 Main St, Springfield',
    );
    expect(bookingConfirmationEmail('a@example.test', visit, 'booked', 'https://portal.test/appointments/x', 'es').text).toContain(
      'Con: por confirmar',
    );
  });
});
