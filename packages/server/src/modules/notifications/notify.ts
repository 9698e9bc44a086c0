import type { NotificationEvent } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { enqueueEmail, enqueueOutbox } from '../mail/mail.service.ts';
import { findRecipient } from './notifications.repository.ts';
import type { SmsMessage } from './sms.sender.ts';

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
  appointment_reminder: {
    subject: 'An appointment reminder from Portico',
    line: 'You have an appointment coming up. Sign in to see the details.',
  },
  waitlist_offer: {
    subject: 'An earlier appointment time is available in Portico',
    line: 'An earlier time has opened up for an appointment you asked to move. It goes to the first to accept.',
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

/** The text message for a notification: the same content-free line and the link. */
export function notificationSms(event: NotificationEvent, userId: string, to: string, url: string): SmsMessage {
  return { userId, to, text: `Portico: ${wording[event].line} Sign in to read it: ${url}` };
}

/**
 * Queues a notification in the caller's transaction, by the channels the user chose (default: email on, SMS off), to a
 * verified, enabled account only; a text only when a phone is on file. Delivery is the outbox worker's; each channel
 * has its own event key (`<key>:email`, `<key>:sms`), so raising the event again queues nothing more.
 */
export async function notify(tx: Executor, publicUrl: string, n: Notification): Promise<void> {
  const recipient = await findRecipient(tx, n.userId, n.event);
  if (!recipient) return;
  const url = `${publicUrl}${n.path}`;
  if (recipient.emailOn ?? true) await enqueueEmail(tx, notificationEmail(n.event, recipient.email, url), `${n.eventKey}:email`);
  const phone = recipient.phone?.trim();
  if ((recipient.smsOn ?? false) && phone)
    await enqueueOutbox(tx, 'sms', notificationSms(n.event, n.userId, phone, url), `${n.eventKey}:sms`);
}
