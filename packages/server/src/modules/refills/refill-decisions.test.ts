import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  fhirResources,
  fhirResourceVersions,
  messages,
  messageThreads,
  outbox,
  refillRequests,
} from '../../db/schema/index.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { buildRefillWorld, requester } from './refills.fixtures.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof buildRefillWorld>>;
let http: ReturnType<typeof requester>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildRefillWorld(t);
  http = requester(t);
});
afterAll(() => t.close());

/** The patient asks for a refill of these medicines; answers the new request's view. */
async function requestRefill(medicationIds: string[]) {
  const body = { medicationIds, newPharmacy: { name: 'Corner Pharmacy', address: '12 Elm St', phone: null }, note: 'Please' };
  const response = await http.post(w.patient.token, `/api/patients/${w.patient.id}/refills`, body);
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string; threadId: string }>();
}
const approve = (token: string | null, threadId: string) => http.post(token, `/api/inbox/threads/${threadId}/refill/approve`, {});
const deny = (token: string | null, threadId: string, reason: string) =>
  http.post(token, `/api/inbox/threads/${threadId}/refill/deny`, { reason });
const resource = async (id: string) => (await t.db.select().from(fhirResources).where(eq(fhirResources.id, id)))[0]!;
const mailForRefill = (refillId: string) =>
  t.db
    .select()
    .from(outbox)
    .where(like(outbox.eventKey, `refill:${refillId}:%`));

describe('POST /api/inbox/threads/:threadId/refill/approve', () => {
  it('renews the prescription in the record, answers the patient in the thread and emails them without naming the drug', async () => {
    const refill = await requestRefill([w.medications.lisinopril]);
    const response = await approve(w.pcp.token, refill.threadId);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: refill.id, status: 'approved', denialReason: null });

    const [stored] = await t.db.select().from(refillRequests).where(eq(refillRequests.id, refill.id));
    expect(stored).toMatchObject({ status: 'approved', decidedBy: w.pcp.id });
    expect(stored!.renewalIds).toHaveLength(1);
    const renewal = await resource(stored!.renewalIds![0]!);
    expect(renewal).toMatchObject({
      patientId: w.patient.id,
      resourceType: 'MedicationRequest',
      status: 'active',
      code: 'http://www.nlm.nih.gov/research/umls/rxnorm|314076',
      versionId: 1,
    });
    expect(renewal.effectiveAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(renewal.resource).toMatchObject({
      id: renewal.id,
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${w.patient.id}` },
      requester: { display: 'Dr. Sarah Chen' },
      priorPrescription: { reference: `MedicationRequest/${w.medications.lisinopril}` },
      medicationCodeableConcept: { coding: [{ code: '314076' }] },
      dosageInstruction: [{ text: 'Take 1 tablet by mouth daily' }],
    });

    const old = await resource(w.medications.lisinopril);
    expect(old).toMatchObject({ status: 'completed', versionId: 2 });
    expect(old.resource).toMatchObject({ status: 'completed' });
    const history = await t.db.select().from(fhirResourceVersions).where(eq(fhirResourceVersions.id, w.medications.lisinopril));
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ versionId: 1, resource: { status: 'active' } });

    const summary = (await http.get(w.patient.token, `/api/patients/${w.patient.id}/record/summary`)).json();
    const current = summary.medications.filter((m: { current: boolean }) => m.current);
    expect(current.find((m: { id: string }) => m.id === renewal.id)).toMatchObject({ status: 'active', prescriber: 'Dr. Sarah Chen' });
    expect(current.map((m: { id: string }) => m.id)).not.toContain(w.medications.lisinopril);

    const listed = (await http.get(w.patient.token, `/api/patients/${w.patient.id}/refills`)).json().refills;
    expect(listed.find((r: { id: string }) => r.id === refill.id)).toMatchObject({ status: 'approved' });

    const [thread] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, refill.threadId));
    expect(thread!.status).toBe('answered');
    const threadMessages = await t.db.select().from(messages).where(eq(messages.threadId, refill.threadId));
    expect(threadMessages.find((m) => m.authorId === w.pcp.id)!.body).toContain('approved');

    const queued = await mailForRefill(refill.id);
    expect(queued.map((r) => r.eventKey)).toEqual([`refill:${refill.id}:${w.patient.userId}:email`]);
    const mail = (await t.mail()).filter((m) => m.toAddress === w.patient.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain('/messages/refills');
    expect(`${mail[0]!.subject} ${mail[0]!.text}`).not.toMatch(/lisinopril|314076/i);

    const [audited] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'refill.approve'), eq(auditEvents.outcome, 'success')));
    expect(audited).toMatchObject({ actorUserId: w.pcp.id, patientId: w.patient.id });
  });

  it('answers 409 to a second decision, and exactly one of racing approvals succeeds', async () => {
    const refill = await requestRefill([w.medications.metformin]);
    const answers = await Promise.all(Array.from({ length: 5 }, () => approve(w.pcp.token, refill.threadId)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
    expect((await deny(w.pcp.token, refill.threadId, 'Too late')).statusCode).toBe(409);
    const renewals = await t.db
      .select()
      .from(fhirResources)
      .where(and(eq(fhirResources.patientId, w.patient.id), eq(fhirResources.code, 'http://www.nlm.nih.gov/research/umls/rxnorm|860975')));
    expect(renewals.map((r) => r.status).sort()).toEqual(['active', 'completed']);
  });

  it('refuses a nurse of the pool with 403 and a clinician of another pool with 404, changing nothing', async () => {
    const refill = await requestRefill(await currentLisinopril());
    expect((await approve(w.nurse.token, refill.threadId)).statusCode).toBe(403);
    const outsider = await approve(w.otherClinician.token, refill.threadId);
    expect(outsider.statusCode).toBe(404);
    expect(outsider.json()).not.toHaveProperty('status');
    expect((await approve(w.patient.token, refill.threadId)).statusCode).toBe(404);
    const [stored] = await t.db.select().from(refillRequests).where(eq(refillRequests.id, refill.id));
    expect(stored!.status).toBe('requested');
  });

  it('answers 401 without a session and 404 for a thread that does not exist', async () => {
    const refill = await requestRefill(await currentLisinopril());
    expect((await approve(null, refill.threadId)).statusCode).toBe(401);
    expect((await approve(w.pcp.token, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('POST /api/inbox/threads/:threadId/refill/deny', () => {
  it('records the reason the patient sees, answers in the thread and notifies the patient, leaving the record as it was', async () => {
    const medicine = await currentLisinopril();
    const refill = await requestRefill(medicine);
    const response = await deny(w.pcp.token, refill.threadId, 'We need to see you first; please book a visit.');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'denied', denialReason: 'We need to see you first; please book a visit.' });
    const listed = (await http.get(w.patient.token, `/api/patients/${w.patient.id}/refills`)).json().refills;
    expect(listed.find((r: { id: string }) => r.id === refill.id)).toMatchObject({
      status: 'denied',
      denialReason: 'We need to see you first; please book a visit.',
    });
    expect((await resource(medicine[0]!)).status).toBe('active');
    const replies = await t.db
      .select()
      .from(messages)
      .where(and(eq(messages.threadId, refill.threadId), eq(messages.authorId, w.pcp.id)));
    expect(replies[0]!.body).toContain('please book a visit');
    expect(await mailForRefill(refill.id)).toHaveLength(1);
  });

  it('refuses a reason too short to help the patient (400 naming reason) and a nurse (403)', async () => {
    const refill = await requestRefill(await currentLisinopril());
    const short = await deny(w.pcp.token, refill.threadId, 'no');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.field).toBe('reason');
    expect((await deny(w.nurse.token, refill.threadId, 'Not my call to make')).statusCode).toBe(403);
    expect((await deny(w.otherClinician.token, refill.threadId, 'Not my pool at all')).statusCode).toBe(404);
  });
});

/** The patient's current lisinopril order (the first approval replaced the original with a renewal). */
async function currentLisinopril(): Promise<string[]> {
  const rows = await t.db
    .select({ id: fhirResources.id })
    .from(fhirResources)
    .where(
      and(
        eq(fhirResources.patientId, w.patient.id),
        eq(fhirResources.code, 'http://www.nlm.nih.gov/research/umls/rxnorm|314076'),
        eq(fhirResources.status, 'active'),
      ),
    );
  return rows.map((r) => r.id);
}
