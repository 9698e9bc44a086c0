import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { messagingLimits } from '@portico/shared';
import { auditEvents, messages, messageThreads, outbox, pharmacies, refillRequests, threadReads, users } from '../../db/schema/index.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { buildMessagingWorld, newThread, requestsFor, sampleFiles, type MessagingWorld, type Person } from './messaging.fixtures.ts';
import { closeThread, postMessage } from './threads.service.ts';

let t: TestApp;
let w: MessagingWorld;
let http: ReturnType<typeof requestsFor>;

const base = (patientId: string) => `/api/patients/${patientId}/messages`;
const threadsUrl = (patientId: string) => `${base(patientId)}/threads`;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildMessagingWorld(t);
  http = requestsFor(t);
});
afterAll(async () => t?.close());

/** Starts a thread as the patient through the API and returns its id. */
async function startThread(who: Person & { patientId: string }, overrides: Record<string, unknown> = {}) {
  const response = await http.post(who, threadsUrl(who.patientId), newThread(w, overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().thread.id as string;
}

/** A care-team message in a thread, written through the shared core the inbox uses. */
function staffWrites(threadId: string, patientId: string, author: Person, body: string, internal = false) {
  const role = author.id === w.nurse.id ? ('nurse' as const) : ('clinician' as const);
  return t.db.transaction((tx) => postMessage(tx, { threadId, patientId, author: { userId: author.id, role }, body, internal }));
}

/** Lets the patient start more threads today: moves their threads' creation back two days. */
async function forgetTodaysThreads(patientId: string) {
  await t.db
    .update(messageThreads)
    .set({ createdAt: sql`${messageThreads.createdAt} - interval '2 days'` })
    .where(eq(messageThreads.patientId, patientId));
}

describe('GET /api/patients/:id/messages/recipients', () => {
  it("offers the PCP's office, then the care teams and clinicians of past visits, each once", async () => {
    const response = await http.get(w.patient, `${base(w.patient.patientId)}/recipients`);
    expect(response.statusCode).toBe(200);
    expect(response.json().recipients).toEqual([
      { departmentId: w.familyMedicine, clinicianId: w.pcp.id, label: 'Dr. Sarah Chen (Family Medicine)', reason: 'pcp' },
      { departmentId: w.familyMedicine, clinicianId: null, label: 'Family Medicine care team', reason: 'seen' },
      { departmentId: w.familyMedicine, clinicianId: w.nurse.id, label: 'Nora Diaz, RN (Family Medicine)', reason: 'seen' },
      { departmentId: w.cardiology, clinicianId: null, label: 'Cardiology care team', reason: 'seen' },
      { departmentId: w.cardiology, clinicianId: w.cardiologist.id, label: 'Dr. Omar Haddad (Cardiology)', reason: 'seen' },
    ]);
  });

  it('offers nothing to a patient with no PCP and no visits', async () => {
    const response = await http.get(w.otherPatient, `${base(w.otherPatient.patientId)}/recipients`);
    expect(response.statusCode).toBe(200);
    expect(response.json().recipients).toEqual([]);
  });

  it('answers 401 without a session and 400 for a malformed id', async () => {
    expect((await http.get(null, `${base(w.patient.patientId)}/recipients`)).statusCode).toBe(401);
    expect((await http.get(w.patient, `${base('not-a-uuid')}/recipients`)).statusCode).toBe(400);
  });

  it("answers 404 for another patient's record and for staff, and audits the denial", async () => {
    expect((await http.get(w.otherPatient, `${base(w.patient.patientId)}/recipients`)).statusCode).toBe(404);
    const staff = await http.get(w.pcp, `${base(w.patient.patientId)}/recipients`);
    expect(staff.statusCode).toBe(404);
    expect(staff.json().error.message).toBe('The patient was not found.');
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, w.pcp.id), eq(auditEvents.action, 'message.recipients.read')));
    expect(event).toMatchObject({ outcome: 'denied', patientId: w.patient.patientId });
  });
});

describe('POST /api/patients/:id/messages/threads', () => {
  it('answers 201 with the thread, stores it waiting for the care team, and audits its ids', async () => {
    const body = newThread(w, { subject: 'Knee pain', body: 'It hurts on stairs.\n\nSince Monday.' });
    const response = await http.post(w.patient, threadsUrl(w.patient.patientId), body);
    expect(response.statusCode).toBe(201);
    const detail = response.json();
    expect(detail.thread).toMatchObject({
      subject: 'Knee pain',
      topic: 'medical_question',
      status: 'waiting',
      recipientLabel: 'Dr. Sarah Chen (Family Medicine)',
      unread: false,
      previousThreadId: null,
      canReply: true,
    });
    expect(detail.messages).toHaveLength(1);
    expect(detail.messages[0]).toMatchObject({
      authorName: 'Maria Lopez',
      authorRole: 'patient',
      mine: true,
      body: 'It hurts on stairs.\n\nSince Monday.',
      internal: false,
      attachments: [],
    });
    expect(detail.refill).toBeNull();
    const [thread] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, detail.thread.id));
    expect(thread).toMatchObject({
      patientId: w.patient.patientId,
      organizationId: w.orgA,
      departmentId: w.familyMedicine,
      clinicianId: w.pcp.id,
      createdBy: w.patient.id,
      assignedTo: null,
    });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'message.thread.create'))
      .orderBy(desc(auditEvents.occurredAt))
      .limit(1);
    expect(event).toMatchObject({ outcome: 'success', patientId: w.patient.patientId, actorUserId: w.patient.id });
    expect(event!.details).toMatchObject({ threadId: detail.thread.id, messageId: detail.messages[0].id });
  });

  it('ignores body fields that try to set the sender, patient, pool internals, status or assignee', async () => {
    const body = newThread(w, {
      patientId: w.otherPatient.patientId,
      authorId: w.pcp.id,
      authorRole: 'clinician',
      createdBy: w.pcp.id,
      organizationId: w.orgB,
      internal: true,
      status: 'closed',
      assignedTo: w.nurse.id,
      createdAt: '2000-01-01T00:00:00Z',
    });
    const response = await http.post(w.patient, threadsUrl(w.patient.patientId), body);
    expect(response.statusCode).toBe(201);
    const id = response.json().thread.id as string;
    const [thread] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, id));
    expect(thread).toMatchObject({
      patientId: w.patient.patientId,
      organizationId: w.orgA,
      createdBy: w.patient.id,
      status: 'waiting',
      assignedTo: null,
    });
    expect(thread!.createdAt.getFullYear()).toBeGreaterThan(2000);
    const stored = await t.db.select().from(messages).where(eq(messages.threadId, id));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ authorId: w.patient.id, authorRole: 'patient', internal: false, patientId: w.patient.patientId });
  });

  it('writes to a care team without choosing a clinician', async () => {
    const response = await http.post(
      w.patient,
      threadsUrl(w.patient.patientId),
      newThread(w, { departmentId: w.cardiology, clinicianId: null }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().thread.recipientLabel).toBe('Cardiology care team');
  });

  it.each([
    ['a department of another organization', () => ({ departmentId: w.orgBDepartment, clinicianId: null }), 'departmentId'],
    ['a department the patient was never seen in', () => ({ departmentId: w.dermatology, clinicianId: null }), 'departmentId'],
    ['an unknown department', () => ({ departmentId: randomUUID(), clinicianId: null }), 'departmentId'],
    ['a clinician outside the department', () => ({ clinicianId: w.cardiologist.id }), 'clinicianId'],
    ['a clinician of another organization', () => ({ clinicianId: w.foreignClinician.id }), 'clinicianId'],
    ['a malformed department id', () => ({ departmentId: 'family-medicine' }), 'departmentId'],
    ['an empty subject', () => ({ subject: '' }), 'subject'],
    ['a blank subject', () => ({ subject: ' \n\t ' }), 'subject'],
    ['a subject over 200 characters', () => ({ subject: 'x'.repeat(201) }), 'subject'],
    ['an empty body', () => ({ body: '' }), 'body'],
    ['a blank body', () => ({ body: '   \n ' }), 'body'],
    ['a body over 10,000 characters', () => ({ body: 'x'.repeat(messagingLimits.bodyMaxLength + 1) }), 'body'],
    ['the refill topic, which is not chosen', () => ({ topic: 'refill' }), 'topic'],
    ['six attachments', () => ({ attachmentIds: Array.from({ length: 6 }, () => randomUUID()) }), 'attachmentIds'],
    ['an attachment that does not exist', () => ({ attachmentIds: [randomUUID()] }), 'attachmentIds'],
    ['a follow-up of a thread that does not exist', () => ({ previousThreadId: randomUUID() }), 'previousThreadId'],
  ])('answers 400 naming the field for %s, and stores nothing', async (_case, overrides, field) => {
    const before = await t.db.$count(messageThreads);
    const response = await http.post(w.patient, threadsUrl(w.patient.patientId), newThread(w, overrides()));
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.field ?? response.json().error.message).toContain(field);
    expect(await t.db.$count(messageThreads)).toBe(before);
  });

  it("answers 400 naming attachmentIds for someone else's upload", async () => {
    const upload = await http.upload(w.otherPatient, `${base(w.otherPatient.patientId)}/attachments`, sampleFiles.pdf, 'application/pdf');
    expect(upload.statusCode).toBe(201);
    const response = await http.post(w.patient, threadsUrl(w.patient.patientId), newThread(w, { attachmentIds: [upload.json().id] }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('attachmentIds');
  });

  it('follows up a closed thread of the patient, and refuses an open one or one of another patient', async () => {
    const first = await startThread(w.patient);
    const open = await http.post(w.patient, threadsUrl(w.patient.patientId), newThread(w, { previousThreadId: first }));
    expect(open.statusCode).toBe(400);
    expect(open.json().error.field).toBe('previousThreadId');
    await t.db.transaction((tx) => closeThread(tx, { threadId: first, patientId: w.patient.patientId }, w.pcp.id));
    const followUp = await http.post(w.patient, threadsUrl(w.patient.patientId), newThread(w, { previousThreadId: first }));
    expect(followUp.statusCode).toBe(201);
    expect(followUp.json().thread.previousThreadId).toBe(first);
    const theirs = await http.post(w.otherPatient, threadsUrl(w.otherPatient.patientId), newThread(w, { previousThreadId: first }));
    expect(theirs.statusCode).toBe(400);
  });

  it('answers 401 without a session', async () => {
    expect((await http.post(null, threadsUrl(w.patient.patientId), newThread(w))).statusCode).toBe(401);
  });

  it("answers 404 for another patient's record and for staff of the organization, creating nothing", async () => {
    const before = await t.db.$count(messageThreads);
    expect((await http.post(w.otherPatient, threadsUrl(w.patient.patientId), newThread(w))).statusCode).toBe(404);
    expect((await http.post(w.pcp, threadsUrl(w.patient.patientId), newThread(w))).statusCode).toBe(404);
    expect((await http.post(w.foreignClinician, threadsUrl(w.patient.patientId), newThread(w))).statusCode).toBe(404);
    expect(await t.db.$count(messageThreads)).toBe(before);
  });

  it('queues one content-free new_message email to the chosen clinician', async () => {
    const body = newThread(w, { subject: 'Rash on my arm', body: 'The metformin makes me dizzy.' });
    const response = await http.post(w.patient, threadsUrl(w.patient.patientId), body);
    expect(response.statusCode).toBe(201);
    const messageId = response.json().messages[0].id as string;
    const queued = await t.db
      .select()
      .from(outbox)
      .where(sql`${outbox.eventKey} like ${`message:${messageId}:%`}`);
    expect(queued).toHaveLength(1);
    const [pcp] = await t.db.select({ email: users.email }).from(users).where(eq(users.id, w.pcp.id));
    expect(queued[0]).toMatchObject({ channel: 'email', eventKey: `message:${messageId}:${w.pcp.id}:email` });
    const email = queued[0]!.payload as { to: string; subject: string; text: string };
    expect(email.to).toBe(pcp!.email);
    expect(email.subject).toBe('A new message is waiting in Portico');
    expect(email.text).toContain('http://localhost:3000/inbox');
    for (const secret of ['Rash', 'metformin', 'dizzy', 'Maria', 'Lopez', w.patient.patientId, w.patient.id]) {
      expect(email.subject).not.toContain(secret);
      expect(email.text).not.toContain(secret);
    }
  });

  it('queues no email when the patient writes to a care team without choosing a clinician', async () => {
    const response = await http.post(w.patient, threadsUrl(w.patient.patientId), newThread(w, { clinicianId: null }));
    expect(response.statusCode).toBe(201);
    const messageId = response.json().messages[0].id as string;
    expect(await t.db.$count(outbox, sql`${outbox.eventKey} like ${`message:${messageId}:%`}`)).toBe(0);
  });
});

describe('POST /api/patients/:id/messages/threads with an Idempotency-Key', () => {
  it('creates one thread for the same key sent twice, and answers the same both times', async () => {
    const key = { 'idempotency-key': `create-${randomUUID()}` };
    const body = newThread(w);
    const first = await http.post(w.patient, threadsUrl(w.patient.patientId), body, key);
    const second = await http.post(w.patient, threadsUrl(w.patient.patientId), body, key);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(await t.db.$count(messageThreads, eq(messageThreads.subject, body.subject))).toBe(1);
  });

  it('answers 409 for the same key with another body', async () => {
    const key = { 'idempotency-key': `create-${randomUUID()}` };
    expect((await http.post(w.patient, threadsUrl(w.patient.patientId), newThread(w), key)).statusCode).toBe(201);
    const other = newThread(w);
    const response = await http.post(w.patient, threadsUrl(w.patient.patientId), other, key);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('idempotency_key_reused');
    expect(await t.db.$count(messageThreads, eq(messageThreads.subject, other.subject))).toBe(0);
  });

  it('creates one thread when five retries with the same key race', async () => {
    const key = { 'idempotency-key': `race-${randomUUID()}` };
    const body = newThread(w);
    const responses = await Promise.all(Array.from({ length: 5 }, () => http.post(w.patient, threadsUrl(w.patient.patientId), body, key)));
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.json<{ thread: { id: string } }>().thread.id)).size).toBe(1);
    expect(await t.db.$count(messageThreads, eq(messageThreads.subject, body.subject))).toBe(1);
  });

  it('answers 400 for a key that is not 1-200 visible ASCII characters', async () => {
    const response = await http.post(w.patient, threadsUrl(w.patient.patientId), newThread(w), { 'idempotency-key': 'x'.repeat(201) });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('Idempotency-Key');
  });
});

describe('the daily limit of new threads', () => {
  it('answers 429 once the patient has started 20 threads in a day, and counts only the last 24 hours', async () => {
    await forgetTodaysThreads(w.patient.patientId);
    for (let i = 0; i < messagingLimits.newThreadsPerDay; i++) await startThread(w.patient);
    const refused = await http.post(w.patient, threadsUrl(w.patient.patientId), newThread(w));
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'too_many_requests' });
    expect(refused.json().error.message).toContain('20 conversations in the last 24 hours');
    const reply = await http.post(w.patient, `${threadsUrl(w.patient.patientId)}/${await latestThreadOf(w.patient.patientId)}/messages`, {
      body: 'Replies are not limited.',
    });
    expect(reply.statusCode).toBe(201);
    await forgetTodaysThreads(w.patient.patientId);
    expect((await http.post(w.patient, threadsUrl(w.patient.patientId), newThread(w))).statusCode).toBe(201);
  });

  it('lets exactly one of five racing requests take the last place of the day', async () => {
    await forgetTodaysThreads(w.patient.patientId);
    for (let i = 0; i < messagingLimits.newThreadsPerDay - 1; i++) await startThread(w.patient);
    const racing = await Promise.all(Array.from({ length: 5 }, () => http.post(w.patient, threadsUrl(w.patient.patientId), newThread(w))));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 429, 429, 429, 429]);
    await forgetTodaysThreads(w.patient.patientId);
  });
});

async function latestThreadOf(patientId: string) {
  const [row] = await t.db
    .select({ id: messageThreads.id })
    .from(messageThreads)
    .where(eq(messageThreads.patientId, patientId))
    .orderBy(desc(messageThreads.createdAt))
    .limit(1);
  return row!.id;
}

describe('GET /api/patients/:id/messages/threads', () => {
  it('lists newest activity first in pages, with unread marks for care-team replies and their count', async () => {
    // The second patient's threads are stored directly, a minute apart, so their order is known.
    const reader = w.otherPatient;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [row] = await t.db
        .insert(messageThreads)
        .values({
          organizationId: w.orgA,
          patientId: reader.patientId,
          departmentId: w.familyMedicine,
          topic: 'other',
          subject: `Thread ${i}`,
          createdBy: reader.id,
          createdAt: new Date(Date.now() - (10 - i) * 60_000),
          lastActivityAt: new Date(Date.now() - (10 - i) * 60_000),
        })
        .returning();
      await t.db
        .insert(messages)
        .values({ threadId: row!.id, patientId: reader.patientId, authorId: reader.id, authorRole: 'patient', body: 'Hello' });
      ids.push(row!.id);
    }
    await staffWrites(ids[0]!, reader.patientId, w.nurse, 'We saw your question.');
    await staffWrites(ids[1]!, reader.patientId, w.nurse, 'Internal: check labs first.', true);

    const first = await http.get(reader, `${threadsUrl(reader.patientId)}?limit=2`);
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.threads.map((x: { id: string }) => x.id)).toEqual([ids[0], ids[2]]);
    expect(page1.threads[0]).toMatchObject({
      subject: 'Thread 0',
      status: 'answered',
      unread: true,
      recipientLabel: 'Family Medicine care team',
    });
    expect(page1.threads[1]).toMatchObject({ unread: false, status: 'waiting' });
    expect(page1.unreadCount).toBe(1);
    expect(page1.nextCursor).toEqual(expect.any(String));

    const second = await http.get(reader, `${threadsUrl(reader.patientId)}?limit=2&cursor=${page1.nextCursor}`);
    const page2 = second.json();
    // The internal note neither moved the thread nor marked it unread.
    expect(page2.threads).toEqual([expect.objectContaining({ id: ids[1], unread: false, status: 'waiting' })]);
    expect(page2.nextCursor).toBeNull();

    const opened = await http.get(reader, `${threadsUrl(reader.patientId)}/${ids[0]}`);
    expect(opened.statusCode).toBe(200);
    const after = (await http.get(reader, threadsUrl(reader.patientId))).json();
    expect(after.unreadCount).toBe(0);
    expect(after.threads.find((x: { id: string }) => x.id === ids[0]).unread).toBe(false);
  });

  it('answers 400 for a cursor it did not make and for a limit over 100', async () => {
    const bad = await http.get(w.patient, `${threadsUrl(w.patient.patientId)}?cursor=${Buffer.from('["x","y"]').toString('base64url')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('cursor');
    expect((await http.get(w.patient, `${threadsUrl(w.patient.patientId)}?limit=101`)).statusCode).toBe(400);
  });

  it('answers 401 without a session, and 404 to another patient and to staff', async () => {
    expect((await http.get(null, threadsUrl(w.patient.patientId))).statusCode).toBe(401);
    expect((await http.get(w.otherPatient, threadsUrl(w.patient.patientId))).statusCode).toBe(404);
    expect((await http.get(w.nurse, threadsUrl(w.patient.patientId))).statusCode).toBe(404);
  });
});

describe('GET /api/patients/:id/messages/threads/:threadId', () => {
  it('shows the messages without internal notes, staff named with their role, and marks the thread read', async () => {
    const threadId = await startThread(w.patient, { subject: 'Blood pressure' });
    await staffWrites(threadId, w.patient.patientId, w.nurse, 'Note to Dr. Chen: call her.', true);
    await staffWrites(threadId, w.patient.patientId, w.nurse, 'Please send us your readings.');
    expect(
      (await http.get(w.patient, threadsUrl(w.patient.patientId))).json().threads.find((x: { id: string }) => x.id === threadId).unread,
    ).toBe(true);

    const response = await http.get(w.patient, `${threadsUrl(w.patient.patientId)}/${threadId}`);
    expect(response.statusCode).toBe(200);
    const detail = response.json();
    expect(detail.thread).toMatchObject({ id: threadId, status: 'answered', unread: false, canReply: true });
    expect(
      detail.messages.map((m: { authorName: string; authorRole: string; mine: boolean; body: string }) => [
        m.authorName,
        m.authorRole,
        m.mine,
        m.body,
      ]),
    ).toEqual([
      ['Maria Lopez', 'patient', true, 'My knee hurts when I climb stairs.'],
      ['Nora Diaz', 'nurse', false, 'Please send us your readings.'],
    ]);
    expect(JSON.stringify(detail)).not.toContain('Note to Dr. Chen');
    const [read] = await t.db
      .select()
      .from(threadReads)
      .where(and(eq(threadReads.threadId, threadId), eq(threadReads.userId, w.patient.id)));
    expect(read).toBeDefined();
  });

  it('shows the refill request a refill thread carries', async () => {
    const [thread] = await t.db
      .insert(messageThreads)
      .values({
        organizationId: w.orgA,
        patientId: w.patient.patientId,
        departmentId: w.familyMedicine,
        topic: 'refill',
        subject: 'Prescription refill request',
        createdBy: w.patient.id,
      })
      .returning();
    await t.db.insert(messages).values({
      threadId: thread!.id,
      patientId: w.patient.patientId,
      authorId: w.patient.id,
      authorRole: 'patient',
      body: 'Please renew my prescription.',
    });
    const [pharmacy] = await t.db
      .insert(pharmacies)
      .values({ patientId: w.patient.patientId, name: 'Corner Pharmacy', address: '2 Elm St', phone: null })
      .returning();
    const [refill] = await t.db
      .insert(refillRequests)
      .values({ threadId: thread!.id, patientId: w.patient.patientId, medicationIds: [], pharmacyId: pharmacy!.id, note: null })
      .returning();
    const detail = (await http.get(w.patient, `${threadsUrl(w.patient.patientId)}/${thread!.id}`)).json();
    expect(detail.thread.topic).toBe('refill');
    expect(detail.refill).toMatchObject({
      id: refill!.id,
      status: 'requested',
      threadId: thread!.id,
      pharmacy: { id: pharmacy!.id, name: 'Corner Pharmacy', address: '2 Elm St', phone: null },
    });
  });

  it("answers 404 for another patient's thread, even through the other patient's own path", async () => {
    const threadId = await startThread(w.patient);
    expect((await http.get(w.otherPatient, `${threadsUrl(w.otherPatient.patientId)}/${threadId}`)).statusCode).toBe(404);
    expect((await http.get(w.otherPatient, `${threadsUrl(w.patient.patientId)}/${threadId}`)).statusCode).toBe(404);
    expect((await http.get(w.pcp, `${threadsUrl(w.patient.patientId)}/${threadId}`)).statusCode).toBe(404);
    const reads = await t.db.select().from(threadReads).where(eq(threadReads.threadId, threadId));
    expect(reads).toEqual([]);
  });

  it('answers 400 for a malformed thread id and 401 without a session', async () => {
    expect((await http.get(w.patient, `${threadsUrl(w.patient.patientId)}/42`)).statusCode).toBe(400);
    expect((await http.get(null, `${threadsUrl(w.patient.patientId)}/${randomUUID()}`)).statusCode).toBe(401);
  });
});

describe('POST /api/patients/:id/messages/threads/:threadId/messages', () => {
  it('adds the message, puts the thread back to waiting and tells the assigned staff member', async () => {
    const threadId = await startThread(w.patient);
    await staffWrites(threadId, w.patient.patientId, w.nurse, 'How long has it hurt?');
    await t.db.update(messageThreads).set({ assignedTo: w.nurse.id }).where(eq(messageThreads.id, threadId));
    const response = await http.post(w.patient, `${threadsUrl(w.patient.patientId)}/${threadId}/messages`, {
      body: 'About a week.',
      internal: true,
      authorId: w.pcp.id,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      authorName: 'Maria Lopez',
      authorRole: 'patient',
      mine: true,
      body: 'About a week.',
      internal: false,
    });
    const [thread] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, threadId));
    expect(thread!.status).toBe('waiting');
    const [stored] = await t.db.select().from(messages).where(eq(messages.id, response.json().id));
    expect(stored).toMatchObject({ authorId: w.patient.id, internal: false });
    const queued = await t.db
      .select()
      .from(outbox)
      .where(eq(outbox.eventKey, `message:${stored!.id}:${w.nurse.id}:email`));
    expect(queued).toHaveLength(1);
  });

  it('answers once for a retried send with the same Idempotency-Key', async () => {
    const threadId = await startThread(w.patient);
    const key = { 'idempotency-key': randomUUID() };
    const url = `${threadsUrl(w.patient.patientId)}/${threadId}/messages`;
    const first = await http.post(w.patient, url, { body: 'Sent once.' }, key);
    const again = await http.post(w.patient, url, { body: 'Sent once.' }, key);
    expect(first.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await t.db.$count(messages, and(eq(messages.threadId, threadId), eq(messages.body, 'Sent once.')))).toBe(1);
  });

  it('answers 409 thread_closed for a closed thread, telling the patient to start a new one', async () => {
    const threadId = await startThread(w.patient);
    await t.db.transaction((tx) => closeThread(tx, { threadId, patientId: w.patient.patientId }, w.pcp.id));
    const response = await http.post(w.patient, `${threadsUrl(w.patient.patientId)}/${threadId}/messages`, { body: 'One more thing.' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('thread_closed');
    expect(response.json().error.message).toContain('Start a new conversation');
    expect(await t.db.$count(messages, eq(messages.threadId, threadId))).toBe(1);
    const detail = (await http.get(w.patient, `${threadsUrl(w.patient.patientId)}/${threadId}`)).json();
    expect(detail.thread).toMatchObject({ status: 'closed', canReply: false });
  });

  it('answers 400 for an empty or oversized body', async () => {
    const threadId = await startThread(w.patient);
    const url = `${threadsUrl(w.patient.patientId)}/${threadId}/messages`;
    expect((await http.post(w.patient, url, { body: ' ' })).statusCode).toBe(400);
    expect((await http.post(w.patient, url, { body: 'x'.repeat(10_001) })).statusCode).toBe(400);
    expect((await http.post(w.patient, url, {})).statusCode).toBe(400);
  });

  it("answers 404 for another patient's thread and for staff, and 401 without a session", async () => {
    const threadId = await startThread(w.patient);
    const body = { body: 'Intruding.' };
    expect((await http.post(w.otherPatient, `${threadsUrl(w.otherPatient.patientId)}/${threadId}/messages`, body)).statusCode).toBe(404);
    expect((await http.post(w.otherPatient, `${threadsUrl(w.patient.patientId)}/${threadId}/messages`, body)).statusCode).toBe(404);
    expect((await http.post(w.nurse, `${threadsUrl(w.patient.patientId)}/${threadId}/messages`, body)).statusCode).toBe(404);
    expect((await http.post(null, `${threadsUrl(w.patient.patientId)}/${threadId}/messages`, body)).statusCode).toBe(401);
    expect(await t.db.$count(messages, eq(messages.threadId, threadId))).toBe(1);
  });
});
