import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { accessGrants, auditEvents, messages, users } from '../../db/schema/index.ts';
import { buildUser, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { fullProxyCategories } from '../proxies/proxy-access.ts';
import { buildMessagingWorld, newThread, requestsFor, type MessagingWorld, type Person } from './messaging.fixtures.ts';

/**
 * Issue 11 §1: a proxy acts for the patient on the patient's side of messaging, as far as their grant's areas go; what
 * they send is theirs (role proxy, their name), audited with the patient as on-behalf-of. Staff still reach threads
 * only through the inbox.
 */
let t: TestApp;
let w: MessagingWorld;
let http: ReturnType<typeof requestsFor>;
/** Maria's daughter, a full proxy; and a helper whose grant covers appointments only. */
let daughter: Person;
let helper: Person;

const base = (patientId: string) => `/api/patients/${patientId}/messages`;

async function proxyOf(patientId: string, name: string, categories: string[]): Promise<Person> {
  const user = await buildUser(t.db, { role: 'proxy', organizationId: w.orgA });
  await t.db.update(users).set({ displayName: name }).where(eq(users.id, user.id));
  await t.db
    .insert(accessGrants)
    // Granted by the adult patient herself: a guardian's grant would end at 18.
    .values({
      granteeUserId: user.id,
      patientId,
      kind: 'proxy',
      level: 'full',
      relationship: 'invited',
      categories,
      grantedBy: w.patient.id,
    });
  return { id: user.id, name, token: await signInAs(t.db, user) };
}

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildMessagingWorld(t);
  http = requestsFor(t);
  daughter = await proxyOf(w.patient.patientId, 'Ana Lopez', [...fullProxyCategories]);
  helper = await proxyOf(w.patient.patientId, 'Hal Helper', ['demographics', 'appointments']);
});
afterAll(async () => t?.close());

describe("a proxy on the patient's side of messaging", () => {
  it('lists the recipients and writes a thread for the patient, signed with their own name and the proxy role', async () => {
    const recipients = await http.get(daughter, `${base(w.patient.patientId)}/recipients`);
    expect(recipients.statusCode, recipients.body).toBe(200);
    expect(recipients.json().recipients.length).toBeGreaterThan(0);

    const created = await http.post(daughter, `${base(w.patient.patientId)}/threads`, newThread(w));
    expect(created.statusCode, created.body).toBe(201);
    const threadId = created.json().thread.id as string;
    const [message] = await t.db.select().from(messages).where(eq(messages.threadId, threadId));
    expect(message).toMatchObject({ authorId: daughter.id, authorRole: 'proxy' });

    // The patient reads it as written by her daughter; the daughter reads it as her own.
    const asPatient = await http.get(w.patient, `${base(w.patient.patientId)}/threads/${threadId}`);
    expect(asPatient.statusCode).toBe(200);
    expect(asPatient.json().messages[0]).toMatchObject({ authorName: 'Ana Lopez', authorRole: 'proxy', mine: false });
    const asDaughter = await http.get(daughter, `${base(w.patient.patientId)}/threads/${threadId}`);
    expect(asDaughter.json().messages[0]).toMatchObject({ mine: true });

    // Audited as the daughter, on behalf of the patient, through the proxy grant.
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, daughter.id), eq(auditEvents.action, 'message.thread.create')));
    expect(event).toMatchObject({ outcome: 'success', patientId: w.patient.patientId, onBehalfOfUserId: w.patient.id });
    expect(event!.details).toMatchObject({ via: 'proxy' });
  });

  it('answers 404 to a proxy whose areas leave out messages, and to staff, as before', async () => {
    expect((await http.get(helper, `${base(w.patient.patientId)}/recipients`)).statusCode).toBe(404);
    expect((await http.post(helper, `${base(w.patient.patientId)}/threads`, newThread(w))).statusCode).toBe(404);
    expect((await http.get(w.pcp, `${base(w.patient.patientId)}/threads`)).statusCode).toBe(404);
  });

  it("answers 404 on another patient's messages, and 401 without a session", async () => {
    expect((await http.get(daughter, `${base(w.otherPatient.patientId)}/threads`)).statusCode).toBe(404);
    expect((await http.get(null, `${base(w.patient.patientId)}/threads`)).statusCode).toBe(401);
  });

  it('answers 400 for a thread without a subject, naming the field', async () => {
    const response = await http.post(daughter, `${base(w.patient.patientId)}/threads`, newThread(w, { subject: '' }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('subject');
  });
});
