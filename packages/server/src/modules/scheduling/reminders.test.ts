import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments } from '../../db/schema/index.ts';
import { buildPatient } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { sendDueReminders } from './reminders.ts';
import { bookAt, buildScheduleWorld } from './schedule.fixtures.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof buildScheduleWorld>>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildScheduleWorld(t);
});
afterAll(() => t.close());

const hour = 3_600_000;
const publicUrl = 'http://localhost:3000';

describe('sendDueReminders', () => {
  it('sends one content-free reminder 3 days and one 1 day before, however often it runs; none for cancelled visits', async () => {
    const now = new Date(Math.ceil(Date.now() / 300_000) * 300_000);
    const soon = await w.patient();
    const cancelled = await w.patient();
    const far = await w.patient();
    const noAccount = await buildPatient(t.db, w.organization.id);
    const visit = await bookAt(t, w, soon.id, new Date(now.getTime() + 60 * hour));
    const gone = await bookAt(t, w, cancelled.id, new Date(now.getTime() + 20 * hour));
    await t.db.update(appointments).set({ status: 'cancelled' }).where(eq(appointments.id, gone.id));
    await bookAt(t, w, far.id, new Date(now.getTime() + 100 * hour));
    await bookAt(t, w, noAccount.patient.id, new Date(now.getTime() + 30 * hour));
    await t.mail();

    await sendDueReminders(t.db, publicUrl, now);
    await sendDueReminders(t.db, publicUrl, now);
    let mail = (await t.mail()).filter((m) => m.subject.includes('appointment reminder'));
    expect(mail.map((m) => m.toAddress)).toEqual([soon.user.email]);
    expect(mail[0]!.text).toContain('You have an appointment coming up. Sign in to see the details.');
    expect(mail[0]!.text).toContain(`${publicUrl}/appointments`);
    expect(mail[0]!.text).not.toContain(w.visitType.name);
    expect(mail[0]!.text).not.toContain(w.clinician.displayName);

    // A day before: the 1-day reminder, once.
    const dayBefore = new Date(visit.startAt.getTime() - 20 * hour);
    await sendDueReminders(t.db, publicUrl, dayBefore);
    await sendDueReminders(t.db, publicUrl, dayBefore);
    mail = (await t.mail()).filter((m) => m.subject.includes('appointment reminder'));
    expect(mail.filter((m) => m.toAddress === soon.user.email)).toHaveLength(2);
    expect(mail.some((m) => m.toAddress === cancelled.user.email)).toBe(false);
  });
});
