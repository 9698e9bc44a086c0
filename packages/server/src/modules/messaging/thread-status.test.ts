import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { Role } from '@portico/shared';
import { auditEvents, messages, messageTemplates, messageThreads } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

/**
 * Where a thread stands (issue 10 §5.3): waiting (the patient wrote last) → acknowledged (a holding reply: a full answer
 * is still owed, so the thread stays in the pool's to-do) → answered (a full reply) → closed.
 */
let t: TestApp;
let organizationId: string;
let pool: string;
let patient: { id: string; userId: string };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp();
  const org = await buildOrganization(t.db);
  organizationId = org.organization.id;
  pool = org.department.id;
  const staff: [string, Role, string | undefined][] = [
    ['nurse', 'nurse', pool],
    ['outsider', 'nurse', undefined],
  ];
  for (const [who, role, departmentId] of staff) {
    const user = await buildUser(t.db, { role, organizationId, mfa: true, ...(departmentId ? { departmentId } : {}) });
    tokens[who] = await signInAs(t.db, user);
  }
  const built = await buildPatient(t.db, organizationId, { withAccount: true });
  patient = { id: built.patient.id, userId: built.user!.id };
  tokens.patient = await signInAs(t.db, built.user!);
});
afterAll(() => t.close());

async function startThread() {
  const [thread] = await t.db
    .insert(messageThreads)
    .values({
      organizationId,
      patientId: patient.id,
      departmentId: pool,
      topic: 'medical_question',
      subject: 'Rash',
      createdBy: patient.userId,
    })
    .returning();
  await t.db
    .insert(messages)
    .values({ threadId: thread!.id, patientId: patient.id, authorId: patient.userId, authorRole: 'patient', body: 'I have a rash.' });
  return thread!.id;
}

const headersOf = (who: string | null) => (who ? cookieFor(tokens[who]!) : {});
const get = (who: string | null, url: string) => t.app.inject({ method: 'GET', url, headers: headersOf(who) });
const post = (who: string | null, url: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: { ...csrfHeaders, ...headersOf(who) }, payload });
const reply = (who: string | null, threadId: string, payload: Record<string, unknown>) =>
  post(who, `/api/inbox/threads/${threadId}/messages`, payload);
const statusOf = async (threadId: string) => (await t.db.select().from(messageThreads).where(eq(messageThreads.id, threadId)))[0]!.status;
const toDo = async () =>
  (await get('nurse', `/api/inbox/pools/${pool}/threads?status=todo`)).json<{ threads: { id: string; status: string }[] }>().threads;
/** The pool's to-do and open counts (a reply marks the thread read, so unread is left out). */
const poolCounts = async () => {
  const pools = (await get('nurse', '/api/inbox/pools')).json<{ pools: { departmentId: string; todo: number; open: number }[] }>().pools;
  const { todo, open } = pools.find((p) => p.departmentId === pool)!;
  return { todo, open };
};
const patientSees = async (threadId: string) =>
  (await get('patient', `/api/patients/${patient.id}/messages/threads/${threadId}`)).json<{ thread: { status: string } }>().thread.status;

describe('holding replies and the thread states', () => {
  it('keeps a thread in the to-do after a holding reply, takes it out after a full reply, and puts it back when the patient writes', async () => {
    const threadId = await startThread();
    const before = await poolCounts();
    expect((await toDo()).map((x) => x.id)).toContain(threadId);

    const holding = await reply('nurse', threadId, { body: 'We received your message and will reply by tomorrow.', holding: true });
    expect(holding.statusCode).toBe(201);
    expect(await statusOf(threadId)).toBe('acknowledged');
    expect((await toDo()).find((x) => x.id === threadId)?.status).toBe('acknowledged');
    expect(await poolCounts()).toEqual({ ...before });
    expect(await patientSees(threadId)).toBe('acknowledged');
    const [stored] = await t.db.select().from(messages).where(eq(messages.threadId, threadId)).orderBy(asc(messages.createdAt)).offset(1);
    expect(stored).toMatchObject({ holding: true, internal: false });
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(holding.headers['x-request-id'])));
    expect(events).toMatchObject([{ action: 'inbox.message.send', outcome: 'success', details: { threadId, holding: true } }]);

    expect((await reply('nurse', threadId, { body: 'It looks like eczema; use the cream twice a day.' })).statusCode).toBe(201);
    expect(await statusOf(threadId)).toBe('answered');
    expect((await toDo()).map((x) => x.id)).not.toContain(threadId);
    expect(await poolCounts()).toEqual({ ...before, todo: before.todo - 1 });
    expect(await patientSees(threadId)).toBe('answered');

    const again = await post('patient', `/api/patients/${patient.id}/messages/threads/${threadId}/messages`, { body: 'Thank you!' });
    expect(again.statusCode).toBe(201);
    expect(await statusOf(threadId)).toBe('waiting');
    expect((await toDo()).map((x) => x.id)).toContain(threadId);
  });

  it('leaves the state alone for an internal note, and refuses a holding internal note with 400 naming holding', async () => {
    const threadId = await startThread();
    expect((await reply('nurse', threadId, { body: 'Ask the dermatologist.', internal: true })).statusCode).toBe(201);
    expect(await statusOf(threadId)).toBe('waiting');
    const refused = await reply('nurse', threadId, { body: 'Received.', internal: true, holding: true });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'validation_failed', field: 'holding' });
    expect(await t.db.select().from(messages).where(eq(messages.threadId, threadId))).toHaveLength(2);
    const bad = await reply('nurse', threadId, { body: 'Received.', holding: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('holding');
  });

  it('answers 404 to staff outside the pool and 401 without a session, and changes nothing', async () => {
    const threadId = await startThread();
    expect((await reply('outsider', threadId, { body: 'Received.', holding: true })).statusCode).toBe(404);
    expect((await reply(null, threadId, { body: 'Received.', holding: true })).statusCode).toBe(401);
    expect(await statusOf(threadId)).toBe('waiting');
  });

  it('marks the quick replies that are holding replies', async () => {
    await t.db.insert(messageTemplates).values([
      { organizationId, departmentId: null, title: 'Message received', body: 'We received your message.', holding: true },
      { organizationId, departmentId: null, title: 'Result normal', body: 'Your result is normal.' },
    ]);
    const templates = (await get('nurse', `/api/inbox/templates?departmentId=${pool}`)).json<{
      templates: { title: string; holding: boolean }[];
    }>().templates;
    expect(templates.map((x) => [x.title, x.holding])).toEqual([
      ['Message received', true],
      ['Result normal', false],
    ]);
  });
});
