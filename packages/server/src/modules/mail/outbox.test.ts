import { asc, eq, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { createLogSmsSender, type SmsMessage } from '../notifications/sms.sender.ts';
import { enqueueEmail, enqueueOutbox, type EmailMessage } from './mail.service.ts';
import { createSmtpTransport, type DeliveryRef, type MailTransport } from './mail.transport.ts';
import {
  claimDueRows,
  deliverClaimed,
  deliverPending,
  deliverPendingMail,
  deliveryRefOf,
  outboxLeaseSeconds,
  retryDelaySeconds,
} from './outbox.worker.ts';

interface Received {
  to: string[];
  data: string;
}

let handle: DatabaseHandle;
let smtp: SMTPServer;
let smtpPort = 0;
const received: Received[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const address = smtp.server.address();
  smtpPort = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await handle.close();
});

describe('outbox delivery over SMTP', () => {
  it('sends a queued email through a real SMTP server and marks it sent, exactly once', async () => {
    await enqueueEmail(handle.db, { to: 'someone@example.test', subject: 'Something new is waiting', text: 'Sign in to read it.' });
    const transport = createSmtpTransport(`smtp://127.0.0.1:${smtpPort}`, 'Portico <no-reply@portico.test>');
    expect(await deliverPendingMail(handle.db, transport)).toBe(1);
    expect(await deliverPendingMail(handle.db, transport)).toBe(0);
    const mine = received.filter((m) => m.to.includes('someone@example.test'));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.data).toContain('Subject: Something new is waiting');
    const [row] = await handle.db
      .select()
      .from(outbox)
      .where(eq(outbox.id, (await handle.db.select().from(outbox))[0]!.id));
    expect(row?.sentAt).not.toBeNull();
  });

  it('keeps the email through an SMTP outage, backs off, and delivers it once the server answers', async () => {
    await enqueueEmail(handle.db, { to: 'outage@example.test', subject: 'Waiting', text: 'Sign in.' });
    const down = createSmtpTransport('smtp://127.0.0.1:1', 'Portico <no-reply@portico.test>');
    expect(await deliverPendingMail(handle.db, down)).toBe(0);
    const [failed] = await handle.db
      .select()
      .from(outbox)
      .where(sql`${outbox.payload}->>'to' = 'outage@example.test'`);
    expect(failed).toMatchObject({ attempts: 1, sentAt: null });
    expect(failed?.lastError).toBeTruthy();
    expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 5_000);

    const up = createSmtpTransport(`smtp://127.0.0.1:${smtpPort}`, 'Portico <no-reply@portico.test>');
    expect(await deliverPendingMail(handle.db, up)).toBe(0);
    await handle.db
      .update(outbox)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(outbox.id, failed!.id));
    expect(await deliverPendingMail(handle.db, up)).toBe(1);
    expect(received.filter((m) => m.to.includes('outage@example.test'))).toHaveLength(1);
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(30)).toBe(3600);
  });
});

/** A transport that records what it was asked to send and fails its first `failures` calls, like an SMTP outage. */
function recordingTransport(failures = 0) {
  const attempts: (DeliveryRef | undefined)[] = [];
  const sent: { message: EmailMessage; delivery: DeliveryRef | undefined }[] = [];
  const transport: MailTransport = {
    send(message, delivery) {
      attempts.push(delivery);
      if (attempts.length <= failures) return Promise.reject(new Error('421 4.3.2 Service not available, try again later'));
      sent.push({ message, delivery });
      return Promise.resolve();
    },
  };
  return { transport, attempts, sent };
}

/** Makes every waiting row due now: the test's way of letting a back-off or a lease pass. */
const advanceTime = () =>
  handle.db
    .update(outbox)
    .set({ nextAttemptAt: sql`now() - interval '1 second'` })
    .where(sql`${outbox.sentAt} is null`);
const rows = () => handle.db.select().from(outbox).orderBy(asc(outbox.id));
const mail = (n: number): EmailMessage => ({ to: `person${n}@example.test`, subject: 'Something is waiting', text: 'Sign in to read it.' });

describe('outbox delivery guarantee', () => {
  beforeEach(async () => {
    await handle.db.delete(outbox);
  });

  it('delivers exactly once after two transport failures, backing off in between, under one stable delivery id', async () => {
    await enqueueEmail(handle.db, mail(1));
    const fake = recordingTransport(2);
    expect(await deliverPendingMail(handle.db, fake.transport)).toBe(0);
    const [first] = await rows();
    expect(first).toMatchObject({ attempts: 1, sentAt: null });
    expect(first!.lastError).toContain('421');
    expect(first!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + (retryDelaySeconds(1) - 2) * 1000);
    expect(await deliverPendingMail(handle.db, fake.transport)).toBe(0); // still backing off: not even tried
    expect(fake.attempts).toHaveLength(1);

    await advanceTime();
    expect(await deliverPendingMail(handle.db, fake.transport)).toBe(0);
    const [second] = await rows();
    expect(second!.attempts).toBe(2);
    expect(second!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + (retryDelaySeconds(2) - 2) * 1000);

    await advanceTime();
    expect(await deliverPendingMail(handle.db, fake.transport)).toBe(1);
    await advanceTime();
    expect(await deliverPendingMail(handle.db, fake.transport)).toBe(0);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]!.message).toEqual(mail(1));
    expect(fake.attempts).toHaveLength(3);
    expect(new Set(fake.attempts.map((d) => d?.id)).size).toBe(1);
    expect((await rows())[0]).toMatchObject({ attempts: 3, lastError: null });
    expect((await rows())[0]!.sentAt).not.toBeNull();
  });

  it('lets a second worker deliver, once, what a killed worker had claimed, after the lease passes', async () => {
    await enqueueEmail(handle.db, mail(2));
    const claimed = await claimDueRows(handle.db, ['email'], 20); // the first worker claims, then dies before sending
    expect(claimed).toHaveLength(1);
    const [leased] = await rows();
    expect(leased!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + (outboxLeaseSeconds - 5) * 1000);

    const second = recordingTransport();
    expect(await deliverPendingMail(handle.db, second.transport)).toBe(0); // the lease holds
    expect(second.sent).toHaveLength(0);

    await advanceTime(); // the lease passes (a restart finds the row due again)
    expect(await deliverPendingMail(handle.db, second.transport)).toBe(1);
    await advanceTime();
    expect(await deliverPendingMail(handle.db, second.transport)).toBe(0);
    expect(second.sent.map((s) => s.message.to)).toEqual(['person2@example.test']);
    expect((await rows())[0]).toMatchObject({ attempts: 2 });
  });

  it('sends nothing from a worker that wakes up after its lease was taken over', async () => {
    await enqueueEmail(handle.db, mail(3));
    const stale = recordingTransport();
    const claimedByStale = await claimDueRows(handle.db, ['email'], 20); // claims, then stalls past the lease
    await advanceTime();
    const fresh = recordingTransport();
    expect(await deliverPendingMail(handle.db, fresh.transport)).toBe(1);
    expect(await deliverClaimed(handle.db, { email: stale.transport }, claimedByStale)).toBe(0);
    expect(stale.attempts).toHaveLength(0);
    expect(fresh.sent).toHaveLength(1);
  });

  it('delivers each row once when several workers race for the outbox', async () => {
    for (let n = 0; n < 40; n++) await enqueueEmail(handle.db, mail(100 + n));
    const fake = recordingTransport();
    const worker = async () => {
      let total = 0;
      for (let delivered = -1; delivered !== 0; total += delivered) delivered = await deliverPendingMail(handle.db, fake.transport, 5);
      return total;
    };
    const totals = await Promise.all([worker(), worker(), worker(), worker()]);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(40);
    const addresses = fake.sent.map((s) => s.message.to);
    expect(addresses).toHaveLength(40);
    expect(new Set(addresses).size).toBe(40);
    expect((await rows()).every((r) => r.sentAt !== null && r.attempts === 1)).toBe(true);
  });

  it('queues an event once however often it is raised (event_key)', async () => {
    await enqueueEmail(handle.db, mail(4), 'message:m1:u1:email');
    await enqueueEmail(handle.db, { ...mail(4), subject: 'Raised again' }, 'message:m1:u1:email');
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.payload).toMatchObject({ subject: 'Something is waiting' });
  });

  it('sends sms rows through the SMS sender, logging only the user, and leaves them alone when no sender is given', async () => {
    const text: SmsMessage = { userId: 'user-1', to: '+1 555 0100', text: 'Portico: Your care team has replied to your message.' };
    await enqueueOutbox(handle.db, 'sms', text, 'message:m2:user-1:sms');
    await enqueueEmail(handle.db, mail(5));
    const fake = recordingTransport();
    expect(await deliverPendingMail(handle.db, fake.transport)).toBe(1);
    expect((await rows()).find((r) => r.channel === 'sms')).toMatchObject({ attempts: 0, sentAt: null });

    const lines: string[] = [];
    const sms = createLogSmsSender({ info: (line) => lines.push(line) });
    expect(await deliverPending(handle.db, { email: fake.transport, sms })).toBe(1);
    expect(lines).toEqual(['sms to user user-1 sent']);
    expect(fake.sent).toHaveLength(1);
    expect((await rows()).every((r) => r.sentAt !== null)).toBe(true);
  });

  it('gives each email a Message-ID derived from its row, the same when a crash makes the row go out twice', async () => {
    await enqueueEmail(handle.db, { to: 'crash@example.test', subject: 'Waiting', text: 'Sign in.' });
    const smtpTransport = createSmtpTransport(`smtp://127.0.0.1:${smtpPort}`, 'Portico <no-reply@portico.test>');
    // The first worker's send reaches the server, then the process dies before the row is marked sent.
    const [row] = await claimDueRows(handle.db, ['email'], 1);
    await smtpTransport.send(row!.payload as EmailMessage, deliveryRefOf(row!));
    await advanceTime();
    expect(await deliverPendingMail(handle.db, smtpTransport)).toBe(1);
    const copies = received.filter((m) => m.to.includes('crash@example.test'));
    expect(copies).toHaveLength(2);
    const ids = copies.map((m) => /^Message-ID: (.+)$/im.exec(m.data)?.[1]?.trim());
    expect(ids[0]).toBe(`<${deliveryRefOf(row!).id}@portico.test>`);
    expect(ids[1]).toBe(ids[0]);
  });
});
