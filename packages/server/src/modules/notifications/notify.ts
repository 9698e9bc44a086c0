import type { NotificationEvent } from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import type { Executor } from '../../db/client.ts';
import { translatorFor } from '../../lib/i18n.ts';
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

/**
 * The email for a notification, in the recipient's language. It says only that something is waiting, with a link
 * (SECURITY.md: no clinical content, no names of tests or drugs); the wording is the catalogue's `notify.event.*`.
 */
export function notificationEmail(event: NotificationEvent, to: string, url: string, locale: Locale) {
  const t = translatorFor(locale);
  return {
    to,
    subject: t(`notify.event.${event}.subject`),
    text: t('notify.notification.email', { line: t(`notify.event.${event}.line`), url }),
  };
}

/** The text message for a notification: the same content-free line and the link, in the recipient's language. */
export function notificationSms(event: NotificationEvent, userId: string, to: string, url: string, locale: Locale): SmsMessage {
  const t = translatorFor(locale);
  return { userId, to, text: t('notify.notification.sms', { line: t(`notify.event.${event}.line`), url }) };
}

/**
 * Queues a notification in the caller's transaction, in the user's language, by the channels the user chose (default:
 * email on, SMS off), to a verified, enabled account only; a text only when a phone is on file. Delivery is the outbox worker's; each channel
 * has its own event key (`<key>:email`, `<key>:sms`), so raising the event again queues nothing more.
 */
export async function notify(tx: Executor, publicUrl: string, n: Notification): Promise<void> {
  const recipient = await findRecipient(tx, n.userId, n.event);
  if (!recipient) return;
  const url = `${publicUrl}${n.path}`;
  if (recipient.emailOn ?? true) {
    await enqueueEmail(tx, notificationEmail(n.event, recipient.email, url, recipient.locale), `${n.eventKey}:email`);
  }
  const phone = recipient.phone?.trim();
  if ((recipient.smsOn ?? false) && phone)
    await enqueueOutbox(tx, 'sms', notificationSms(n.event, n.userId, phone, url, recipient.locale), `${n.eventKey}:sms`);
}
