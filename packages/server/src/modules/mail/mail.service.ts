import type { Executor } from '../../db/client.ts';
import { outbox } from '../../db/schema/index.ts';

/** An email as the outbox stores it. No patient data: say that something is waiting, with a link (SECURITY.md). */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Queues an email in the caller's transaction: it goes out only if the action commits, and survives a restart. With an
 * `eventKey`, the same event queued twice (a retried request, a repeated import) is queued once.
 */
export async function enqueueEmail(tx: Executor, message: EmailMessage, eventKey?: string): Promise<void> {
  await tx
    .insert(outbox)
    .values({ channel: 'email', payload: message, eventKey: eventKey ?? null })
    .onConflictDoNothing({ target: outbox.eventKey });
}
