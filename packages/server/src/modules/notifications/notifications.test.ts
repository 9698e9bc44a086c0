import { eq, like } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPhoneNumber } from '@portico/shared';
import { auditEvents, notificationPreferences, outbox, patients, users } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { deliverPending } from '../mail/outbox.worker.ts';
import { createDevMailboxTransport } from '../mail/mail.transport.ts';
import { notifyNewResults } from '../record/result-notifications.ts';
import { notify } from './notify.ts';
import { createLogSmsSender } from './sms.sender.ts';

let t: TestApp;
let org: Awaited<ReturnType<typeof buildOrganization>>;
const url = '/api/account/notifications';
const publicUrl = 'http://localhost:3000';

/** A patient with a portal account and a session; `phone` puts a number on their record. */
async function buildPerson(phone: string | null = null) {
  const { patient, user } = await buildPatient(t.db, org.organization.id, { withAccount: true });
  if (phone) await t.db.update(patients).set({ phone }).where(eq(patients.id, patient.id));
  return { patientId: patient.id, userId: user!.id, token: await signInAs(t.db, user!) };
}

const get = (token: string) => t.app.inject({ method: 'GET', url, headers: cookieFor(token) });
const put = (token: string, preferences: unknown) =>
  t.app.inject({ method: 'PUT', url, headers: { ...csrfHeaders, ...cookieFor(token) }, payload: { preferences } });
const outboxRows = (keyPrefix: string) =>
  t.db
    .select()
    .from(outbox)
    .where(like(outbox.eventKey, `${keyPrefix}%`));

beforeAll(async () => {
  t = await buildTestApp({ publicUrl });
  org = await buildOrganization(t.db);
});
afterAll(() => t.close());

describe('GET /api/account/notifications', () => {
  it('answers every event with the defaults (email on, SMS off), no mobile number, and lets a patient add one', async () => {
    const person = await buildPerson();
    const response = await get(person.token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      preferences: [
        { event: 'new_message', email: true, sms: false },
        { event: 'message_reply', email: true, sms: false },
        { event: 'refill_decision', email: true, sms: false },
        { event: 'new_result', email: true, sms: false },
        { event: 'appointment_reminder', email: true, sms: false },
        { event: 'waitlist_offer', email: true, sms: false },
      ],
      smsAvailable: true,
      mobilePhone: null,
    });
  });

  it('offers SMS to a patient with a phone on their record, and answers that number', async () => {
    const person = await buildPerson('+1 617 555 0101');
    expect((await get(person.token)).json()).toMatchObject({ smsAvailable: true, mobilePhone: '+1 617 555 0101' });
  });

  it('does not offer SMS to staff (no record to keep a number on)', async () => {
    const nurse = await buildUser(t.db, { role: 'nurse', organizationId: org.organization.id });
    expect((await get(await signInAs(t.db, nurse))).json()).toMatchObject({ smsAvailable: false, mobilePhone: null });
  });

  it('answers 401 without a session', async () => {
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });
});

describe('PUT /api/account/notifications', () => {
  it('stores the choices sent, keeps the others, and answers the whole list (200)', async () => {
    const person = await buildPerson('+1 617 555 0102');
    const response = await put(person.token, [
      { event: 'message_reply', email: false, sms: true },
      { event: 'new_result', email: false, sms: false },
    ]);
    expect(response.statusCode).toBe(200);
    expect(response.json().preferences).toEqual([
      { event: 'new_message', email: true, sms: false },
      { event: 'message_reply', email: false, sms: true },
      { event: 'refill_decision', email: true, sms: false },
      { event: 'new_result', email: false, sms: false },
      { event: 'appointment_reminder', email: true, sms: false },
      { event: 'waitlist_offer', email: true, sms: false },
    ]);
    expect((await get(person.token)).json().preferences).toEqual(response.json().preferences);
  });

  it('refuses SMS without a mobile number (none on file, none sent) with 400 naming mobilePhone, and stores nothing', async () => {
    const person = await buildPerson();
    const response = await put(person.token, [
      { event: 'new_message', email: false, sms: false },
      { event: 'message_reply', email: true, sms: true },
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'mobilePhone' });
    expect(response.json().error.message).toMatch(/mobile number/);
    expect(await t.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, person.userId))).toEqual([]);
  });

  it('refuses an event listed twice and an unknown event (400)', async () => {
    const person = await buildPerson();
    const twice = await put(person.token, [
      { event: 'new_result', email: true, sms: false },
      { event: 'new_result', email: false, sms: false },
    ]);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.field).toBe('preferences');
    const unknown = await put(person.token, [{ event: 'marketing', email: true, sms: false }]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toMatch(/^preferences/);
  });

  it('lets staff choose email only (no phone on file for staff)', async () => {
    const nurse = await buildUser(t.db, { role: 'nurse', organizationId: org.organization.id });
    const token = await signInAs(t.db, nurse);
    expect((await put(token, [{ event: 'new_message', email: false, sms: false }])).statusCode).toBe(200);
    expect((await put(token, [{ event: 'new_message', email: true, sms: true }])).statusCode).toBe(400);
  });

  it('answers 401 without a session', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url,
      headers: csrfHeaders,
      payload: { preferences: [{ event: 'new_result', email: true, sms: false }] },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('PUT /api/account/notifications with a mobile number', () => {
  const putWith = (token: string, body: unknown) =>
    t.app.inject({ method: 'PUT', url, headers: { ...csrfHeaders, ...cookieFor(token) }, payload: body as object });
  const textReplies = [{ event: 'message_reply', email: true, sms: true }];
  const phoneOf = async (patientId: string) => (await t.db.select().from(patients).where(eq(patients.id, patientId)))[0]!.phone;

  it('turns texts on with the mobile number sent (200), keeps it on the record and answers it', async () => {
    const person = await buildPerson();
    const response = await putWith(person.token, { preferences: textReplies, mobilePhone: ' +1 (617) 555-0107 ' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ smsAvailable: true, mobilePhone: '+1 (617) 555-0107' });
    expect(response.json().preferences).toContainEqual({ event: 'message_reply', email: true, sms: true });
    expect(await phoneOf(person.patientId)).toBe('+1 (617) 555-0107');
    expect((await get(person.token)).json()).toMatchObject({ mobilePhone: '+1 (617) 555-0107' });
    const audited = await t.db.select().from(auditEvents).where(eq(auditEvents.actorUserId, person.userId));
    const update = audited.find((e) => e.action === 'account.notifications.update');
    expect(update?.details).toMatchObject({ mobilePhoneChanged: true });
    expect(JSON.stringify(update?.details)).not.toContain('555');
  });

  it.each(['abc', '12345', '617 555 0108 x12', '+1 617 555 0108 1234 5678'])(
    'refuses the mobile number %j with 400 naming mobilePhone, changing nothing',
    async (mobilePhone) => {
      const person = await buildPerson('617-555-0109');
      const response = await putWith(person.token, { preferences: textReplies, mobilePhone });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'mobilePhone' });
      expect(response.json().error.message).toMatch(/mobile number/);
      expect(await phoneOf(person.patientId)).toBe('617-555-0109');
      expect(await t.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, person.userId))).toEqual([]);
    },
  );

  it('refuses texts to a number on file that is not a phone number (400 naming mobilePhone) until a real one is sent', async () => {
    const person = await buildPerson('call the front desk');
    const refused = await put(person.token, textReplies);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.field).toBe('mobilePhone');
    expect((await putWith(person.token, { preferences: textReplies, mobilePhone: '617 555 0110' })).statusCode).toBe(200);
  });

  it('refuses a mobile number from staff, who have no record to keep it on (400 naming mobilePhone)', async () => {
    const nurse = await buildUser(t.db, { role: 'nurse', organizationId: org.organization.id });
    const token = await signInAs(t.db, nurse);
    const response = await putWith(token, { preferences: textReplies, mobilePhone: '617 555 0111' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('mobilePhone');
  });

  it('answers 401 without a session', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url,
      headers: csrfHeaders,
      payload: { preferences: textReplies, mobilePhone: '617 555 0112' },
    });
    expect(response.statusCode).toBe(401);
  });

  it('answers any mobile number with 200 or 400 naming mobilePhone, never 500', async () => {
    const person = await buildPerson();
    const phoneLike = fc.stringMatching(/^\+?[0-9 ().-]{0,30}$/);
    await fc.assert(
      fc.asyncProperty(fc.oneof(phoneLike, fc.string({ unit: 'binary', maxLength: 60 })), async (mobilePhone) => {
        const response = await putWith(person.token, { preferences: textReplies, mobilePhone });
        expect(response.statusCode).toBe(isPhoneNumber(mobilePhone) ? 200 : 400);
        if (response.statusCode === 400 && !mobilePhone.includes('\0')) expect(response.json().error.field).toBe('mobilePhone');
      }),
      { numRuns: 60 },
    );
  });
});

describe('the mobile number on the patient’s own record goes through the access policy, audited', () => {
  const putWith = (token: string, body: unknown) =>
    t.app.inject({ method: 'PUT', url, headers: { ...csrfHeaders, ...cookieFor(token) }, payload: body as object });
  const auditOf = (response: { headers: Record<string, unknown> }) =>
    t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));
  const textReplies = [{ event: 'message_reply', email: true, sms: true }];

  it('audits GET as a read of the patient’s own record (the number it answers), decided by the policy', async () => {
    const person = await buildPerson('+1 617 555 0120');
    const response = await get(person.token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ mobilePhone: '+1 617 555 0120' });
    expect(await auditOf(response)).toMatchObject([
      {
        action: 'account.notifications.read',
        outcome: 'success',
        actorUserId: person.userId,
        patientId: person.patientId,
        objectType: 'Patient',
        objectId: person.patientId,
        details: { via: 'own_record', categories: ['preferences'] },
      },
    ]);
    expect(JSON.stringify((await auditOf(response))[0]?.details)).not.toContain('555');
  });

  it('reads no patient record for staff, and audits nothing about a patient', async () => {
    const nurse = await buildUser(t.db, { role: 'nurse', organizationId: org.organization.id });
    const response = await get(await signInAs(t.db, nurse));
    expect(response.statusCode).toBe(200);
    expect((await auditOf(response)).filter((e) => e.patientId !== null)).toEqual([]);
  });

  it('writes a new number to the patient’s own record under the policy, one event in the same transaction', async () => {
    const person = await buildPerson('617-555-0121');
    const response = await putWith(person.token, { preferences: textReplies, mobilePhone: '617 555 0122' });
    expect(response.statusCode).toBe(200);
    const events = await auditOf(response);
    expect(events).toMatchObject([
      {
        action: 'account.notifications.update',
        outcome: 'success',
        actorUserId: person.userId,
        patientId: person.patientId,
        objectType: 'Patient',
        objectId: person.patientId,
        details: { via: 'own_record', categories: ['preferences'], mobilePhoneChanged: true, preferences: textReplies },
      },
    ]);
    expect(JSON.stringify(events[0]?.details)).not.toContain('555');
  });

  it('audits a patient’s refused change (400) as a failure on their record, changing nothing', async () => {
    // The number on file is no phone number: the refusal comes after the policy allowed the write.
    const person = await buildPerson('call the front desk');
    const response = await putWith(person.token, { preferences: textReplies });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('mobilePhone');
    expect(await auditOf(response)).toMatchObject([
      { action: 'account.notifications.update', outcome: 'failure', patientId: person.patientId, objectId: person.patientId },
    ]);
    const [row] = await t.db.select().from(patients).where(eq(patients.id, person.patientId));
    expect(row!.phone).toBe('call the front desk');
    expect(await t.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, person.userId))).toEqual([]);
  });

  it('audits staff choices against their account, with no patient', async () => {
    const nurse = await buildUser(t.db, { role: 'nurse', organizationId: org.organization.id });
    const response = await put(await signInAs(t.db, nurse), [{ event: 'new_message', email: false, sms: false }]);
    expect(response.statusCode).toBe(200);
    expect(await auditOf(response)).toMatchObject([
      { action: 'account.notifications.update', outcome: 'success', patientId: null, objectType: 'User', objectId: nurse.id },
    ]);
  });
});

describe('notify()', () => {
  it('queues a text with the content-free wording when SMS is chosen, once per event key, and the worker sends it', async () => {
    const person = await buildPerson('+1 617 555 0103');
    await put(person.token, [{ event: 'refill_decision', email: false, sms: true }]);
    const key = `refill:test-1:${person.userId}`;
    const notification = { userId: person.userId, event: 'refill_decision' as const, eventKey: key, path: '/messages/refills' };
    await t.db.transaction((tx) => notify(tx, publicUrl, notification));
    await t.db.transaction((tx) => notify(tx, publicUrl, notification));
    const rows = await outboxRows(key);
    expect(rows.map((r) => [r.channel, r.eventKey])).toEqual([['sms', `${key}:sms`]]);
    expect(rows[0]!.payload).toEqual({
      userId: person.userId,
      to: '+1 617 555 0103',
      text: `Portico: Your prescription refill request has been answered. Sign in to read it: ${publicUrl}/messages/refills`,
    });

    const lines: string[] = [];
    const sms = createLogSmsSender({ info: (line) => lines.push(line) });
    await deliverPending(t.db, { email: createDevMailboxTransport(t.db), sms }, 100);
    expect(lines).toContain(`sms to user ${person.userId} sent`);
    expect(lines.join('\n')).not.toMatch(/555|refill/i);
    expect((await outboxRows(key))[0]!.sentAt).not.toBeNull();
  });

  it('queues no text for someone whose phone was removed after they chose SMS', async () => {
    const person = await buildPerson('+1 617 555 0104');
    await put(person.token, [{ event: 'message_reply', email: true, sms: true }]);
    await t.db.update(patients).set({ phone: null }).where(eq(patients.id, person.patientId));
    const key = `message:test-2:${person.userId}`;
    await t.db.transaction((tx) =>
      notify(tx, publicUrl, { userId: person.userId, event: 'message_reply', eventKey: key, path: '/messages' }),
    );
    expect((await outboxRows(key)).map((r) => r.channel)).toEqual(['email']);
  });
});

describe('notifications in the recipient’s language', () => {
  const replyTo = (userId: string, key: string) =>
    t.db.transaction((tx) => notify(tx, publicUrl, { userId, event: 'message_reply', eventKey: key, path: '/messages' }));

  it('writes an English-speaking patient’s email and text exactly as before', async () => {
    const person = await buildPerson('+1 617 555 0105');
    await put(person.token, [{ event: 'message_reply', email: true, sms: true }]);
    const key = `message:lang-en:${person.userId}`;
    await replyTo(person.userId, key);
    const byChannel = Object.fromEntries((await outboxRows(key)).map((row) => [row.channel, row.payload]));
    expect(byChannel.email).toEqual({
      to: expect.any(String),
      subject: 'Your care team replied in Portico',
      text: `Your care team has replied to your message.\n\nSign in to read it:\n\n${publicUrl}/messages\n\nFor your privacy, this email does not include what it is about.`,
    });
    expect(byChannel.sms).toMatchObject({
      text: `Portico: Your care team has replied to your message. Sign in to read it: ${publicUrl}/messages`,
    });
  });

  it('writes a Spanish-speaking patient’s email and text in Spanish, still without what it is about', async () => {
    const person = await buildPerson('+1 617 555 0106');
    await t.db.update(users).set({ locale: 'es' }).where(eq(users.id, person.userId));
    await put(person.token, [{ event: 'message_reply', email: true, sms: true }]);
    const key = `message:lang-es:${person.userId}`;
    await replyTo(person.userId, key);
    const byChannel = Object.fromEntries((await outboxRows(key)).map((row) => [row.channel, row.payload]));
    expect(byChannel.email).toEqual({
      to: expect.any(String),
      subject: 'Su equipo de atención le respondió en Portico',
      text: `Su equipo de atención respondió a su mensaje.\n\nInicie sesión para verlo:\n\n${publicUrl}/messages\n\nPara proteger su privacidad, este correo no dice de qué se trata.`,
    });
    expect(byChannel.sms).toMatchObject({
      text: `Portico: Su equipo de atención respondió a su mensaje. Inicie sesión para verlo: ${publicUrl}/messages`,
    });
  });
});

describe('new-result notifications', () => {
  const storeLab = (patientId: string) =>
    buildFhirResource(t.db, {
      organizationId: org.organization.id,
      patientId,
      category: 'laboratory',
      status: 'final',
      effectiveAt: new Date(),
      resource: { resourceType: 'Observation', status: 'final', code: { text: 'Hemoglobin A1c' }, valueQuantity: { value: 6.1 } },
    });

  it('follow the patient’s new_result choice and queue one email per result set, keyed by its first result', async () => {
    const keeps = await buildPerson();
    const optedOut = await buildPerson();
    await put(optedOut.token, [{ event: 'new_result', email: false, sms: false }]);
    const [a, b] = [await storeLab(keeps.patientId), await storeLab(keeps.patientId)];
    const quiet = await storeLab(optedOut.patientId);
    const ids = [a.id, b.id, quiet.id];
    await t.db.transaction((tx) => notifyNewResults(tx, ids, publicUrl));
    await t.db.transaction((tx) => notifyNewResults(tx, ids, publicUrl));
    const first = [a.id, b.id].sort()[0]!;
    expect((await outboxRows(`result:${first}:${keeps.userId}`)).map((r) => r.eventKey)).toEqual([`result:${first}:${keeps.userId}:email`]);
    expect(await outboxRows(`result:${quiet.id}:`)).toEqual([]);
    const mail = (await t.mail()).filter((m) => m.text.includes('/record/results'));
    expect(mail.every((m) => !/A1c|6\.1/.test(`${m.subject} ${m.text}`))).toBe(true);
  });
});
