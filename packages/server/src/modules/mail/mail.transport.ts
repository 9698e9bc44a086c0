import nodemailer from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { devMailbox } from '../../db/schema/index.ts';
import type { EmailMessage } from './mail.service.ts';

/**
 * Which outbox row a send delivers. `id` is the same on every attempt at that row and differs between rows, so a
 * receiver (or an SMS provider with idempotency keys) can tell a retry of one notification from a new one.
 */
export interface DeliveryRef {
  id: string;
}

/** Something that delivers one email or throws. */
export interface MailTransport {
  send(message: EmailMessage, delivery?: DeliveryRef): Promise<void>;
}

/**
 * SMTP timeouts, all well inside the outbox lease (60 s): a send either finishes or fails while the row is still this
 * worker's, so a slow server does not let a second worker send the same row meanwhile.
 */
export const smtpTimeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, dnsTimeout: 10_000 };

/** The domain of the From address (`Portico <no-reply@portico.example>` → `portico.example`), for Message-IDs. */
export function mailDomainOf(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'portico.invalid';
}

/**
 * The Message-ID of a delivery (RFC 5322 section 3.6.4): derived from the outbox row, so a resend of the same row after a
 * crash carries the same id and receivers that de-duplicate by Message-ID show it once.
 */
export function messageIdFor(delivery: DeliveryRef, from: string): string {
  return `<${delivery.id}@${mailDomainOf(from)}>`;
}

/** SMTP through nodemailer (`SMTP_URL`; options in its query string override the timeouts above). */
export function createSmtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(new SMTPTransport({ ...smtpTimeouts, url: smtpUrl }));
  return {
    async send(message, delivery) {
      await transporter.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(delivery ? { messageId: messageIdFor(delivery, from) } : {}),
      });
    },
  };
}

/** Demo mode: mail lands in the database and shows at /dev/mailbox. */
export function createDevMailboxTransport(db: Database): MailTransport {
  return {
    async send(message) {
      await db.insert(devMailbox).values({ toAddress: message.to, subject: message.subject, text: message.text });
    },
  };
}

/** Picks the transport the configuration asks for; without SMTP outside demo mode, mail waits in the outbox. */
export function createMailTransport(config: Config, db: Database): MailTransport {
  if (config.demo) return createDevMailboxTransport(db);
  if (config.smtpUrl) return createSmtpTransport(config.smtpUrl, config.mailFrom);
  return {
    send() {
      return Promise.reject(new Error('No SMTP_URL configured; the email stays in the outbox.'));
    },
  };
}
