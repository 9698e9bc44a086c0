import { eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { queryRows, type Database } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';
import type { EmailMessage } from './mail.service.ts';
import type { MailTransport } from './mail.transport.ts';

/** Back-off before the next try: 10 s, 20 s, 40 s ... capped at one hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
}

/** How long a claimed row is leased to this worker before another may retry it. */
const leaseSeconds = 60;

/**
 * Claims due rows with SKIP LOCKED (several server processes can share the outbox), sends them, marks them sent.
 * Returns how many were delivered.
 */
export async function deliverPendingMail(db: Database, transport: MailTransport, batchSize = 20): Promise<number> {
  const claimed = await queryRows<{ id: number; payload: EmailMessage; attempts: number }>(
    db,
    sql`
    update outbox set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
    where id in (
      select id from outbox where sent_at is null and next_attempt_at <= now()
      order by id limit ${batchSize} for update skip locked
    )
    returning id, payload, attempts`,
  );
  let delivered = 0;
  for (const row of claimed) {
    try {
      await transport.send(row.payload);
      await db
        .update(outbox)
        .set({ sentAt: new Date(), lastError: null })
        .where(eq(outbox.id, Number(row.id)));
      delivered++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db
        .update(outbox)
        .set({
          lastError: message.slice(0, 500),
          nextAttemptAt: sql`now() + make_interval(secs => ${retryDelaySeconds(row.attempts)})`,
        })
        .where(eq(outbox.id, Number(row.id)));
    }
  }
  return delivered;
}

/** A running outbox worker: polls, and can be nudged right after a commit. */
export interface OutboxWorker {
  kick(): void;
  stop(): Promise<void>;
}

/** Starts the in-process worker that main.ts runs beside the HTTP server. */
export function startOutboxWorker(db: Database, transport: MailTransport, log: FastifyBaseLogger, intervalMs = 2000): OutboxWorker {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = running
      .then(async () => {
        while (!stopped && (await deliverPendingMail(db, transport)) > 0);
      })
      .catch((error: unknown) => log.warn({ err: { message: String(error) } }, 'outbox delivery failed; will retry'));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    kick: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
