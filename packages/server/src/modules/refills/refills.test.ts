import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, messageThreads, pharmacies, refillRequests } from '../../db/schema/index.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { buildRefillWorld, requester } from './refills.fixtures.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof buildRefillWorld>>;
let http: ReturnType<typeof requester>;
const newPharmacy = { name: 'Corner Pharmacy', address: '12 Elm St, Springfield', phone: '555-0142' };

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildRefillWorld(t);
  http = requester(t);
});
afterAll(() => t.close());

const refillsUrl = (patientId: string) => `/api/patients/${patientId}/refills`;
const refillRowsOf = (patientId: string) => t.db.select().from(refillRequests).where(eq(refillRequests.patientId, patientId));

describe('GET /api/patients/:id/refills/medications', () => {
  it('lists the current prescriptions (active, on-hold) in words, with directions and prescriber (200)', async () => {
    const response = await http.get(w.patient.token, `/api/patients/${w.patient.id}/refills/medications`);
    expect(response.statusCode).toBe(200);
    const medications = response.json<{ medications: { id: string; name: string }[] }>().medications;
    expect(medications.map((m) => m.id).sort()).toEqual([w.medications.lisinopril, w.medications.metformin].sort());
    expect(medications.find((m) => m.id === w.medications.lisinopril)).toEqual({
      id: w.medications.lisinopril,
      name: 'Lisinopril 10 mg oral tablet',
      directions: 'Take 1 tablet by mouth daily',
      prescriber: 'Dr. Previous Prescriber',
    });
  });

  it('answers 401 without a session and 404 for another patient', async () => {
    expect((await http.get(null, `/api/patients/${w.patient.id}/refills/medications`)).statusCode).toBe(401);
    const response = await http.get(w.other.token, `/api/patients/${w.patient.id}/refills/medications`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).not.toHaveProperty('medications');
  });
});

describe('GET and POST /api/patients/:id/pharmacies', () => {
  it('adds a pharmacy to the patient list (201) and lists it (200)', async () => {
    const added = await http.post(w.other.token, `/api/patients/${w.other.id}/pharmacies`, newPharmacy);
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject(newPharmacy);
    const listed = await http.get(w.other.token, `/api/patients/${w.other.id}/pharmacies`);
    expect(listed.json()).toEqual({ pharmacies: [added.json()] });
  });

  it('refuses a pharmacy without a name (400 naming name)', async () => {
    const response = await http.post(w.patient.token, `/api/patients/${w.patient.id}/pharmacies`, { ...newPharmacy, name: '  ' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('name');
  });

  it('answers 401 without a session and 404 for another patient, adding nothing', async () => {
    expect((await http.get(null, `/api/patients/${w.patient.id}/pharmacies`)).statusCode).toBe(401);
    expect((await http.get(w.other.token, `/api/patients/${w.patient.id}/pharmacies`)).statusCode).toBe(404);
    expect((await http.post(w.other.token, `/api/patients/${w.patient.id}/pharmacies`, newPharmacy)).statusCode).toBe(404);
    expect(await t.db.select().from(pharmacies).where(eq(pharmacies.patientId, w.patient.id))).toEqual([]);
  });
});

describe('POST /api/patients/:id/refills', () => {
  const valid = () => ({ medicationIds: [w.medications.lisinopril], newPharmacy, note: 'Running out on Friday.' });

  it.each([
    ['someone else’s medication', () => ({ ...valid(), medicationIds: [w.medications.othersMedicine] }), 'medicationIds'],
    ['a stopped medication', () => ({ ...valid(), medicationIds: [w.medications.lisinopril, w.medications.stopped] }), 'medicationIds'],
    ['no medication', () => ({ ...valid(), medicationIds: [] }), 'medicationIds'],
    ['both a listed and a new pharmacy', () => ({ ...valid(), pharmacyId: w.medications.lisinopril }), 'pharmacyId'],
    ['a pharmacy not on the list', () => ({ ...valid(), newPharmacy: undefined, pharmacyId: w.medications.lisinopril }), 'pharmacyId'],
  ])('refuses %s with 400 naming the field, storing nothing (not even the new pharmacy)', async (_case, body, field) => {
    const response = await http.post(w.patient.token, refillsUrl(w.patient.id), body());
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
    expect(await refillRowsOf(w.patient.id)).toEqual([]);
    expect(await t.db.select().from(pharmacies).where(eq(pharmacies.patientId, w.patient.id))).toEqual([]);
  });

  it('answers 401 without a session', async () => {
    expect((await http.post(null, refillsUrl(w.patient.id), valid())).statusCode).toBe(401);
  });

  it('answers 404 for another patient’s record and 403 for staff asking on the patient’s behalf', async () => {
    expect((await http.post(w.other.token, refillsUrl(w.patient.id), valid())).statusCode).toBe(404);
    expect((await http.post(w.pcp.token, refillsUrl(w.patient.id), valid())).statusCode).toBe(403);
    expect(await refillRowsOf(w.patient.id)).toEqual([]);
  });

  it('creates one request per Idempotency-Key: a retry gets the first answer; another body with the key gets 409', async () => {
    const headers = { 'idempotency-key': 'refill-attempt-1' };
    const first = await http.post(w.patient.token, refillsUrl(w.patient.id), valid(), headers);
    expect(first.statusCode).toBe(201);
    const retry = await http.post(w.patient.token, refillsUrl(w.patient.id), valid(), headers);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    const changed = await http.post(w.patient.token, refillsUrl(w.patient.id), { ...valid(), note: 'Something else' }, headers);
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('idempotency_key_reused');
    expect(await refillRowsOf(w.patient.id)).toHaveLength(1);
    expect(await t.db.select().from(pharmacies).where(eq(pharmacies.patientId, w.patient.id))).toHaveLength(1);
    const threads = await t.db.select().from(messageThreads).where(eq(messageThreads.patientId, w.patient.id));
    expect(threads).toHaveLength(1);
  });

  it('puts the request in the pool of the patient’s PCP, as a thread whose first message names the medicines', async () => {
    const [pharmacy] = await t.db.select().from(pharmacies).where(eq(pharmacies.patientId, w.patient.id));
    const body = { medicationIds: [w.medications.metformin, w.medications.lisinopril], pharmacyId: pharmacy!.id, note: null };
    const response = await http.post(w.patient.token, refillsUrl(w.patient.id), body);
    expect(response.statusCode).toBe(201);
    const view = response.json();
    expect(view).toMatchObject({ status: 'requested', note: null, denialReason: null, decidedAt: null, pharmacy: { id: pharmacy!.id } });
    expect(view.medications.map((m: { name: string }) => m.name)).toEqual(['Metformin 500 mg oral tablet', 'Lisinopril 10 mg oral tablet']);
    const [thread] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, view.threadId));
    expect(thread).toMatchObject({
      topic: 'refill',
      subject: 'Prescription refill request',
      status: 'waiting',
      departmentId: w.pools.internalMedicine,
      createdBy: w.patient.userId,
    });
    const [message] = await t.db.select().from(messages).where(eq(messages.threadId, view.threadId));
    expect(message).toMatchObject({ authorId: w.patient.userId, authorRole: 'patient', internal: false });
    expect(message!.body).toContain('Metformin 500 mg oral tablet (Take 1 tablet twice a day)');
    expect(message!.body).not.toContain(' MG ');
    expect(message!.body).toContain('Corner Pharmacy, 12 Elm St, Springfield');
  });

  it('puts the request of a patient without a PCP in the organization’s first pool by name', async () => {
    const medicine = w.medications.othersMedicine;
    const response = await http.post(w.other.token, refillsUrl(w.other.id), { medicationIds: [medicine], newPharmacy });
    expect(response.statusCode).toBe(201);
    const [thread] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, response.json().threadId));
    expect(thread!.departmentId).toBe(w.pools.familyMedicine);
  });
});

describe('GET /api/patients/:id/refills', () => {
  it('lists every request of the patient, newest first, with its status (200)', async () => {
    const response = await http.get(w.patient.token, refillsUrl(w.patient.id));
    expect(response.statusCode).toBe(200);
    const refills = response.json<{ refills: { status: string; note: string | null }[] }>().refills;
    expect(refills.map((r) => [r.status, r.note])).toEqual([
      ['requested', null],
      ['requested', 'Running out on Friday.'],
    ]);
  });

  it('answers 401 without a session and 404 for another patient', async () => {
    expect((await http.get(null, refillsUrl(w.patient.id))).statusCode).toBe(401);
    expect((await http.get(w.other.token, refillsUrl(w.patient.id))).statusCode).toBe(404);
  });

  it('shows the care team only the requests whose thread sits in their pools, as the inbox does (outside check)', async () => {
    const [first] = await refillRowsOf(w.patient.id);
    const threadIdsOf = async (token: string) =>
      (await http.get(token, refillsUrl(w.patient.id))).json<{ refills: { threadId: string }[] }>().refills.map((r) => r.threadId);
    expect(await threadIdsOf(w.nurse.token)).toContain(first!.threadId);
    expect(await threadIdsOf(w.otherClinician.token)).not.toContain(first!.threadId);
    const forward = await http.post(w.nurse.token, `/api/inbox/threads/${first!.threadId}/forward`, {
      departmentId: w.pools.familyMedicine,
      note: 'For Family Medicine',
    });
    expect(forward.statusCode).toBe(200);
    // Forwarded out of Internal Medicine: its nurse no longer sees it, here or in the inbox; Family Medicine now does.
    expect(await threadIdsOf(w.nurse.token)).not.toContain(first!.threadId);
    expect((await http.get(w.nurse.token, `/api/inbox/threads/${first!.threadId}`)).statusCode).toBe(404);
    expect(await threadIdsOf(w.otherClinician.token)).toContain(first!.threadId);
    expect(await threadIdsOf(w.patient.token)).toContain(first!.threadId);
  });
});
