import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, asc, eq, like } from 'drizzle-orm';
import type { Role } from '@portico/shared';
import { auditEvents, messages, messageThreads, outbox, users as userRows } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

/** Handing a thread to a named member of its pool (issue 10 §5.1): who can take it, the assignment, the notice. */
let t: TestApp;
let familyMedicine: string;
let organizationId: string;
let patient: { id: string; userId: string };
const users: Record<string, { id: string; email: string }> = {};
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp();
  const org = await buildOrganization(t.db);
  const other = await buildOrganization(t.db);
  organizationId = org.organization.id;
  familyMedicine = org.department.id;
  const staff: [string, Role, string, string | undefined, string][] = [
    ['nurse', 'nurse', organizationId, familyMedicine, 'Nora Diaz'],
    ['clinician', 'clinician', organizationId, familyMedicine, 'Sarah Chen'],
    ['second clinician', 'clinician', organizationId, familyMedicine, 'Amir Bashir'],
    ['disabled clinician', 'clinician', organizationId, familyMedicine, 'Gone Away'],
    ['front_desk', 'front_desk', organizationId, familyMedicine, 'Keisha Morgan'],
    ['outsider', 'clinician', organizationId, undefined, 'Olga Out'],
    ['clinician of another organization', 'clinician', other.organization.id, other.department.id, 'Fred Far'],
  ];
  for (const [who, role, org, departmentId, name] of staff) {
    const user = await buildUser(t.db, { role, organizationId: org, mfa: true, ...(departmentId ? { departmentId } : {}) });
    await t.db
      .update(userRows)
      .set({ displayName: name, credentials: role === 'clinician' ? 'MD' : null })
      .where(eq(userRows.id, user.id));
    users[who] = { id: user.id, email: user.email };
    tokens[who] = await signInAs(t.db, user);
  }
  await t.db.update(userRows).set({ disabledAt: new Date() }).where(eq(userRows.id, users['disabled clinician']!.id));
  const built = await buildPatient(t.db, organizationId, { withAccount: true });
  patient = { id: built.patient.id, userId: built.user!.id };
  tokens.patient = await signInAs(t.db, built.user!);
});
afterAll(() => t.close());

async function startThread(topic = 'medical_question') {
  const [thread] = await t.db
    .insert(messageThreads)
    .values({ organizationId, patientId: patient.id, departmentId: familyMedicine, topic, subject: 'Dizzy', createdBy: patient.userId })
    .returning();
  await t.db
    .insert(messages)
    .values({ threadId: thread!.id, patientId: patient.id, authorId: patient.userId, authorRole: 'patient', body: 'I feel dizzy.' });
  return thread!.id;
}

const headersOf = (who: string | null) => (who ? cookieFor(tokens[who]!) : {});
const get = (who: string | null, url: string) => t.app.inject({ method: 'GET', url, headers: headersOf(who) });
const post = (who: string | null, url: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: { ...csrfHeaders, ...headersOf(who) }, payload });
const assignees = (who: string | null, threadId: string) => get(who, `/api/inbox/threads/${threadId}/assignees`);
const assign = (who: string | null, threadId: string, payload: Record<string, unknown>) =>
  post(who, `/api/inbox/threads/${threadId}/assign`, payload);
const assignedTo = async (threadId: string) =>
  (await t.db.select().from(messageThreads).where(eq(messageThreads.id, threadId)))[0]!.assignedTo;
const auditOf = (response: { headers: Record<string, unknown> }) =>
  t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])))
    .orderBy(asc(auditEvents.id));
const noticesTo = (who: string, threadId: string) =>
  t.db
    .select()
    .from(outbox)
    .where(and(like(outbox.eventKey, `assign:${threadId}:${users[who]!.id}:%`)));

describe('GET /api/inbox/threads/:threadId/assignees', () => {
  it('lists, by name, the enabled members of the pool who may read a clinical thread: not front desk, not outsiders', async () => {
    const threadId = await startThread();
    const response = await assignees('nurse', threadId);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      assignees: [
        { id: users['second clinician']!.id, name: 'Amir Bashir', credentials: 'MD' },
        { id: users.nurse!.id, name: 'Nora Diaz', credentials: null },
        { id: users.clinician!.id, name: 'Sarah Chen', credentials: 'MD' },
      ],
    });
    expect(await auditOf(response)).toMatchObject([
      { action: 'inbox.thread.assignees', outcome: 'success', patientId: patient.id, details: { threadId } },
    ]);
  });

  it('offers front desk for an appointment thread', async () => {
    const threadId = await startThread('appointment');
    const names = (await assignees('nurse', threadId)).json<{ assignees: { name: string }[] }>().assignees.map((a) => a.name);
    expect(names).toContain('Keisha Morgan');
  });

  it('answers 404 to staff outside the pool and another organization, 400 for a bad id and 401 without a session', async () => {
    const threadId = await startThread();
    expect((await assignees('outsider', threadId)).statusCode).toBe(404);
    expect((await assignees('clinician of another organization', threadId)).statusCode).toBe(404);
    expect((await assignees('patient', threadId)).statusCode).toBe(404);
    expect((await assignees('nurse', randomUUID())).statusCode).toBe(404);
    expect((await assignees('nurse', 'nope')).statusCode).toBe(400);
    expect((await assignees(null, threadId)).statusCode).toBe(401);
  });
});

describe('POST /api/inbox/threads/:threadId/assign to a named clinician', () => {
  it('lets a nurse hand the thread to a clinician of the pool, audited, and tells the clinician without patient data', async () => {
    const threadId = await startThread();
    const response = await assign('nurse', threadId, { userId: users.clinician!.id });
    expect(response.statusCode).toBe(200);
    expect(await assignedTo(threadId)).toBe(users.clinician!.id);
    expect(await auditOf(response)).toMatchObject([
      {
        action: 'inbox.thread.assign',
        outcome: 'success',
        patientId: patient.id,
        details: { threadId, assignedTo: users.clinician!.id },
      },
    ]);
    const notices = await noticesTo('clinician', threadId);
    expect(notices).toHaveLength(1);
    const mail = (await t.mail()).filter((m) => m.toAddress === users.clinician!.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain(`http://localhost:3000/inbox/threads/${threadId}`);
    expect(mail[0]!.text).not.toContain('Dizzy');
    expect(mail[0]!.text).not.toContain('dizzy');
  });

  it('does not notify someone who takes the thread themself, nor again when it is already theirs', async () => {
    const threadId = await startThread();
    expect((await assign('clinician', threadId, {})).statusCode).toBe(200);
    expect(await noticesTo('clinician', threadId)).toEqual([]);
    expect((await assign('nurse', threadId, { userId: users['second clinician']!.id })).statusCode).toBe(200);
    expect((await assign('nurse', threadId, { userId: users['second clinician']!.id })).statusCode).toBe(200);
    expect(await noticesTo('second clinician', threadId)).toHaveLength(1);
  });

  it('answers 400 naming userId for someone who may not read the thread: front desk for a clinical one, disabled staff', async () => {
    const threadId = await startThread();
    for (const who of ['front_desk', 'disabled clinician', 'outsider', 'clinician of another organization']) {
      const response = await assign('nurse', threadId, { userId: users[who]!.id });
      expect(response.statusCode, who).toBe(400);
      expect(response.json().error.field, who).toBe('userId');
    }
    expect(await assignedTo(threadId)).toBeNull();
    const refused = await assign('nurse', threadId, { userId: users.front_desk!.id });
    expect(await auditOf(refused)).toMatchObject([{ action: 'inbox.thread.assign', outcome: 'failure' }]);
    expect(await noticesTo('front_desk', threadId)).toEqual([]);
  });

  it('answers 404 to staff outside the pool and 401 without a session', async () => {
    const threadId = await startThread();
    expect((await assign('outsider', threadId, { userId: users.clinician!.id })).statusCode).toBe(404);
    expect((await assign(null, threadId, { userId: users.clinician!.id })).statusCode).toBe(401);
    expect(await assignedTo(threadId)).toBeNull();
  });
});
