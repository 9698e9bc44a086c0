import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { MessageView, Role } from '@portico/shared';
import {
  auditEvents,
  departments,
  messages,
  messageTemplates,
  messageThreads,
  outbox,
  pharmacies,
  refillRequests,
  staffDepartments,
} from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgA: Awaited<ReturnType<typeof buildOrganization>>;
let orgB: Awaited<ReturnType<typeof buildOrganization>>;
/** Maria, a patient of organization A with a portal account; `other` is a second one. */
const patients: Record<string, { id: string; userId: string; email: string; mrn: string; birthDate: string; name: string }> = {};
const users: Record<string, { id: string; name: string }> = {};
/** Session tokens by who holds them. */
const tokens: Record<string, string> = {};
/** The Family Medicine pool of organization A (the factory's department): nurse, clinician and front desk belong. */
let familyMedicine: string;

const minute = 60_000;
const start = Date.now() - 30 * 86_400_000;
let clock = 0;
/** Strictly increasing instants in the past, so activity order is the order threads are made in. */
const nextInstant = () => new Date(start + ++clock * minute);

/** A new pool (department) of an organization with these members. */
async function buildPool(members: string[], organizationId = orgA.organization.id, name = 'Pool') {
  const [department] = await t.db
    .insert(departments)
    .values({ organizationId, name: `${name} ${randomUUID().slice(0, 6)}`, specialty: 'x', timeZone: 'America/New_York' })
    .returning();
  for (const who of members) await t.db.insert(staffDepartments).values({ userId: users[who]!.id, departmentId: department!.id });
  return department!.id;
}

/** A thread a patient started in a pool, with their first message, as the patient side stores it. */
async function startThread(options: {
  patient?: string;
  departmentId?: string;
  subject?: string;
  body?: string;
  topic?: string;
  at?: Date;
}) {
  const patient = patients[options.patient ?? 'maria']!;
  const at = options.at ?? nextInstant();
  const [thread] = await t.db
    .insert(messageThreads)
    .values({
      organizationId: orgA.organization.id,
      patientId: patient.id,
      departmentId: options.departmentId ?? familyMedicine,
      topic: options.topic ?? 'medical_question',
      subject: options.subject ?? 'A question',
      createdBy: patient.userId,
      createdAt: at,
      lastActivityAt: at,
    })
    .returning();
  await t.db.insert(messages).values({
    threadId: thread!.id,
    patientId: patient.id,
    authorId: patient.userId,
    authorRole: 'patient',
    body: options.body ?? 'My knee hurts when I climb stairs.',
    createdAt: at,
  });
  return thread!.id;
}

const headersOf = (who: string | null) => (who ? cookieFor(tokens[who]!) : {});
const get = (who: string | null, url: string) => t.app.inject({ method: 'GET', url, headers: headersOf(who) });
const post = (who: string | null, url: string, payload: unknown, extra: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { ...csrfHeaders, ...headersOf(who), ...extra },
    payload: payload as Record<string, unknown>,
  });
const threadUrl = (threadId: string, rest = '') => `/api/inbox/threads/${threadId}${rest}`;
const listUrl = (departmentId: string, query = '') => `/api/inbox/pools/${departmentId}/threads${query}`;
const auditOf = (response: { headers: Record<string, unknown> }) =>
  t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])))
    .orderBy(asc(auditEvents.id));
const threadRow = async (threadId: string) => (await t.db.select().from(messageThreads).where(eq(messageThreads.id, threadId)))[0]!;
const messagesOf = (threadId: string) =>
  t.db.select().from(messages).where(eq(messages.threadId, threadId)).orderBy(asc(messages.createdAt), asc(messages.id));
const poolOf = async (who: string, departmentId: string) => {
  const response = await get(who, '/api/inbox/pools');
  expect(response.statusCode).toBe(200);
  return response
    .json<{ pools: { departmentId: string; name: string; unread: number; open: number }[] }>()
    .pools.find((p) => p.departmentId === departmentId);
};
const listIds = async (who: string, departmentId: string, query = '') => {
  const response = await get(who, listUrl(departmentId, query));
  expect(response.statusCode).toBe(200);
  return response.json<{ threads: { id: string }[] }>().threads.map((x) => x.id);
};
/** What the patient sees of a thread through the patient's own endpoint. */
const patientView = async (threadId: string) => {
  const response = await get('maria', `/api/patients/${patients.maria!.id}/messages/threads/${threadId}`);
  expect(response.statusCode).toBe(200);
  return response.json<{ messages: MessageView[] }>().messages;
};

beforeAll(async () => {
  t = await buildTestApp();
  orgA = await buildOrganization(t.db);
  orgB = await buildOrganization(t.db);
  familyMedicine = orgA.department.id;
  const staff: [string, Role, string, string | undefined][] = [
    ['nurse', 'nurse', orgA.organization.id, familyMedicine],
    ['clinician', 'clinician', orgA.organization.id, familyMedicine],
    ['front_desk', 'front_desk', orgA.organization.id, familyMedicine],
    ['outsider', 'nurse', orgA.organization.id, undefined],
    ['admin', 'admin', orgA.organization.id, familyMedicine],
    ['clinician of another organization', 'clinician', orgB.organization.id, orgB.department.id],
  ];
  for (const [who, role, organizationId, departmentId] of staff) {
    const user = await buildUser(t.db, { role, organizationId, mfa: true, ...(departmentId ? { departmentId } : {}) });
    users[who] = { id: user.id, name: user.displayName };
    tokens[who] = await signInAs(t.db, user);
  }
  for (const [who, givenName] of [
    ['maria', 'Maria'],
    ['other', 'Omar'],
  ] as const) {
    const { patient, user } = await buildPatient(t.db, orgA.organization.id, { withAccount: true, givenName, birthDate: '1978-09-14' });
    patients[who] = {
      id: patient.id,
      userId: user!.id,
      email: user!.email,
      mrn: patient.mrn,
      birthDate: patient.birthDate,
      name: `${patient.givenName} ${patient.familyName}`,
    };
    tokens[who] = await signInAs(t.db, user!);
  }
});

afterAll(async () => {
  await t.close();
});

describe('GET /api/inbox/pools', () => {
  it('lists the pools the caller belongs to with open and unread counts, not counting closed threads or their own messages', async () => {
    const pool = await buildPool(['nurse', 'clinician']);
    await buildPool(['clinician']);
    const first = await startThread({ departmentId: pool });
    await startThread({ departmentId: pool, patient: 'other' });
    const closed = await startThread({ departmentId: pool });
    await t.db.update(messageThreads).set({ status: 'closed' }).where(eq(messageThreads.id, closed));
    expect(await poolOf('nurse', pool)).toMatchObject({ unread: 2, open: 2, name: expect.stringMatching(/^Pool /) });

    expect((await get('nurse', threadUrl(first))).statusCode).toBe(200);
    expect(await poolOf('nurse', pool)).toMatchObject({ unread: 1, open: 2 });
    // The clinician's own reply is not news to them; it is to the nurse, who read the thread before it came.
    const reply = await post('clinician', threadUrl(first, '/messages'), { body: 'Please rest and ice it.' });
    expect(reply.statusCode).toBe(201);
    expect(await poolOf('clinician', pool)).toMatchObject({ unread: 1, open: 2 });
    expect(await poolOf('nurse', pool)).toMatchObject({ unread: 2, open: 2 });

    const nursePools = (await get('nurse', '/api/inbox/pools')).json<{ pools: { departmentId: string }[] }>();
    expect(nursePools.pools.map((p) => p.departmentId)).toContain(familyMedicine);
    expect(nursePools.pools).toHaveLength(2);
  });

  it('answers a staff member in no pool with no pools', async () => {
    expect((await get('outsider', '/api/inbox/pools')).json()).toEqual({ pools: [] });
  });

  it('answers 403 to a patient and to an administrator, and 401 without a session', async () => {
    expect((await get('maria', '/api/inbox/pools')).statusCode).toBe(403);
    expect((await get('admin', '/api/inbox/pools')).statusCode).toBe(403);
    expect((await get(null, '/api/inbox/pools')).statusCode).toBe(401);
  });
});

describe('GET /api/inbox/departments', () => {
  it("lists every department of the caller's organization, pools they are not in included, and no other organization's", async () => {
    const notMine = await buildPool(['clinician']);
    const answer = (await get('outsider', '/api/inbox/departments')).json<{ departments: { departmentId: string; name: string }[] }>();
    const ids = answer.departments.map((d) => d.departmentId);
    expect(ids).toContain(familyMedicine);
    expect(ids).toContain(notMine);
    expect(ids).not.toContain(orgB.department.id);
  });

  it('answers 403 to a patient and 401 without a session', async () => {
    expect((await get('maria', '/api/inbox/departments')).statusCode).toBe(403);
    expect((await get(null, '/api/inbox/departments')).statusCode).toBe(401);
  });
});

describe('GET /api/inbox/pools/:departmentId/threads', () => {
  it('lists the pool threads newest activity first with patient, assignee and unread mark, and audits the listing per patient', async () => {
    const pool = await buildPool(['nurse', 'clinician']);
    const older = await startThread({ departmentId: pool, subject: 'Older' });
    const newer = await startThread({ departmentId: pool, subject: 'Newer', patient: 'other' });
    await t.db.update(messageThreads).set({ assignedTo: users.clinician!.id }).where(eq(messageThreads.id, older));
    await startThread({ subject: 'In another pool' });

    const response = await get('nurse', listUrl(pool));
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body.nextCursor).toBeNull();
    expect(body.threads.map((x: { id: string }) => x.id)).toEqual([newer, older]);
    expect(body.threads[1]).toEqual({
      id: older,
      subject: 'Older',
      topic: 'medical_question',
      status: 'waiting',
      recipientLabel: expect.stringMatching(/ care team$/),
      lastActivityAt: expect.any(String),
      unread: true,
      confidential: false,
      kind: 'message',
      patient: { id: patients.maria!.id, name: patients.maria!.name, mrn: patients.maria!.mrn, birthDate: '1978-09-14' },
      assignedTo: { id: users.clinician!.id, name: users.clinician!.name },
    });
    expect(body.threads[0].assignedTo).toBeNull();

    const audit = await auditOf(response);
    expect(audit.map((e) => [e.action, e.patientId])).toEqual([
      ['inbox.thread.list', null],
      ['inbox.thread.list.patient', patients.other!.id],
      ['inbox.thread.list.patient', patients.maria!.id],
    ]);
    expect(audit[0]).toMatchObject({ outcome: 'success', objectId: pool, details: { threads: 2, status: 'open' } });
  });

  it('pages through 23 threads with no duplicates or gaps, ties in activity time included', async () => {
    const pool = await buildPool(['nurse']);
    const made: string[] = [];
    const tie = nextInstant();
    for (let i = 0; i < 23; i++) made.push(await startThread({ departmentId: pool, at: i % 3 === 0 ? tie : nextInstant() }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=5${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await get('nurse', listUrl(pool, query))).json<{
        threads: { id: string; lastActivityAt: string }[];
        nextCursor: string | null;
      }>();
      seen.push(...body.threads.map((x) => x.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(23);
    expect(seen.sort()).toEqual([...made].sort());
  });

  it('lists closed threads under status=closed and every thread under status=all', async () => {
    const pool = await buildPool(['nurse']);
    const open = await startThread({ departmentId: pool });
    const closed = await startThread({ departmentId: pool });
    await t.db.update(messageThreads).set({ status: 'closed' }).where(eq(messageThreads.id, closed));
    expect(await listIds('nurse', pool)).toEqual([open]);
    expect(await listIds('nurse', pool, '?status=closed')).toEqual([closed]);
    expect(await listIds('nurse', pool, '?status=all')).toEqual([closed, open]);
  });

  it('answers 404 to staff outside the pool and for a pool of another organization, and audits the denial', async () => {
    const pool = await buildPool(['nurse']);
    await startThread({ departmentId: pool });
    const response = await get('outsider', listUrl(pool));
    expect(response.statusCode).toBe(404);
    expect(JSON.stringify(response.json())).not.toContain(patients.maria!.mrn);
    expect(await auditOf(response)).toMatchObject([{ action: 'inbox.thread.list', outcome: 'denied', objectId: pool }]);
    expect((await get('clinician of another organization', listUrl(pool))).statusCode).toBe(404);
    expect((await get('nurse', listUrl(orgB.department.id))).statusCode).toBe(404);
    expect((await get('nurse', listUrl(randomUUID()))).statusCode).toBe(404);
  });

  it('answers 403 to a patient, 401 without a session and 400 naming the field for bad input', async () => {
    expect((await get('maria', listUrl(familyMedicine))).statusCode).toBe(403);
    expect((await get(null, listUrl(familyMedicine))).statusCode).toBe(401);
    const bad = async (url: string, field: string) => {
      const response = await get('nurse', url);
      expect(response.statusCode, url).toBe(400);
      expect(JSON.stringify(response.json()), url).toContain(field);
    };
    await bad(listUrl('not-a-uuid'), 'departmentId');
    await bad(listUrl(familyMedicine, '?status=waiting'), 'status');
    await bad(listUrl(familyMedicine, '?limit=0'), 'limit');
    await bad(listUrl(familyMedicine, '?cursor=bm90IGEgY3Vyc29y'), 'cursor');
  });
});

describe('GET /api/inbox/threads/:threadId', () => {
  it('shows a pool member every message with internal notes, marks it read and audits the read', async () => {
    const threadId = await startThread({ subject: 'Knee pain', body: 'My knee hurts.' });
    expect((await post('clinician', threadUrl(threadId, '/messages'), { body: 'Ask about swelling.', internal: true })).statusCode).toBe(
      201,
    );
    const response = await get('nurse', threadUrl(threadId));
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.thread).toMatchObject({
      id: threadId,
      subject: 'Knee pain',
      departmentId: familyMedicine,
      previousThreadId: null,
      unread: false,
    });
    expect(
      body.messages.map((m: { body: string; internal: boolean; authorRole: string; mine: boolean }) => [
        m.body,
        m.internal,
        m.authorRole,
        m.mine,
      ]),
    ).toEqual([
      ['My knee hurts.', false, 'patient', false],
      ['Ask about swelling.', true, 'clinician', false],
    ]);
    expect(body.refill).toBeNull();
    expect(await auditOf(response)).toMatchObject([
      { action: 'inbox.thread.read', outcome: 'success', patientId: patients.maria!.id, details: { threadId } },
    ]);
    const list = (await get('nurse', listUrl(familyMedicine, '?status=all&limit=100'))).json<{
      threads: { id: string; unread: boolean }[];
    }>();
    expect(list.threads.find((x) => x.id === threadId)?.unread).toBe(false);
  });

  it('shows the refill request a thread carries, medications named from their MedicationRequest', async () => {
    const threadId = await startThread({ subject: 'Refill request', topic: 'refill' });
    const medication = await buildFhirResource(t.db, {
      organizationId: orgA.organization.id,
      patientId: patients.maria!.id,
      status: 'active',
      resource: {
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        subject: { reference: `Patient/${patients.maria!.id}` },
        medicationCodeableConcept: { text: 'Metformin 500 mg tablet' },
        dosageInstruction: [{ text: 'Take 1 tablet twice a day with meals' }],
      },
    });
    const [pharmacy] = await t.db
      .insert(pharmacies)
      .values({ patientId: patients.maria!.id, name: 'Corner Pharmacy', address: '2 Main St', phone: null })
      .returning();
    const [refill] = await t.db
      .insert(refillRequests)
      .values({ threadId, patientId: patients.maria!.id, medicationIds: [medication.id], pharmacyId: pharmacy!.id, note: 'Running low' })
      .returning();
    const body = (await get('nurse', threadUrl(threadId))).json();
    expect(body.thread.kind).toBe('refill');
    expect(body.refill).toEqual({
      id: refill!.id,
      status: 'requested',
      medications: [{ id: medication.id, name: 'Metformin 500 mg tablet', directions: 'Take 1 tablet twice a day with meals' }],
      pharmacy: { id: pharmacy!.id, name: 'Corner Pharmacy', address: '2 Main St', phone: null },
      note: 'Running low',
      denialReason: null,
      decidedAt: null,
      createdAt: expect.any(String),
      threadId,
    });
  });

  it('answers 404 to staff outside the pool, another organization, the patient and a missing thread, and audits each denial', async () => {
    const threadId = await startThread({});
    const outsider = await get('outsider', threadUrl(threadId));
    expect(outsider.statusCode).toBe(404);
    expect(outsider.json().error.code).toBe('not_found');
    expect(await auditOf(outsider)).toMatchObject([
      { action: 'inbox.thread.read', outcome: 'denied', patientId: patients.maria!.id, details: { threadId, reason: 'not_pool_member' } },
    ]);
    const foreign = await get('clinician of another organization', threadUrl(threadId));
    expect(foreign.statusCode).toBe(404);
    expect(await auditOf(foreign)).toMatchObject([{ outcome: 'denied', details: { reason: 'no_relationship' } }]);
    expect((await get('maria', threadUrl(threadId))).statusCode).toBe(404);
    expect((await get('admin', threadUrl(threadId))).statusCode).toBe(404);
    const missingId = randomUUID();
    const missing = await get('nurse', threadUrl(missingId));
    expect(missing.statusCode).toBe(404);
    expect(await auditOf(missing)).toMatchObject([{ action: 'inbox.thread.read', outcome: 'denied', details: { threadId: missingId } }]);
  });

  it('answers 400 for an id that is not a UUID and 401 without a session', async () => {
    expect((await get('nurse', threadUrl('nope'))).statusCode).toBe(400);
    expect((await get(null, threadUrl(randomUUID()))).statusCode).toBe(401);
  });
});

describe('POST /api/inbox/threads/:threadId/assign', () => {
  it('assigns to the caller, to another member of the pool, and unassigns, each audited', async () => {
    // An appointment thread: front desk works those, and sees no clinical thread (see "front desk and billing" below).
    const threadId = await startThread({ topic: 'appointment' });
    const self = await post('nurse', threadUrl(threadId, '/assign'), {});
    expect(self.statusCode).toBe(200);
    expect((await threadRow(threadId)).assignedTo).toBe(users.nurse!.id);
    expect(await auditOf(self)).toMatchObject([
      {
        action: 'inbox.thread.assign',
        outcome: 'success',
        patientId: patients.maria!.id,
        details: { threadId, assignedTo: users.nurse!.id },
      },
    ]);
    expect((await post('nurse', threadUrl(threadId, '/assign'), { userId: users.clinician!.id })).statusCode).toBe(200);
    expect((await threadRow(threadId)).assignedTo).toBe(users.clinician!.id);
    expect((await post('front_desk', threadUrl(threadId, '/assign'), { userId: null })).statusCode).toBe(200);
    expect((await threadRow(threadId)).assignedTo).toBeNull();
  });

  it('answers 400 naming userId for someone outside the pool, and changes nothing', async () => {
    const threadId = await startThread({});
    for (const userId of [users.outsider!.id, users['clinician of another organization']!.id, patients.maria!.userId, randomUUID()]) {
      const response = await post('nurse', threadUrl(threadId, '/assign'), { userId });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.field).toBe('userId');
    }
    expect((await threadRow(threadId)).assignedTo).toBeNull();
    expect((await post('nurse', threadUrl(threadId, '/assign'), { userId: 'me' })).statusCode).toBe(400);
  });

  it('answers 404 to staff outside the pool and 401 without a session', async () => {
    const threadId = await startThread({});
    const response = await post('outsider', threadUrl(threadId, '/assign'), {});
    expect(response.statusCode).toBe(404);
    expect(await auditOf(response)).toMatchObject([{ action: 'inbox.thread.assign', outcome: 'denied' }]);
    expect((await threadRow(threadId)).assignedTo).toBeNull();
    expect((await post(null, threadUrl(threadId, '/assign'), {})).statusCode).toBe(401);
  });
});

describe('POST /api/inbox/threads/:threadId/messages', () => {
  it('sends a reply the patient reads with the author name and role, marks the thread answered and emails the patient without the text', async () => {
    const threadId = await startThread({});
    const response = await post('nurse', threadUrl(threadId, '/messages'), { body: 'Secret words: ice and rest.' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      authorName: users.nurse!.name,
      authorRole: 'nurse',
      mine: true,
      internal: false,
      body: 'Secret words: ice and rest.',
      attachments: [],
    });
    expect((await threadRow(threadId)).status).toBe('answered');
    const seen = await patientView(threadId);
    expect(seen.at(-1)).toMatchObject({
      authorName: users.nurse!.name,
      authorRole: 'nurse',
      mine: false,
      body: 'Secret words: ice and rest.',
    });
    expect(await auditOf(response)).toMatchObject([
      { action: 'inbox.message.send', outcome: 'success', patientId: patients.maria!.id, details: { threadId, internal: false } },
    ]);
    expect(JSON.stringify(await auditOf(response))).not.toContain('Secret words');

    const queued = await t.db
      .select()
      .from(outbox)
      .where(eq(outbox.eventKey, `message:${response.json().id}:${patients.maria!.userId}:email`));
    expect(queued).toHaveLength(1);
    const mail = (await t.mail()).filter((m) => m.toAddress === patients.maria!.email && m.subject === 'Your care team replied in Portico');
    expect(mail.length).toBeGreaterThanOrEqual(1);
    expect(mail.every((m) => !m.text.includes('Secret words') && m.text.includes('http://localhost:3000/messages'))).toBe(true);
  });

  it('keeps an internal note from the patient: not in their view, no email, status unchanged', async () => {
    const threadId = await startThread({});
    const response = await post('nurse', threadUrl(threadId, '/messages'), { body: 'Staff only: check the chart.', internal: true });
    expect(response.statusCode).toBe(201);
    expect(response.json().internal).toBe(true);
    expect((await threadRow(threadId)).status).toBe('waiting');
    expect((await patientView(threadId)).map((m) => m.body)).toEqual(['My knee hurts when I climb stairs.']);
    expect(
      await t.db
        .select()
        .from(outbox)
        .where(eq(outbox.eventKey, `message:${response.json().id}:${patients.maria!.userId}:email`)),
    ).toEqual([]);
  });

  it('writes one message for two sends with the same Idempotency-Key, and refuses the key with another body', async () => {
    const threadId = await startThread({});
    const key = { 'idempotency-key': `reply-${randomUUID()}` };
    const first = await post('nurse', threadUrl(threadId, '/messages'), { body: 'Once only.' }, key);
    const second = await post('nurse', threadUrl(threadId, '/messages'), { body: 'Once only.' }, key);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json()).toEqual(first.json());
    expect((await messagesOf(threadId)).filter((m) => m.body === 'Once only.')).toHaveLength(1);
    const other = await post('nurse', threadUrl(threadId, '/messages'), { body: 'Something else.' }, key);
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect(
      await t.db
        .select()
        .from(outbox)
        .where(eq(outbox.eventKey, `message:${first.json().id}:${patients.maria!.userId}:email`)),
    ).toHaveLength(1);
  });

  it('answers 20 racing sends with one key with the same message, written once', async () => {
    const threadId = await startThread({});
    const key = { 'idempotency-key': `race-${randomUUID()}` };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post('nurse', threadUrl(threadId, '/messages'), { body: 'Racing.' }, key)),
    );
    expect(new Set(responses.map((r) => r.statusCode))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => r.json<{ id: string }>().id)).size).toBe(1);
    expect((await messagesOf(threadId)).filter((m) => m.body === 'Racing.')).toHaveLength(1);
  });

  it('takes the author and patient from the session and the thread, never from the body', async () => {
    const threadId = await startThread({});
    const response = await post('nurse', threadUrl(threadId, '/messages'), {
      body: 'Hello.',
      authorId: users.clinician!.id,
      authorRole: 'clinician',
      patientId: patients.other!.id,
      threadId: randomUUID(),
      createdAt: '2001-01-01T00:00:00Z',
    });
    expect(response.statusCode).toBe(201);
    const stored = (await messagesOf(threadId)).at(-1)!;
    expect(stored).toMatchObject({
      body: 'Hello.',
      authorId: users.nurse!.id,
      authorRole: 'nurse',
      patientId: patients.maria!.id,
      threadId,
    });
    expect(stored.createdAt.getFullYear()).toBeGreaterThan(2001);
  });

  it('answers 409 thread_closed on a closed thread and writes nothing', async () => {
    const threadId = await startThread({});
    expect((await post('nurse', threadUrl(threadId, '/close'), {})).statusCode).toBe(200);
    const response = await post('nurse', threadUrl(threadId, '/messages'), { body: 'Too late.' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('thread_closed');
    expect(await messagesOf(threadId)).toHaveLength(1);
    expect(await auditOf(response)).toMatchObject([
      { action: 'inbox.message.send', outcome: 'failure', details: { reason: 'thread_closed' } },
    ]);
  });

  it('answers 404 to staff outside the pool and another organization, and writes nothing', async () => {
    const threadId = await startThread({});
    for (const who of ['outsider', 'clinician of another organization', 'other']) {
      const response = await post(who, threadUrl(threadId, '/messages'), { body: 'Intruding.' });
      expect(response.statusCode, who).toBe(404);
    }
    expect(await messagesOf(threadId)).toHaveLength(1);
  });

  it('answers 400 naming the field for an empty or oversized body or a bad key, and 401 without a session', async () => {
    const threadId = await startThread({});
    for (const [payload, field] of [
      [{ body: '   ' }, 'body'],
      [{ body: 'x'.repeat(10_001) }, 'body'],
      [{}, 'body'],
      [{ body: 'ok', internal: 'yes' }, 'internal'],
      [{ body: 'ok', attachmentIds: ['nope'] }, 'attachmentIds'],
    ] as const) {
      const response = await post('nurse', threadUrl(threadId, '/messages'), payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(JSON.stringify(response.json())).toContain(field);
    }
    const badKey = await post('nurse', threadUrl(threadId, '/messages'), { body: 'ok' }, { 'idempotency-key': 'has spaces' });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error.field).toBe('Idempotency-Key');
    expect((await post(null, threadUrl(threadId, '/messages'), { body: 'ok' })).statusCode).toBe(401);
    expect(await messagesOf(threadId)).toHaveLength(1);
  });
});

describe('POST /api/inbox/threads/:threadId/close', () => {
  it('closes the thread for a pool member, audited; closing again changes nothing', async () => {
    const threadId = await startThread({ topic: 'appointment' });
    const response = await post('front_desk', threadUrl(threadId, '/close'), {});
    expect(response.statusCode).toBe(200);
    expect(await threadRow(threadId)).toMatchObject({ status: 'closed', closedBy: users.front_desk!.id });
    expect(await auditOf(response)).toMatchObject([{ action: 'inbox.thread.close', outcome: 'success', patientId: patients.maria!.id }]);
    expect((await post('nurse', threadUrl(threadId, '/close'), {})).statusCode).toBe(200);
    expect((await threadRow(threadId)).closedBy).toBe(users.front_desk!.id);
  });

  it('answers 404 to staff outside the pool, 400 for a body with fields and 401 without a session', async () => {
    const threadId = await startThread({});
    expect((await post('outsider', threadUrl(threadId, '/close'), {})).statusCode).toBe(404);
    expect((await post('nurse', threadUrl(threadId, '/close'), { status: 'closed' })).statusCode).toBe(400);
    expect((await post(null, threadUrl(threadId, '/close'), {})).statusCode).toBe(401);
    expect((await threadRow(threadId)).status).toBe('waiting');
  });
});

describe('POST /api/inbox/threads/:threadId/forward', () => {
  it('moves the thread to another pool with an internal note and no assignee; the old pool loses it, the new one has it', async () => {
    const cardiology = await buildPool(['outsider'], orgA.organization.id, 'Cardiology');
    const threadId = await startThread({});
    await t.db.update(messageThreads).set({ assignedTo: users.nurse!.id }).where(eq(messageThreads.id, threadId));
    const response = await post('nurse', threadUrl(threadId, '/forward'), {
      departmentId: cardiology,
      note: 'Chest pain: cardiology, please.',
    });
    expect(response.statusCode).toBe(200);
    expect(await threadRow(threadId)).toMatchObject({ departmentId: cardiology, assignedTo: null, status: 'waiting' });
    expect((await messagesOf(threadId)).at(-1)).toMatchObject({
      body: 'Chest pain: cardiology, please.',
      internal: true,
      authorId: users.nurse!.id,
    });
    expect((await patientView(threadId)).map((m) => m.body)).not.toContain('Chest pain: cardiology, please.');
    expect(await auditOf(response)).toMatchObject([
      {
        action: 'inbox.thread.forward',
        outcome: 'success',
        patientId: patients.maria!.id,
        details: { threadId, toDepartmentId: cardiology },
      },
    ]);

    expect(await listIds('nurse', familyMedicine, '?status=all&limit=100')).not.toContain(threadId);
    expect(await listIds('outsider', cardiology)).toEqual([threadId]);
    expect(await poolOf('outsider', cardiology)).toMatchObject({ open: 1, unread: 1 });
    expect((await get('nurse', threadUrl(threadId))).statusCode).toBe(404);
    expect((await get('outsider', threadUrl(threadId))).statusCode).toBe(200);
  });

  it('answers 400 naming departmentId for the same pool or a department of another organization', async () => {
    const threadId = await startThread({});
    for (const departmentId of [familyMedicine, orgB.department.id, randomUUID()]) {
      const response = await post('nurse', threadUrl(threadId, '/forward'), { departmentId, note: 'Over to you.' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.field).toBe('departmentId');
    }
    const noNote = await post('nurse', threadUrl(threadId, '/forward'), { departmentId: orgB.department.id, note: '' });
    expect(noNote.statusCode).toBe(400);
    expect(await threadRow(threadId)).toMatchObject({ departmentId: familyMedicine });
    expect(await messagesOf(threadId)).toHaveLength(1);
  });

  it('answers 404 to staff outside the pool, 409 for a closed thread and 401 without a session', async () => {
    const cardiology = await buildPool(['outsider'], orgA.organization.id, 'Cardiology');
    const threadId = await startThread({});
    const outsider = await post('outsider', threadUrl(threadId, '/forward'), { departmentId: cardiology, note: 'Mine now.' });
    expect(outsider.statusCode).toBe(404);
    expect((await threadRow(threadId)).departmentId).toBe(familyMedicine);
    expect((await post(null, threadUrl(threadId, '/forward'), { departmentId: cardiology, note: 'x' })).statusCode).toBe(401);
    await t.db.update(messageThreads).set({ status: 'closed' }).where(eq(messageThreads.id, threadId));
    const closed = await post('nurse', threadUrl(threadId, '/forward'), { departmentId: cardiology, note: 'x' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('thread_closed');
  });
});

describe('GET /api/inbox/templates', () => {
  it("lists the organization's quick replies and the department's own, not other departments' or organizations'", async () => {
    const pool = await buildPool(['nurse']);
    const elsewhere = await buildPool(['nurse']);
    const values = [
      { organizationId: orgA.organization.id, departmentId: null, title: 'A: Received', body: 'We received your message.' },
      { organizationId: orgA.organization.id, departmentId: pool, title: 'B: Pool only', body: 'Bring your log.' },
      { organizationId: orgA.organization.id, departmentId: elsewhere, title: 'C: Elsewhere', body: 'Other team.' },
      { organizationId: orgB.organization.id, departmentId: null, title: 'D: Other org', body: 'Not yours.' },
    ];
    await t.db.insert(messageTemplates).values(values);
    const response = await get('nurse', `/api/inbox/templates?departmentId=${pool}`);
    expect(response.statusCode).toBe(200);
    const titles = response.json<{ templates: { title: string; body: string; id: string }[] }>().templates.map((x) => x.title);
    expect(titles).toEqual(['A: Received', 'B: Pool only']);
    const orgOnly = (await get('nurse', '/api/inbox/templates')).json<{ templates: { title: string }[] }>();
    expect(orgOnly.templates.map((x) => x.title)).toEqual(['A: Received']);
  });

  it('answers 404 for a department of another organization, 400 for a bad id, 403 to a patient and 401 without a session', async () => {
    expect((await get('nurse', `/api/inbox/templates?departmentId=${orgB.department.id}`)).statusCode).toBe(404);
    expect((await get('nurse', '/api/inbox/templates?departmentId=nope')).statusCode).toBe(400);
    expect((await get('maria', '/api/inbox/templates')).statusCode).toBe(403);
    expect((await get(null, '/api/inbox/templates')).statusCode).toBe(401);
  });
});

describe('audit trail of the inbox', () => {
  it('never stores message text in audit events', async () => {
    const threadId = await startThread({ body: 'Unmistakable patient words' });
    await post('nurse', threadUrl(threadId, '/messages'), { body: 'Unmistakable staff words' });
    await post('nurse', threadUrl(threadId, '/forward'), { departmentId: await buildPool([]), note: 'Unmistakable note words' });
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patients.maria!.id)));
    expect(JSON.stringify(events)).not.toMatch(/Unmistakable/);
  });
});

describe('front desk and billing see no clinical content (issue 9)', () => {
  it('answers 404 to front desk for a clinical thread of their own pool, audited as denied, and leaves it out of lists and counts', async () => {
    const clinical = await startThread({ topic: 'medical_question', subject: 'Chest pain at night' });
    const appointment = await startThread({ topic: 'appointment', subject: 'Can I come earlier?' });
    expect((await post('nurse', threadUrl(appointment, '/messages'), { body: 'Internal: check the ECG', internal: true })).statusCode).toBe(
      201,
    );

    const read = await get('front_desk', threadUrl(clinical));
    expect(read.statusCode).toBe(404);
    expect(read.body).not.toContain('Chest pain');
    expect(await auditOf(read)).toMatchObject([
      { action: 'inbox.thread.read', outcome: 'denied', details: { reason: 'clinical_thread_hidden' } },
    ]);
    for (const [path, payload] of [
      ['/assign', {}],
      ['/close', {}],
    ] as const)
      expect((await post('front_desk', threadUrl(clinical, path), payload)).statusCode, path).toBe(404);

    const list = await get('front_desk', `/api/inbox/pools/${familyMedicine}/threads?status=all`);
    expect(list.statusCode).toBe(200);
    const ids = list.json<{ threads: { id: string }[] }>().threads.map((x) => x.id);
    expect(ids).toContain(appointment);
    expect(ids).not.toContain(clinical);
    expect(list.body).not.toContain('Chest pain');

    const nurseList = await get('nurse', `/api/inbox/pools/${familyMedicine}/threads?status=all`);
    expect(nurseList.json<{ threads: { id: string }[] }>().threads.map((x) => x.id)).toContain(clinical);

    const detail = await get('front_desk', threadUrl(appointment));
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain('Internal: check the ECG');
  });

  it('counts only the non-clinical open threads in front desk pools', async () => {
    const pools = (who: string) =>
      get(who, '/api/inbox/pools').then((r) => r.json<{ pools: { departmentId: string; open: number }[] }>().pools);
    const before = (await pools('front_desk')).find((p) => p.departmentId === familyMedicine)!.open;
    const nurseBefore = (await pools('nurse')).find((p) => p.departmentId === familyMedicine)!.open;
    await startThread({ topic: 'test_result_question' });
    expect((await pools('front_desk')).find((p) => p.departmentId === familyMedicine)!.open).toBe(before);
    expect((await pools('nurse')).find((p) => p.departmentId === familyMedicine)!.open).toBe(nurseBefore + 1);
  });
});
