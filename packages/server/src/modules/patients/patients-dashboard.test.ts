import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import {
  accessGrants,
  appointments,
  auditEvents,
  checkIns,
  fhirResources,
  messages,
  messageThreads,
  pharmacies,
  refillRequests,
  resultHolds,
  threadReads,
} from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';

/**
 * Issue 10 §2.3: the patient's home summary carries their dashboard (unread conversations, new results, open refill
 * requests, check-ins to fill in) in the same audited read; nobody else gets it.
 */

const day = 86_400_000;
const minute = 60_000;

let t: TestApp;
let org: Awaited<ReturnType<typeof buildOrganization>>;
let clinicianId: string;
let self: { id: string; userId: string; token: string };
/** A patient with one visit, too far ahead for its check-in to be open, and nothing else. */
let later: { id: string; token: string };
/** A patient with nothing at all. */
let empty: { id: string; token: string };
let clinicianToken: string;
/** Marisol's daughter, a proxy with every area; and a proxy who may only see demographics and appointments. */
let fullProxy: { id: string; token: string };
let appointmentsProxyToken: string;
let otherPatientToken: string;
let dueVisitId: string;
let inProgressVisitId: string;

async function visit(patientId: string, startsIn: number, status = 'scheduled', minutes = 20) {
  const startAt = new Date(Date.now() + startsIn);
  const [row] = await t.db
    .insert(appointments)
    .values({
      patientId,
      organizationId: org.organization.id,
      departmentId: org.department.id,
      clinicianId,
      startAt,
      endAt: new Date(startAt.getTime() + minutes * minute),
      timeZone: 'America/New_York',
      visitType: 'Office visit',
      status,
    })
    .returning();
  return row!.id;
}

async function checkedIn(appointmentId: string, patientId: string) {
  await t.db.insert(checkIns).values({
    appointmentId,
    patientId,
    address: '9 Elm St',
    phone: '+1 555 0100',
    emergencyContact: { name: 'Ana', phone: '+1 555 0101', relationship: 'sister' },
    insurance: { none: true },
    medicationsReviewed: true,
    allergiesReviewed: true,
    answers: [],
    consents: [],
  });
}

/** A thread of `patientId` with messages by the given authors, `minutesAgo` each; read by the patient at `readAt`. */
async function thread(
  patientId: string,
  posts: { authorId: string; role: string; minutesAgo: number; internal?: boolean }[],
  readAt?: Date,
) {
  const [row] = await t.db
    .insert(messageThreads)
    .values({
      organizationId: org.organization.id,
      patientId,
      departmentId: org.department.id,
      topic: 'medical_question',
      subject: 'A question',
      createdBy: self.userId,
    })
    .returning();
  for (const post of posts) {
    await t.db.insert(messages).values({
      threadId: row!.id,
      patientId,
      authorId: post.authorId,
      authorRole: post.role,
      body: 'Text',
      internal: post.internal ?? false,
      createdAt: new Date(Date.now() - post.minutesAgo * minute),
    });
  }
  if (readAt) await t.db.insert(threadReads).values({ threadId: row!.id, userId: self.userId, lastReadAt: readAt });
  return row!.id;
}

async function refill(patientId: string, status: 'requested' | 'approved' | 'denied') {
  const threadId = await thread(patientId, [{ authorId: self.userId, role: 'patient', minutesAgo: 5 }]);
  const [pharmacy] = await t.db.insert(pharmacies).values({ patientId, name: 'Corner Drug', address: '2 Main St' }).returning();
  await t.db.insert(refillRequests).values({
    threadId,
    patientId,
    medicationIds: [randomUUID()],
    pharmacyId: pharmacy!.id,
    status,
    ...(status === 'denied' ? { denialReason: 'Needs a visit first.' } : {}),
  });
}

/** A laboratory result stored `storedDaysAgo` days ago; a report lists its members by reference. */
async function result(input: { storedDaysAgo: number; category?: string; members?: string[]; patientId?: string }) {
  const row = await buildFhirResource(t.db, {
    organizationId: org.organization.id,
    patientId: input.patientId ?? self.id,
    resource: input.members
      ? { resourceType: 'DiagnosticReport', status: 'final', result: input.members.map((id) => ({ reference: `Observation/${id}` })) }
      : { resourceType: 'Observation', status: 'final', code: { text: 'Potassium' }, valueQuantity: { value: 4.1, unit: 'mmol/L' } },
    category: input.category ?? 'laboratory',
    effectiveAt: new Date(Date.now() - 50 * day),
    status: 'final',
  });
  await t.db
    .update(fhirResources)
    .set({ lastUpdated: new Date(Date.now() - input.storedDaysAgo * day) })
    .where(eq(fhirResources.id, row.id));
  return row.id;
}

beforeAll(async () => {
  t = await buildTestApp();
  org = await buildOrganization(t.db);
  const clinician = await buildUser(t.db, { role: 'clinician', organizationId: org.organization.id, mfa: true });
  clinicianId = clinician.id;
  clinicianToken = await signInAs(t.db, clinician);
  const marisol = await buildPatient(t.db, org.organization.id, { withAccount: true, givenName: 'Marisol', pcpId: clinicianId });
  self = { id: marisol.patient.id, userId: marisol.user!.id, token: await signInAs(t.db, marisol.user!) };
  const other = await buildPatient(t.db, org.organization.id, { withAccount: true });
  otherPatientToken = await signInAs(t.db, other.user!);
  const laterPatient = await buildPatient(t.db, org.organization.id, { withAccount: true });
  later = { id: laterPatient.patient.id, token: await signInAs(t.db, laterPatient.user!) };
  const emptyPatient = await buildPatient(t.db, org.organization.id, { withAccount: true });
  empty = { id: emptyPatient.patient.id, token: await signInAs(t.db, emptyPatient.user!) };

  // Conversations: one with a reply after the patient's last read (unread), one read since, one with only the
  // patient's own words, one with only an internal note (never shown to the patient), and another patient's.
  await thread(self.id, [{ authorId: clinicianId, role: 'clinician', minutesAgo: 10 }], new Date(Date.now() - 60 * minute));
  await thread(self.id, [{ authorId: clinicianId, role: 'clinician', minutesAgo: 10 }], new Date());
  await thread(self.id, [{ authorId: self.userId, role: 'patient', minutesAgo: 10 }]);
  await thread(self.id, [{ authorId: clinicianId, role: 'clinician', minutesAgo: 10, internal: true }]);
  await thread(other.patient.id, [{ authorId: clinicianId, role: 'clinician', minutesAgo: 10 }]);

  // Refill requests: two waiting for a decision, one approved, one denied.
  await refill(self.id, 'requested');
  await refill(self.id, 'requested');
  await refill(self.id, 'approved');
  await refill(self.id, 'denied');

  // Visits: one in progress and one in 2 days with check-in open, one in 3 days already checked in, one in 10 days
  // (check-in not open yet), a cancelled one and a past one.
  inProgressVisitId = await visit(self.id, -10 * minute, 'scheduled', 30);
  dueVisitId = await visit(self.id, 2 * day);
  await checkedIn(await visit(self.id, 3 * day, 'checked_in'), self.id);
  await visit(self.id, 10 * day);
  await visit(self.id, 1 * day, 'cancelled');
  await visit(self.id, -5 * day, 'completed');
  await visit(later.id, 10 * day);

  const daughter = await buildUser(t.db, { role: 'proxy' });
  const neighbour = await buildUser(t.db, { role: 'proxy' });
  for (const [user, categories] of [
    [daughter, ['demographics', 'clinical', 'appointments', 'billing', 'preferences', 'messages']],
    [neighbour, ['demographics', 'appointments']],
  ] as const) {
    await t.db.insert(accessGrants).values({
      granteeUserId: user.id,
      patientId: self.id,
      kind: 'proxy',
      level: 'full',
      categories: [...categories],
      relationship: 'invited',
      grantedBy: self.userId,
    });
  }
  fullProxy = { id: daughter.id, token: await signInAs(t.db, daughter) };
  appointmentsProxyToken = await signInAs(t.db, neighbour);
});
afterAll(() => t.close());

const summary = (token: string | null, id: string) =>
  t.app.inject({ method: 'GET', url: `/api/patients/${id}/summary`, headers: token ? cookieFor(token) : {} });

describe('GET /api/patients/:id/summary: the patient dashboard', () => {
  it('counts unread conversations, open refill requests and the check-ins the patient can fill in now', async () => {
    const response = await summary(self.token, self.id);
    expect(response.statusCode).toBe(200);
    const { attention, nextAppointment } = response.json();
    expect(attention).toMatchObject({ unreadMessages: 1, openRefills: 2 });
    expect(attention.checkInsDue.map((c: { appointmentId: string }) => c.appointmentId)).toEqual([inProgressVisitId, dueVisitId]);
    expect(attention.checkInsDue[1]).toEqual({
      appointmentId: dueVisitId,
      startAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      timeZone: 'America/New_York',
      visitType: 'Office visit',
    });
    expect(nextAppointment.id).toBe(dueVisitId);
    expect(attention.nextCheckIn).toEqual({
      state: 'open',
      opensAt: new Date(Date.parse(nextAppointment.startAt) - 7 * day).toISOString(),
    });
  });

  it('counts as new the results that reached the patient since they last read the results list, reports with their members once', async () => {
    const before = (await summary(self.token, self.id)).json().attention.newResults;
    expect(before).toBe(0);

    const member = await result({ storedDaysAgo: 2 });
    await result({ storedDaysAgo: 2, members: [member] });
    await result({ storedDaysAgo: 2 });
    await result({ storedDaysAgo: 2, category: 'vital-signs' });
    await result({ storedDaysAgo: 45 });
    const held = await result({ storedDaysAgo: 2 });
    await t.db.insert(resultHolds).values({ resourceId: held, patientId: self.id, kind: 'patient_preference' });
    const releasedLately = await result({ storedDaysAgo: 45 });
    await t.db.insert(resultHolds).values({
      resourceId: releasedLately,
      patientId: self.id,
      kind: 'patient_preference',
      releasedAt: new Date(Date.now() - 1 * day),
    });
    await result({ storedDaysAgo: 2, patientId: later.id });

    // Never read: the last 30 days. The report and its member count once; vitals, an old result and a held one not;
    // a result released from its hold yesterday does.
    expect((await summary(self.token, self.id)).json().attention.newResults).toBe(3);

    // Read the list 1.5 days ago: only what reached her after that (the release) is new.
    await t.db.execute(sql`insert into results_seen (user_id, patient_id, seen_before, last_read_at)
      values (${self.userId}, ${self.id}, now() - interval '40 days', now() - interval '36 hours')`);
    expect((await summary(self.token, self.id)).json().attention.newResults).toBe(1);
  });

  it('says when the next visit’s check-in opens, counts only the patient’s own, and has nothing for a patient with nothing waiting', async () => {
    const laterBody = (await summary(later.token, later.id)).json();
    // Their one result (stored above): Marisol's never count for them.
    expect(laterBody.attention).toMatchObject({ unreadMessages: 0, newResults: 1, openRefills: 0, checkInsDue: [] });
    expect(laterBody.attention.nextCheckIn).toEqual({
      state: 'not_open',
      opensAt: new Date(Date.parse(laterBody.nextAppointment.startAt) - 7 * day).toISOString(),
    });

    const emptyBody = (await summary(empty.token, empty.id)).json();
    expect(emptyBody).toMatchObject({ nextAppointment: null, recentResults: [] });
    expect(emptyBody.attention).toEqual({ unreadMessages: 0, newResults: 0, openRefills: 0, checkInsDue: [], nextCheckIn: null });
  });

  it('marks the next visit’s check-in done once it is checked in', async () => {
    await checkedIn(dueVisitId, self.id);
    await t.db.update(appointments).set({ status: 'checked_in' }).where(eq(appointments.id, dueVisitId));
    const { attention } = (await summary(self.token, self.id)).json();
    expect(attention.nextCheckIn.state).toBe('done');
    expect(attention.checkInsDue.map((c: { appointmentId: string }) => c.appointmentId)).toEqual([inProgressVisitId]);
  });

  it('audits the read once, naming messages among the categories read', async () => {
    const response = await summary(self.token, self.id);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));
    expect(events).toMatchObject([{ action: 'patient.summary.read', outcome: 'success', patientId: self.id, actorUserId: self.userId }]);
    expect((events[0]!.details as { categories: string[] }).categories).toContain('messages');
  });

  it('gives staff reading the summary no dashboard (null), and never the patient’s unread marks', async () => {
    const response = await summary(clinicianToken, self.id);
    expect(response.statusCode).toBe(200);
    expect(response.json().attention).toBeNull();
    expect(response.json().nextAppointment).not.toBeNull();
  });

  it('gives a proxy with every area the dashboard, counting unread by the proxy’s own reads (issue 11)', async () => {
    const response = await summary(fullProxy.token, self.id);
    expect(response.statusCode).toBe(200);
    const { attention } = response.json();
    // Nothing is read by the daughter yet: every conversation with a visible message by someone else is unread to
    // her (three threads and four refill threads; the internal note stays hidden), whatever Marisol has read.
    expect(attention).toMatchObject({ unreadMessages: 7, openRefills: 2 });
    expect(attention.checkInsDue.map((c: { appointmentId: string }) => c.appointmentId)).toEqual([inProgressVisitId]);
    const [first] = await t.db.select({ id: messageThreads.id }).from(messageThreads).where(eq(messageThreads.patientId, self.id)).limit(1);
    await t.db.insert(threadReads).values({ threadId: first!.id, userId: fullProxy.id, lastReadAt: new Date() });
    expect((await summary(fullProxy.token, self.id)).json().attention.unreadMessages).toBe(6);
  });

  it('gives a proxy without messages and the record no dashboard (null), though the next visit shows', async () => {
    const response = await summary(appointmentsProxyToken, self.id);
    expect(response.statusCode).toBe(200);
    expect(response.json().attention).toBeNull();
    expect(response.json().recentResults).toBeNull();
    expect(response.json().nextAppointment).not.toBeNull();
  });

  it('answers 404 to another patient, with no counts', async () => {
    const response = await summary(otherPatientToken, self.id);
    expect(response.statusCode).toBe(404);
    expect(Object.keys(response.json())).toEqual(['error']);
    expect(response.body).not.toMatch(/unreadMessages|openRefills/);
  });

  it('answers 401 without a session cookie', async () => {
    const response = await summary(null, self.id);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
  });
});
