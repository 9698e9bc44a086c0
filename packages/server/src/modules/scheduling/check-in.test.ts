import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, checkIns, patients } from '../../db/schema/index.ts';
import { buildFhirResource } from '../../test/factories.ts';
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

const checkInUrl = (patientId: string, appointmentId: string) => `/api/patients/${patientId}/appointments/${appointmentId}/check-in`;
const validBody = () => ({
  address: '42 Harbor Road, Springfield',
  phone: '617-555-0199',
  emergencyContact: { name: 'Sam Tester', relationship: 'Spouse', phone: '617-555-0100' },
  insurance: { payer: 'Acme Health', memberId: 'M123456', groupNumber: null },
  medicationsReviewed: true,
  allergiesReviewed: true,
  answers: { fever: false, reason: 'Knee pain' },
  consents: [{ formId: 'treat', signedName: 'Alex Tester' }],
});

describe('GET /api/patients/:id/appointments/:appointmentId/check-in', () => {
  it('answers the form: record address, medications and allergies in words, the questions and consent forms (200)', async () => {
    const p = await w.patient();
    await t.db.update(patients).set({ address: '1 Old Lane', phone: '555-0000' }).where(eq(patients.id, p.id));
    const medication = await buildFhirResource(t.db, {
      organizationId: w.organization.id,
      patientId: p.id,
      status: 'active',
      resource: {
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: { text: 'Lisinopril 10 MG Oral Tablet' },
        dosageInstruction: [{ text: 'Take 1 tablet by mouth daily' }],
      },
    });
    await buildFhirResource(t.db, {
      organizationId: w.organization.id,
      patientId: p.id,
      resource: {
        resourceType: 'AllergyIntolerance',
        clinicalStatus: { coding: [{ code: 'active' }] },
        code: { text: 'Penicillin' },
        reaction: [{ manifestation: [{ text: 'Hives' }] }],
      },
    });
    const visit = await bookAt(t, w, p.id, daysFromNow(3));
    const response = await http.get(p.token, checkInUrl(p.id, visit.id));
    expect(response.statusCode).toBe(200);
    const form = response.json();
    expect(form).toMatchObject({
      address: '1 Old Lane',
      phone: '555-0000',
      emergencyContact: null,
      insurance: null,
      medications: [{ id: medication.id, name: 'Lisinopril 10 mg oral tablet', directions: 'Take 1 tablet by mouth daily' }],
      allergies: [{ substance: 'Penicillin', reactions: 'Hives' }],
      questionnaire: [{ id: 'fever' }, { id: 'reason' }],
      consentForms: [{ id: 'treat', title: 'Consent to treatment' }],
      completedAt: null,
    });
    expect(form.appointment).toMatchObject({ id: visit.id, checkIn: { available: true } });
  });

  it('answers 401 without a session and 404 for another patient', async () => {
    const p = await w.patient();
    const other = await w.patient();
    const visit = await bookAt(t, w, p.id, daysFromNow(3, 10));
    expect((await http.get(null, checkInUrl(p.id, visit.id))).statusCode).toBe(401);
    const response = await http.get(other.token, checkInUrl(p.id, visit.id));
    expect(response.statusCode).toBe(404);
    expect(response.json()).not.toHaveProperty('questionnaire');
    expect((await http.get(other.token, checkInUrl(other.id, visit.id))).statusCode).toBe(404);
  });
});

describe('POST /api/patients/:id/appointments/:appointmentId/check-in', () => {
  it('checks the visit in (201), stores the check-in, updates address and phone, and offers the contact next time', async () => {
    const p = await w.patient();
    const visit = await bookAt(t, w, p.id, daysFromNow(2, 11));
    const response = await http.post(p.token, checkInUrl(p.id, visit.id), validBody());
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ id: visit.id, status: 'checked_in', checkIn: { available: false } });
    expect(response.json().checkIn.completedAt).not.toBeNull();
    const [stored] = await t.db.select().from(checkIns).where(eq(checkIns.appointmentId, visit.id));
    expect(stored).toMatchObject({ patientId: p.id, answers: { fever: false, reason: 'Knee pain' } });
    expect(stored!.consents).toEqual([
      expect.objectContaining({ formId: 'treat', title: 'Consent to treatment', signedName: 'Alex Tester' }),
    ]);
    const [row] = await t.db.select().from(patients).where(eq(patients.id, p.id));
    expect(row).toMatchObject({ address: '42 Harbor Road, Springfield', phone: '617-555-0199' });
    const [appointment] = await t.db.select().from(appointments).where(eq(appointments.id, visit.id));
    expect(appointment!.checkedInAt).not.toBeNull();

    const next = await bookAt(t, w, p.id, daysFromNow(4, 11));
    const form = (await http.get(p.token, checkInUrl(p.id, next.id))).json();
    expect(form).toMatchObject({ emergencyContact: validBody().emergencyContact, insurance: validBody().insurance });
  });

  it.each([
    ['an unanswered question', { answers: { fever: true } }, 'answers.reason'],
    ['a yes/no question answered with text', { answers: { fever: 'no', reason: 'Knee' } }, 'answers.fever'],
    ['an unsigned consent form', { consents: [] }, 'consents.0'],
    ['medications not reviewed', { medicationsReviewed: false }, 'medicationsReviewed'],
  ])('refuses %s with 400 naming the field, storing nothing', async (_case, change, field) => {
    const p = await w.patient();
    const clinician = await w.staff('clinician');
    const visit = await bookAt(t, w, p.id, daysFromNow(2, 12), 30, clinician.id);
    const response = await http.post(p.token, checkInUrl(p.id, visit.id), { ...validBody(), ...change });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe(field);
    expect(await t.db.select().from(checkIns).where(eq(checkIns.appointmentId, visit.id))).toEqual([]);
    expect((await t.db.select().from(appointments).where(eq(appointments.id, visit.id)))[0]!.status).toBe('scheduled');
  });

  it('refuses too early (400: opens 7 days before) and a visit that is not scheduled (400)', async () => {
    const p = await w.patient();
    const far = await bookAt(t, w, p.id, daysFromNow(9));
    const early = await http.post(p.token, checkInUrl(p.id, far.id), validBody());
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toContain('7 days');
    const cancelled = await bookAt(t, w, p.id, daysFromNow(2, 13));
    await t.db.update(appointments).set({ status: 'cancelled' }).where(eq(appointments.id, cancelled.id));
    const response = await http.post(p.token, checkInUrl(p.id, cancelled.id), validBody());
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('cancelled');
  });

  it('answers 401 without a session and 404 for another patient, changing nothing', async () => {
    const p = await w.patient();
    const other = await w.patient();
    const visit = await bookAt(t, w, p.id, daysFromNow(2, 14));
    expect((await http.post(null, checkInUrl(p.id, visit.id), validBody())).statusCode).toBe(401);
    expect((await http.post(other.token, checkInUrl(p.id, visit.id), validBody())).statusCode).toBe(404);
    expect((await http.post(other.token, checkInUrl(other.id, visit.id), validBody())).statusCode).toBe(404);
    expect(await t.db.select().from(checkIns).where(eq(checkIns.appointmentId, visit.id))).toEqual([]);
  });
});
