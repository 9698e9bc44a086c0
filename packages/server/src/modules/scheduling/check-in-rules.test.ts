import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPhoneNumber } from '@portico/shared';
import { appointments, checkIns, visitTypes } from '../../db/schema/index.ts';
import { buildFhirResource } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { bookAt, buildScheduleWorld, daysFromNow, requester } from './schedule.fixtures.ts';

/**
 * E-check-in's rules (issue 10 §5): the visit type's questionnaire says which questions are required (a question
 * without the flag is required, as before); the server refuses with the same shared rule the page checks before it
 * sends, naming the exact answer, consent form or phone that is wrong.
 */

let t: TestApp;
let w: Awaited<ReturnType<typeof buildScheduleWorld>>;
let http: ReturnType<typeof requester>;
let hour = 8;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildScheduleWorld(t);
  http = requester(t);
  await t.db
    .update(visitTypes)
    .set({
      questionnaire: [
        { id: 'fever', text: 'Do you have a fever?', kind: 'yes_no' },
        { id: 'reason', text: 'What would you like to discuss?', kind: 'text', required: true },
        { id: 'notes', text: 'Anything else we should know?', kind: 'text', required: false },
        { id: 'travel', text: 'Have you travelled recently?', kind: 'yes_no', required: false },
      ],
    })
    .where(eq(visitTypes.id, w.visitType.id));
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
  answers: { fever: false, reason: 'Knee pain' } as Record<string, unknown>,
  consents: [{ formId: 'treat', signedName: 'Alex Tester' }],
});

/** A patient with a visit two days ahead, each at its own hour so bookings never collide. */
async function visitOfNewPatient() {
  const p = await w.patient();
  const visit = await bookAt(t, w, p.id, daysFromNow(2, hour++));
  return { p, visit, url: checkInUrl(p.id, visit.id) };
}

const storedCheckIns = (appointmentId: string) => t.db.select().from(checkIns).where(eq(checkIns.appointmentId, appointmentId));

describe('GET …/check-in: the questionnaire says which questions are required', () => {
  it('answers each question with `required` (true when the definition does not say)', async () => {
    const { p, url } = await visitOfNewPatient();
    const response = await http.get(p.token, url);
    expect(response.statusCode).toBe(200);
    expect(response.json().questionnaire).toEqual([
      { id: 'fever', text: 'Do you have a fever?', kind: 'yes_no', required: true },
      { id: 'reason', text: 'What would you like to discuss?', kind: 'text', required: true },
      { id: 'notes', text: 'Anything else we should know?', kind: 'text', required: false },
      { id: 'travel', text: 'Have you travelled recently?', kind: 'yes_no', required: false },
    ]);
  });
});

describe('GET …/check-in: medications in words a patient recognizes', () => {
  it('names a drug-database medication by ingredient, strength and form (medicationName, packages/fhir)', async () => {
    const { p, url } = await visitOfNewPatient();
    const coded = '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet';
    await buildFhirResource(t.db, {
      organizationId: w.organization.id,
      patientId: p.id,
      status: 'active',
      resource: {
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: {
          coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '860975', display: coded }],
          text: coded,
        },
      },
    });
    const response = await http.get(p.token, url);
    expect(response.statusCode).toBe(200);
    expect(response.json().medications).toMatchObject([{ name: 'Metformin 500 mg extended-release oral tablet' }]);
  });
});

describe('POST …/check-in: required and optional answers', () => {
  it('checks in with the optional questions left out (201), storing only what was answered', async () => {
    const { p, visit, url } = await visitOfNewPatient();
    const response = await http.post(p.token, url, validBody());
    expect(response.statusCode).toBe(201);
    expect((await storedCheckIns(visit.id))[0]!.answers).toEqual({ fever: false, reason: 'Knee pain' });
  });

  it('checks in with a blank optional text answer (201) and does not store it; stores optional answers given', async () => {
    const { p, visit, url } = await visitOfNewPatient();
    const body = { ...validBody(), answers: { fever: true, reason: 'Knee pain', notes: '   ', travel: false, unknown: 'x' } };
    expect((await http.post(p.token, url, body)).statusCode).toBe(201);
    expect((await storedCheckIns(visit.id))[0]!.answers).toEqual({ fever: true, reason: 'Knee pain', travel: false });
  });

  it.each([
    ['a required text question left out', { answers: { fever: false } }, 'answers.reason'],
    ['a required text question left blank', { answers: { fever: false, reason: '  \n ' } }, 'answers.reason'],
    ['a required yes/no question left out (no flag: required)', { answers: { reason: 'Knee pain' } }, 'answers.fever'],
    ['a yes/no question answered with text', { answers: { fever: 'no', reason: 'Knee pain' } }, 'answers.fever'],
    ['an optional yes/no question answered with text', { answers: { fever: false, reason: 'Knee pain', travel: 'yes' } }, 'answers.travel'],
    ['an unsigned consent form', { consents: [] }, 'consents.0'],
    [
      'a consent form of another visit type',
      {
        consents: [
          { formId: 'treat', signedName: 'Alex' },
          { formId: 'x', signedName: 'Alex' },
        ],
      },
      'consents',
    ],
    ['a phone that is not a phone number', { phone: 'call me anytime' }, 'phone'],
    [
      'an emergency contact phone that is not a phone number',
      { emergencyContact: { ...validBody().emergencyContact, phone: 'ask my wife' } },
      'emergencyContact.phone',
    ],
  ])('refuses %s with 400 naming the field, checking nothing in', async (_case, change, field) => {
    const { p, visit, url } = await visitOfNewPatient();
    const response = await http.post(p.token, url, { ...validBody(), ...change });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
    expect(response.json().error.message.startsWith(`${field}: `)).toBe(true);
    expect(await storedCheckIns(visit.id)).toEqual([]);
    expect((await t.db.select().from(appointments).where(eq(appointments.id, visit.id)))[0]!.status).toBe('scheduled');
  });

  it('names the phone in its message, and accepts +, spaces, dots, dashes and parentheses (201)', async () => {
    const bad = await visitOfNewPatient();
    const refused = await http.post(bad.p.token, bad.url, { ...validBody(), phone: '555' });
    expect(refused.json().error.message).toMatch(/^phone: .*your phone number.*7 to 15 digits/);
    const good = await visitOfNewPatient();
    const body = {
      ...validBody(),
      phone: '+1 (617) 555.0199',
      emergencyContact: { ...validBody().emergencyContact, phone: '617 555 0100' },
    };
    expect((await http.post(good.p.token, good.url, body)).statusCode).toBe(201);
  });

  it('answers 401 without a session', async () => {
    const { visit, p } = await visitOfNewPatient();
    expect((await http.post(null, checkInUrl(p.id, visit.id), validBody())).statusCode).toBe(401);
  });

  it('answers any phone and any answer text with 201 or 400, never 500', async () => {
    const { p, url } = await visitOfNewPatient();
    const phoneLike = fc.stringMatching(/^\+?[0-9 ().-]{0,30}$/);
    const anyText = fc.string({ unit: 'binary', maxLength: 80 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(phoneLike, anyText), anyText, async (phone, reason) => {
        const response = await http.post(p.token, url, { ...validBody(), phone, answers: { fever: false, reason } });
        expect([201, 400]).toContain(response.statusCode);
        const hasNul = `${phone}${reason}`.includes('\0');
        if (!isPhoneNumber(phone) && !hasNul) expect(response.json().error.field).toBe('phone');
      }),
      { numRuns: 60 },
    );
  });
});
