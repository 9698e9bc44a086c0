import { eq, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { enqueueEmail } from './mail.service.ts';
import { createSmtpTransport } from './mail.transport.ts';
import { deliverPendingMail, retryDelaySeconds } from './outbox.worker.ts';

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
