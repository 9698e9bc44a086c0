import type { Executor } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';

/** An email as the outbox stores it. No patient data: say that something is waiting, with a link (SECURITY.md). */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * An email signed with the organization's name under a signature separator (RFC 3676 4.3: a line of "-- "), the same in
 * every language; plain text has no room for the colour or logo. Unchanged when there is no organization to sign for.
 */
export function signedEmail(message: EmailMessage, organizationName: string | null): EmailMessage {
  return organizationName ? { ...message, text: `${message.text}\n\n-- \n${organizationName}` } : message;
}

/** The channels the outbox worker delivers: `email` through the mail transport, `sms` through the SMS sender. */
export type OutboxChannel = 'email' | 'sms';

/**
 * Queues a message on a channel in the caller's transaction: it goes out only if the action commits, and survives a
 * restart. With an `eventKey`, the same event queued twice (a retried request, a repeated import) is queued once: the
 * unique `event_key` keeps the first row and the second insert does nothing.
 */
export async function enqueueOutbox(tx: Executor, channel: OutboxChannel, payload: object, eventKey?: string): Promise<void> {
  await tx
    .insert(outbox)
    .values({ channel, payload, eventKey: eventKey ?? null })
    .onConflictDoNothing({ target: outbox.eventKey });
}

/** Queues an email in the caller's transaction (see enqueueOutbox). */
export function enqueueEmail(tx: Executor, message: EmailMessage, eventKey?: string): Promise<void> {
  return enqueueOutbox(tx, 'email', message, eventKey);
}
