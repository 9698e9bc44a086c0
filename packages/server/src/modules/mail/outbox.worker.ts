import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { queryRows, type Database } from '../../db/client.ts';
import type { SmsMessage, SmsSender } from '../notifications/sms.sender.ts';
import { deploymentBrandName } from '../branding/branding.service.ts';
import { signedEmail, type EmailMessage, type OutboxChannel } from './mail.service.ts';
import type { DeliveryRef, MailTransport } from './mail.transport.ts';

/**
 * Delivery guarantee of the outbox (SECURITY.md "Notifications go through an outbox"):
 * - a row is claimed with a lease: `attempts + 1` and `next_attempt_at = now() + lease`, under SKIP LOCKED, so several
 *   processes share the outbox and a row is in one worker's hands at a time;
 * - the claimed `attempts` value is the lease's fencing token: every later write (renewing the lease before the send,
 *   marking it sent, recording a failure) names it, so a worker whose lease expired and was taken over changes nothing;
 * - marking a row sent is one statement that ends the lease; a failure keeps the row with back-off;
 * - a worker that dies after claiming leaves the row to the next worker once the lease passes;
 * - SMTP cannot be made exactly-once: if the process dies after the server accepted a message and before the row is
 *   marked sent, the row is sent again. That resend carries the same Message-ID, so receivers de-duplicate it.
 */

/** Back-off before the next try: 10 s, 20 s, 40 s ... capped at one hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
}

/** How long a claimed row is leased to this worker before another may retry it. */
export const outboxLeaseSeconds = 60;
/** A send that has not answered by then counts as failed (well inside the lease, which is renewed just before). */
export const sendDeadlineMs = 30_000;

/** Who delivers each channel; a channel without a sender is left in the outbox for a worker that has one. */
export interface OutboxSenders {
  email: MailTransport;
  sms?: SmsSender;
}

/** A row this worker holds the lease on; `attempts` is the fencing token. */
export interface ClaimedRow {
  id: number;
  channel: OutboxChannel;
  payload: unknown;
  attempts: number;
  createdAt: Date;
}

/** Stable per row, different for every row (the creation instant keeps ids apart across a reset database). */
export function deliveryRefOf(row: Pick<ClaimedRow, 'id' | 'createdAt'>): DeliveryRef {
  return { id: `outbox.${row.id}.${row.createdAt.getTime().toString(36)}` };
}

function channelsOf(senders: OutboxSenders): OutboxChannel[] {
  return senders.sms ? ['email', 'sms'] : ['email'];
}

/** Claims up to `batchSize` due rows of these channels and leases them to the caller, oldest first. */
export async function claimDueRows(db: Database, channels: OutboxChannel[], batchSize: number): Promise<ClaimedRow[]> {
  const rows = await queryRows<{
    id: number | string;
    channel: OutboxChannel;
    payload: unknown;
    attempts: number;
    created_at: Date | string;
  }>(
    db,
    sql`
    update outbox set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${outboxLeaseSeconds})
    where id in (
      select id from outbox
      where sent_at is null and next_attempt_at <= now() and channel = any(${sql.param(channels)}::text[])
      order by id limit ${batchSize} for update skip locked
    )
    returning id, channel, payload, attempts, created_at`,
  );
  return rows
    .map((r) => ({ id: Number(r.id), channel: r.channel, payload: r.payload, attempts: r.attempts, createdAt: new Date(r.created_at) }))
    .sort((a, b) => a.id - b.id);
}

/** Renews the lease just before sending; false when the row is no longer this worker's (taken over, or sent). */
async function renewLease(db: Database, row: ClaimedRow): Promise<boolean> {
  const renewed = await queryRows<{ id: number }>(
    db,
    sql`update outbox set next_attempt_at = now() + make_interval(secs => ${outboxLeaseSeconds})
        where id = ${row.id} and attempts = ${row.attempts} and sent_at is null returning id`,
  );
  return renewed.length === 1;
}

/** Marks the row sent and ends the lease in one statement; false when the lease had been taken over meanwhile. */
async function markSent(db: Database, row: ClaimedRow): Promise<boolean> {
  const marked = await queryRows<{ id: number }>(
    db,
    sql`update outbox set sent_at = now(), last_error = null
        where id = ${row.id} and attempts = ${row.attempts} and sent_at is null returning id`,
  );
  return marked.length === 1;
}

/** Keeps the row for a later try, after the back-off for this attempt. */
async function markFailed(db: Database, row: ClaimedRow, error: unknown): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
  await db.execute(
    sql`update outbox set last_error = ${message}, next_attempt_at = now() + make_interval(secs => ${retryDelaySeconds(row.attempts)})
        where id = ${row.id} and attempts = ${row.attempts} and sent_at is null`,
  );
}

function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${ms / 1000} s.`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function send(senders: OutboxSenders, row: ClaimedRow, signature: string | null): Promise<void> {
  const delivery = deliveryRefOf(row);
  if (row.channel === 'sms') {
    if (!senders.sms) return Promise.reject(new Error('No SMS sender in this worker.'));
    return senders.sms.send(row.payload as SmsMessage, delivery);
  }
  return senders.email.send(signedEmail(row.payload as EmailMessage, signature), delivery);
}

/**
 * Sends rows this worker claimed, one at a time, each under a renewed lease. Returns how many it delivered. Emails are
 * signed with the organization's name as it is when they go out (issue 10 §2).
 */
export async function deliverClaimed(db: Database, senders: OutboxSenders, rows: ClaimedRow[]): Promise<number> {
  let delivered = 0;
  const signature = rows.some((row) => row.channel === 'email') ? await deploymentBrandName(db) : null;
  for (const row of rows) {
    if (!(await renewLease(db, row))) continue;
    try {
      await withDeadline(send(senders, row, signature), sendDeadlineMs);
    } catch (error) {
      await markFailed(db, row, error);
      continue;
    }
    if (await markSent(db, row)) delivered++;
  }
  return delivered;
}

/**
 * Claims due rows with SKIP LOCKED (several server processes can share the outbox), sends them through the channel's
 * sender, marks them sent. Returns how many were delivered.
 */
export async function deliverPending(db: Database, senders: OutboxSenders, batchSize = 20): Promise<number> {
  return deliverClaimed(db, senders, await claimDueRows(db, channelsOf(senders), batchSize));
}

/** Delivers due email rows only (SMS rows wait for a worker with an SMS sender). */
export function deliverPendingMail(db: Database, transport: MailTransport, batchSize = 20): Promise<number> {
  return deliverPending(db, { email: transport }, batchSize);
}

/** A running outbox worker: polls, and can be nudged right after a commit. */
export interface OutboxWorker {
  kick(): void;
  stop(): Promise<void>;
}

/** Starts the in-process worker that main.ts runs beside the HTTP server; a bare mail transport delivers email only. */
export function startOutboxWorker(
  db: Database,
  senders: OutboxSenders | MailTransport,
  log: FastifyBaseLogger,
  intervalMs = 2000,
): OutboxWorker {
  const all: OutboxSenders = 'email' in senders ? senders : { email: senders };
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = running
      .then(async () => {
        while (!stopped && (await deliverPending(db, all)) > 0);
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
