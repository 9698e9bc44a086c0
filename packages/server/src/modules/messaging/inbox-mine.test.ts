import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { Role } from '@portico/shared';
import { auditEvents, departments, messages, messageThreads, staffDepartments } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

/** What is addressed to a staff member, for their home page (issue 10 §5.2). */
let t: TestApp;
let organizationId: string;
let familyMedicine: string;
let cardiology: string;
let patient: { id: string; userId: string };
const users: Record<string, string> = {};
const tokens: Record<string, string> = {};

const start = Date.now() - 10 * 86_400_000;
let clock = 0;
const nextInstant = () => new Date(start + ++clock * 60_000);

beforeAll(async () => {
  t = await buildTestApp();
  const org = await buildOrganization(t.db);
  organizationId = org.organization.id;
  familyMedicine = org.department.id;
  const [dept] = await t.db
    .insert(departments)
    .values({ organizationId, name: 'Cardiology', specialty: 'cardiology', timeZone: 'America/New_York' })
    .returning();
  cardiology = dept!.id;
  const staff: [string, Role, string | undefined][] = [
    ['clinician', 'clinician', familyMedicine],
    ['nurse', 'nurse', familyMedicine],
    ['admin', 'admin', familyMedicine],
  ];
  for (const [who, role, departmentId] of staff) {
    const user = await buildUser(t.db, { role, organizationId, mfa: true, ...(departmentId ? { departmentId } : {}) });
    users[who] = user.id;
    tokens[who] = await signInAs(t.db, user);
  }
  const built = await buildPatient(t.db, organizationId, { withAccount: true });
  patient = { id: built.patient.id, userId: built.user!.id };
  tokens.patient = await signInAs(t.db, built.user!);
});
afterAll(() => t.close());

async function thread(options: { subject: string; assignedTo?: string; clinicianId?: string; departmentId?: string; status?: string }) {
  const at = nextInstant();
  const [row] = await t.db
    .insert(messageThreads)
    .values({
      organizationId,
      patientId: patient.id,
      departmentId: options.departmentId ?? familyMedicine,
      clinicianId: options.clinicianId ?? null,
      assignedTo: options.assignedTo ?? null,
      topic: 'medical_question',
      subject: options.subject,
      status: options.status ?? 'waiting',
      createdBy: patient.userId,
      createdAt: at,
      lastActivityAt: at,
    })
    .returning();
  await t.db
    .insert(messages)
    .values({ threadId: row!.id, patientId: patient.id, authorId: patient.userId, authorRole: 'patient', body: 'Hello', createdAt: at });
  return row!.id;
}

const mine = (who: string | null) => t.app.inject({ method: 'GET', url: '/api/inbox/mine', headers: who ? cookieFor(tokens[who]!) : {} });

describe('GET /api/inbox/mine', () => {
  it('lists the open threads assigned to the caller or naming them, unread first, with counts, and audits each patient', async () => {
    const assignedRead = await thread({ subject: 'Assigned, read', assignedTo: users.clinician });
    const named = await thread({ subject: 'Written to me', clinicianId: users.clinician });
    const assignedNew = await thread({ subject: 'Assigned, new', assignedTo: users.clinician, status: 'acknowledged' });
    await thread({ subject: 'Answered', clinicianId: users.clinician, status: 'answered' });
    await thread({ subject: 'Closed', assignedTo: users.clinician, status: 'closed' });
    await thread({ subject: 'The nurse’s', assignedTo: users.nurse });
    await thread({ subject: 'The pool’s' });
    // Named, but in a pool the clinician is not in: the pool rule hides it.
    await thread({ subject: 'Elsewhere', clinicianId: users.clinician, departmentId: cardiology });
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/inbox/threads/${assignedRead}`,
          headers: cookieFor(tokens.clinician!),
        })
      ).statusCode,
    ).toBe(200);

    const response = await mine('clinician');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json<{
      threads: { subject: string; unread: boolean; status: string; assignedTo: { id: string } | null }[];
      counts: { open: number; unread: number; todo: number };
    }>();
    // Unread first, then newest activity first.
    expect(body.threads.map((x) => [x.subject, x.unread])).toEqual([
      ['Answered', true],
      ['Assigned, new', true],
      ['Written to me', true],
      ['Assigned, read', false],
    ]);
    expect(body.threads[1]).toMatchObject({ id: assignedNew, status: 'acknowledged', assignedTo: { id: users.clinician } });
    expect(body.threads[2]).toMatchObject({ id: named, assignedTo: null, recipientLabel: expect.any(String) });
    expect(body.counts).toEqual({ open: 4, unread: 3, todo: 3 });

    const audit = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])))
      .orderBy(asc(auditEvents.id));
    expect(audit.map((e) => [e.action, e.patientId])).toEqual([
      ['inbox.thread.mine', null],
      ['inbox.thread.mine.patient', patient.id],
    ]);
  });

  it('answers a staff member with nothing addressed to them with an empty list', async () => {
    const nurse = await buildUser(t.db, { role: 'nurse', organizationId, mfa: true });
    await t.db.insert(staffDepartments).values({ userId: nurse.id, departmentId: familyMedicine });
    tokens['new nurse'] = await signInAs(t.db, nurse);
    expect((await mine('new nurse')).json()).toEqual({ threads: [], counts: { open: 0, unread: 0, todo: 0 } });
  });

  it('answers 403 to a patient and an administrator, 401 without a session', async () => {
    expect((await mine('patient')).statusCode).toBe(403);
    expect((await mine('admin')).statusCode).toBe(403);
    expect((await mine(null)).statusCode).toBe(401);
    const post = await t.app.inject({ method: 'POST', url: '/api/inbox/mine', headers: { ...csrfHeaders, ...cookieFor(tokens.nurse!) } });
    expect(post.statusCode).toBe(404);
  });
});
