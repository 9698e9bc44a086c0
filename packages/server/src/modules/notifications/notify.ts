import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { NotificationEvent } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { notificationPreferences, users } from '../../db/schema/index.ts';
import { enqueueEmail } from '../mail/mail.service.ts';

/** Something a user should hear about: what happened, once (the event key), and the page it concerns. */
export interface Notification {
  userId: string;
  event: NotificationEvent;
  /** Unique per event and recipient, e.g. `message:<messageId>:<userId>`: queued once however often it is raised. */
  eventKey: string;
  /** The page to open, as a path (`/messages`); never carries patient data. */
  path: string;
}

/** What each email says: only that something is waiting (SECURITY.md: no clinical content, no names of tests or drugs). */
const wording: Record<NotificationEvent, { subject: string; line: string }> = {
  new_message: { subject: 'A new message is waiting in Portico', line: 'A patient has sent a message to your care team.' },
  message_reply: { subject: 'Your care team replied in Portico', line: 'Your care team has replied to your message.' },
  refill_decision: { subject: 'Your refill request has an update in Portico', line: 'Your prescription refill request has been answered.' },
  new_result: {
    subject: 'A new test result is ready in Portico',
    line: 'A new test result is ready for you in your Portico health record.',
  },
};

/** The email for a notification. */
export function notificationEmail(event: NotificationEvent, to: string, url: string) {
  const w = wording[event];
  return {
    to,
    subject: w.subject,
    text: `${w.line}\n\nSign in to read it:\n\n${url}\n\nFor your privacy, this email does not include what it is about.`,
  };
}

/**
 * Queues a notification in the caller's transaction, by the channels the user chose (default: email on, SMS off),
 * to a verified, enabled account only. Delivery is the outbox worker's.
 */
export async function notify(tx: Executor, publicUrl: string, n: Notification): Promise<void> {
  const [user] = await tx
    .select({ email: users.email, emailOn: notificationPreferences.email, smsOn: notificationPreferences.sms })
    .from(users)
    .leftJoin(notificationPreferences, and(eq(notificationPreferences.userId, users.id), eq(notificationPreferences.event, n.event)))
    .where(and(eq(users.id, n.userId), isNotNull(users.emailVerifiedAt), isNull(users.disabledAt)));
  if (!user) return;
  if (user.emailOn ?? true) await enqueueEmail(tx, notificationEmail(n.event, user.email, `${publicUrl}${n.path}`), `${n.eventKey}:email`);
}
