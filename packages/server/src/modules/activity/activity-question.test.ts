import { and, asc, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityPage, InboxThreadDetail } from '@portico/shared';
import { accessGrants, auditEvents, departments, messages, messageThreads, organizations, users } from '../../db/schema/index.ts';
import { buildPatient, buildUser, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { appendAuditEvents } from '../audit/audit.repository.ts';
import {
  buildMessagingWorld,
  joinPool,
  newThread,
  requestsFor,
  type MessagingWorld,
  type PatientPerson,
  type Person,
} from '../messaging/messaging.fixtures.ts';
import { fullProxyCategories } from '../proxies/proxy-access.ts';

/**
 * Issue 11 §3, "why did this person look?": a question about one entry of the activity log becomes a conversation in the
 * privacy office's pool with the audit event attached; the office reads the access beside the question.
 */
let t: TestApp;
let w: MessagingWorld;
let http: ReturnType<typeof requestsFor>;
let privacyOffice: string;
let officer: Person;
let proxy: Person;
/** The nurse's view of Maria's health summary, as her log lists it. */
let nurseEventId: string;
let otherPatientEventId: string;

const askUrl = (patientId: string, eventId: string) => `/api/patients/${patientId}/activity/${eventId}/question`;

/** The newest entry of a patient's log by this person doing this, as the patient reads it. */
async function entryOf(who: Person, patientId: string, actorId: string, what: string): Promise<string> {
  const response = await http.get(who, `/api/patients/${patientId}/activity`);
  expect(response.statusCode, response.body).toBe(200);
  const entry = response.json<ActivityPage>().entries.find((e) => e.who.userId === actorId && e.what === what);
  expect(entry).toBeDefined();
  return entry!.id;
}

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildMessagingWorld(t);
  http = requestsFor(t);
  const [office] = await t.db
    .insert(departments)
    .values({ organizationId: w.orgA, name: 'Privacy office', specialty: 'privacy', timeZone: 'America/New_York' })
    .returning();
  privacyOffice = office!.id;
  const officerUser = await buildUser(t.db, { role: 'privacy_officer', organizationId: w.orgA, mfa: true, departmentId: privacyOffice });
  await t.db.update(users).set({ displayName: 'Pat Privacy' }).where(eq(users.id, officerUser.id));
  officer = { id: officerUser.id, name: 'Pat Privacy', token: await signInAs(t.db, officerUser) };
  const proxyUser = await buildUser(t.db, { role: 'proxy', organizationId: w.orgA });
  await t.db.update(users).set({ displayName: 'Ana Lopez' }).where(eq(users.id, proxyUser.id));
  await t.db.insert(accessGrants).values({
    granteeUserId: proxyUser.id,
    patientId: w.patient.patientId,
    kind: 'proxy',
    level: 'full',
    relationship: 'invited',
    categories: [...fullProxyCategories],
    grantedBy: w.patient.id,
  });
  proxy = { id: proxyUser.id, name: 'Ana Lopez', token: await signInAs(t.db, proxyUser) };

  expect((await http.get(w.nurse, `/api/patients/${w.patient.patientId}/record/summary`)).statusCode).toBe(200);
  nurseEventId = await entryOf(w.patient, w.patient.patientId, w.nurse.id, 'summary');
  expect((await http.get(w.pcp, `/api/patients/${w.otherPatient.patientId}/record/summary`)).statusCode).toBe(200);
  otherPatientEventId = await entryOf(w.otherPatient, w.otherPatient.patientId, w.pcp.id, 'summary');
});
afterAll(async () => t?.close());

/** A staff member's access to Maria's record written straight into the trail (as the audited code writes it); its id. */
async function storedEvent(outcome: 'success' | 'denied'): Promise<string> {
  await appendAuditEvents(t.db, [
    {
      occurredAt: new Date(),
      requestId: null,
      actorUserId: w.outsider.id,
      onBehalfOfUserId: null,
      patientId: w.patient.patientId,
      action: 'record.visits.read',
      objectType: 'Patient',
      objectId: w.patient.patientId,
      outcome,
      severity: outcome === 'success' ? 'info' : 'warning',
      ipAddress: null,
      details: outcome === 'success' ? { via: 'organization_staff', reason: 'organization_clinician' } : { reason: 'denied' },
    },
  ]);
  const [row] = await t.db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(eq(auditEvents.actorUserId, w.outsider.id), eq(auditEvents.outcome, outcome)))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return String(row!.id);
}

describe('POST /api/patients/:id/activity/:eventId/question', () => {
  it('answers 201 with a thread in the privacy pool carrying the event, the question as its first message, audited', async () => {
    const response = await http.post(w.patient, askUrl(w.patient.patientId, nurseEventId), { question: '  Why did the nurse look?  ' });
    expect(response.statusCode, response.body).toBe(201);
    const { threadId, existing } = response.json<{ threadId: string; existing: boolean }>();
    expect(existing).toBe(false);

    const [thread] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, threadId));
    expect(thread).toMatchObject({
      patientId: w.patient.patientId,
      departmentId: privacyOffice,
      topic: 'privacy',
      subject: 'Why did someone look at my record?',
      accessEventId: Number(nurseEventId),
      createdBy: w.patient.id,
      status: 'waiting',
      clinicianId: null,
    });
    const stored = await t.db.select().from(messages).where(eq(messages.threadId, threadId));
    expect(stored.map((m) => [m.authorId, m.authorRole, m.body])).toEqual([[w.patient.id, 'patient', 'Why did the nurse look?']]);

    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'activity.question.ask'), eq(auditEvents.actorUserId, w.patient.id)));
    expect(event).toMatchObject({ outcome: 'success', patientId: w.patient.patientId });
    expect(event!.details).toMatchObject({ eventId: Number(nurseEventId), threadId, via: 'own_record' });

    // The patient's messages list and open it like any other conversation, and replies work as usual.
    const list = await http.get(w.patient, `/api/patients/${w.patient.patientId}/messages/threads`);
    expect(list.statusCode).toBe(200);
    expect(list.json().threads).toContainEqual(expect.objectContaining({ id: threadId, topic: 'privacy', status: 'waiting' }));
    const detail = await http.get(w.patient, `/api/patients/${w.patient.patientId}/messages/threads/${threadId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().messages[0]).toMatchObject({ body: 'Why did the nurse look?', mine: true });
    const reply = await http.post(w.patient, `/api/patients/${w.patient.patientId}/messages/threads/${threadId}/messages`, {
      body: 'It was on a Sunday.',
    });
    expect(reply.statusCode, reply.body).toBe(201);
  });

  it('adds a second question about the same entry to the open thread (200, existing), and opens a new one once it is closed', async () => {
    const eventId = await storedEvent('success');
    const first = await http.post(w.patient, askUrl(w.patient.patientId, eventId), { question: 'First question' });
    expect(first.statusCode, first.body).toBe(201);
    const threadId = first.json().threadId as string;
    const again = await http.post(w.patient, askUrl(w.patient.patientId, eventId), { question: 'Second question' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ threadId, existing: true });
    const bodies = await t.db
      .select({ body: messages.body })
      .from(messages)
      .where(eq(messages.threadId, threadId))
      .orderBy(asc(messages.createdAt));
    expect(bodies.map((b) => b.body).slice(-2)).toEqual(['First question', 'Second question']);

    expect((await http.post(officer, `/api/inbox/threads/${threadId}/close`, {})).statusCode).toBe(200);
    const afterClose = await http.post(w.patient, askUrl(w.patient.patientId, eventId), { question: 'Third question' });
    expect(afterClose.statusCode, afterClose.body).toBe(201);
    expect(afterClose.json().threadId).not.toBe(threadId);
  });

  it('replays a retry with the same Idempotency-Key: one answer, one message', async () => {
    expect((await http.get(w.pcp, `/api/patients/${w.patient.patientId}/record/summary`)).statusCode).toBe(200);
    const eventId = await entryOf(w.patient, w.patient.patientId, w.pcp.id, 'summary');
    const key = { 'idempotency-key': `question-${eventId}` };
    const first = await http.post(w.patient, askUrl(w.patient.patientId, eventId), { question: 'Why?' }, key);
    const retry = await http.post(w.patient, askUrl(w.patient.patientId, eventId), { question: 'Why?' }, key);
    expect(first.statusCode, first.body).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(
      await t.db
        .select()
        .from(messages)
        .where(eq(messages.threadId, first.json().threadId as string)),
    ).toHaveLength(1);
  });

  it('lets a full proxy ask for the patient: authored by the proxy, for the patient, audited on their behalf', async () => {
    expect((await http.get(w.cardiologist, `/api/patients/${w.patient.patientId}/record/summary`)).statusCode).toBe(200);
    const eventId = await entryOf(proxy, w.patient.patientId, w.cardiologist.id, 'summary');
    const response = await http.post(proxy, askUrl(w.patient.patientId, eventId), { question: 'Why did the cardiologist look?' });
    expect(response.statusCode, response.body).toBe(201);
    const threadId = response.json().threadId as string;
    const [message] = await t.db.select().from(messages).where(eq(messages.threadId, threadId));
    expect(message).toMatchObject({ authorId: proxy.id, authorRole: 'proxy' });
    const asPatient = await http.get(w.patient, `/api/patients/${w.patient.patientId}/messages/threads/${threadId}`);
    expect(asPatient.json().messages[0]).toMatchObject({ authorName: 'Ana Lopez', authorRole: 'proxy', mine: false });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'activity.question.ask'), eq(auditEvents.actorUserId, proxy.id)));
    expect(event).toMatchObject({ outcome: 'success', onBehalfOfUserId: w.patient.id });
  });

  it('keeps a teen’s question hers: private from her guardian, who gets a thread of his own when he asks about the same entry', async () => {
    const year = new Date().getUTCFullYear();
    const built = await buildPatient(t.db, w.orgA, { withAccount: true, birthDate: `${year - 15}-01-15` });
    const teen: PatientPerson = { id: built.user!.id, name: 'Teen', token: await signInAs(t.db, built.user!), patientId: built.patient.id };
    const guardianUser = await buildUser(t.db, { role: 'proxy', organizationId: w.orgA });
    await t.db.insert(accessGrants).values({
      granteeUserId: guardianUser.id,
      patientId: teen.patientId,
      kind: 'proxy',
      level: 'full',
      relationship: 'guardian',
      categories: [...fullProxyCategories],
      grantedBy: w.nurse.id,
    });
    const guardian: Person = { id: guardianUser.id, name: 'Guardian', token: await signInAs(t.db, guardianUser) };
    expect((await http.get(w.nurse, `/api/patients/${teen.patientId}/record/summary`)).statusCode).toBe(200);
    const eventId = await entryOf(teen, teen.patientId, w.nurse.id, 'summary');

    const asked = await http.post(teen, askUrl(teen.patientId, eventId), { question: 'Did my mom ask the nurse to look?' });
    expect(asked.statusCode, asked.body).toBe(201);
    const teenThread = asked.json().threadId as string;
    const [stored] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, teenThread));
    expect(stored!.confidential).toBe(true);
    const listed = await http.get(guardian, `/api/patients/${teen.patientId}/messages/threads`);
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(teenThread);
    expect((await http.get(guardian, `/api/patients/${teen.patientId}/messages/threads/${teenThread}`)).statusCode).toBe(404);

    const own = await http.post(guardian, askUrl(teen.patientId, eventId), { question: 'Why did the nurse look?' });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ existing: false });
    expect(own.json().threadId).not.toBe(teenThread);
    expect(await t.db.select().from(messages).where(eq(messages.threadId, teenThread))).toHaveLength(1);
  });

  it("writes the subject in the asker's language", async () => {
    const built = await buildPatient(t.db, w.orgA, { withAccount: true });
    await t.db.update(users).set({ locale: 'es' }).where(eq(users.id, built.user!.id));
    const patient = { id: built.user!.id, name: 'Paciente', token: await signInAs(t.db, built.user!), patientId: built.patient.id };
    expect((await http.get(w.nurse, `/api/patients/${patient.patientId}/record/summary`)).statusCode).toBe(200);
    const eventId = await entryOf(patient, patient.patientId, w.nurse.id, 'summary');
    const response = await http.post(patient, askUrl(patient.patientId, eventId), { question: '¿Por qué?' });
    expect(response.statusCode, response.body).toBe(201);
    const [thread] = await t.db.select().from(messageThreads).where(eq(messageThreads.id, response.json<{ threadId: string }>().threadId));
    expect(thread!.subject).toBe('¿Por qué alguien miró mi expediente?');
  });

  it('answers 400 for an empty or too long question and for an entry id that is not a number', async () => {
    const url = askUrl(w.patient.patientId, nurseEventId);
    const empty = await http.post(w.patient, url, { question: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.field).toBe('question');
    expect((await http.post(w.patient, url, { question: 'x'.repeat(2001) })).statusCode).toBe(400);
    expect((await http.post(w.patient, url, {})).statusCode).toBe(400);
    for (const bad of ['abc', '0', '-1', '1.5'])
      expect((await http.post(w.patient, askUrl(w.patient.patientId, bad), { question: 'Why?' })).statusCode, bad).toBe(400);
  });

  it('answers 401 without a session', async () => {
    expect((await http.post(null, askUrl(w.patient.patientId, nurseEventId), { question: 'Why?' })).statusCode).toBe(401);
  });

  it('answers 404 naming the entry for an event of another patient, a refused attempt or none at all, and stores nothing', async () => {
    const refused = await storedEvent('denied');
    const before = (await t.db.select().from(messageThreads)).length;
    for (const eventId of [otherPatientEventId, refused, '999999999']) {
      const response = await http.post(w.patient, askUrl(w.patient.patientId, eventId), { question: 'Why?' });
      expect(response.statusCode, eventId).toBe(404);
      expect(response.json().error).toMatchObject({ code: 'not_found', field: 'eventId' });
      expect(response.json().error.message).toMatch(/entry of the activity log/);
    }
    expect((await t.db.select().from(messageThreads)).length).toBe(before);
  });

  it("answers 404 to a patient asking on someone else's record and to staff on the patient's route", async () => {
    expect((await http.post(w.patient, askUrl(w.otherPatient.patientId, otherPatientEventId), { question: 'Why?' })).statusCode).toBe(404);
    for (const staff of [w.nurse, officer, w.pcp]) {
      const response = await http.post(staff, askUrl(w.patient.patientId, nurseEventId), { question: 'Why?' });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.message).toMatch(/patient/);
    }
  });

  it('answers 409 no_privacy_office when the organization has no privacy office', async () => {
    const built = await buildPatient(t.db, w.orgB, { withAccount: true });
    const patient = { id: built.user!.id, name: 'B patient', token: await signInAs(t.db, built.user!), patientId: built.patient.id };
    expect((await http.get(w.foreignClinician, `/api/patients/${patient.patientId}/record/summary`)).statusCode).toBe(200);
    const eventId = await entryOf(patient, patient.patientId, w.foreignClinician.id, 'summary');
    const response = await http.post(patient, askUrl(patient.patientId, eventId), { question: 'Why?' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('no_privacy_office');
    expect(response.json().error.message).toMatch(/Call the clinic/);
    expect(await t.db.select().from(messageThreads).where(eq(messageThreads.patientId, patient.patientId))).toEqual([]);
  });
});

describe('GET /api/inbox/threads/:threadId of a privacy question', () => {
  let threadId: string;
  beforeAll(async () => {
    expect((await http.get(w.dermatologist, `/api/patients/${w.patient.patientId}/record/summary`)).statusCode).toBe(200);
    const eventId = await entryOf(w.patient, w.patient.patientId, w.dermatologist.id, 'summary');
    const response = await http.post(w.patient, askUrl(w.patient.patientId, eventId), { question: 'Who is this doctor?' });
    threadId = response.json().threadId as string;
  });

  it('shows the privacy office the access in question as the log shows it', async () => {
    const response = await http.get(officer, `/api/inbox/threads/${threadId}`);
    expect(response.statusCode, response.body).toBe(200);
    const detail = response.json<InboxThreadDetail>();
    expect(detail.thread).toMatchObject({ topic: 'privacy', departmentId: privacyOffice });
    expect(detail.messages.map((m) => m.body)).toEqual(['Who is this doctor?']);
    const [org] = await t.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, w.orgA));
    expect(detail.accessInQuestion).toMatchObject({
      who: { userId: w.dermatologist.id, name: 'Dana Park', role: 'clinician', organization: org!.name, isYou: false },
      what: 'summary',
      via: 'organization_staff',
      onBehalfOf: null,
    });
    expect(detail.accessInQuestion!.at).toEqual(expect.any(String));
  });

  it('answers 404 to a clinician outside the privacy pool', async () => {
    expect((await http.get(w.pcp, `/api/inbox/threads/${threadId}`)).statusCode).toBe(404);
    expect((await http.get(w.foreignClinician, `/api/inbox/threads/${threadId}`)).statusCode).toBe(404);
  });

  it('does not show the privacy office a clinical thread of the same patient, even in a pool it joins', async () => {
    const created = await http.post(w.patient, `/api/patients/${w.patient.patientId}/messages/threads`, newThread(w));
    expect(created.statusCode).toBe(201);
    const clinicalId = created.json().thread.id as string;
    await joinPool(t, officer.id, w.familyMedicine);
    expect((await http.get(officer, `/api/inbox/threads/${clinicalId}`)).statusCode).toBe(404);
    // Other threads carry no access in question.
    const asPcp = await http.get(w.pcp, `/api/inbox/threads/${clinicalId}`);
    expect(asPcp.statusCode).toBe(200);
    expect(asPcp.json().accessInQuestion).toBeNull();
  });
});
