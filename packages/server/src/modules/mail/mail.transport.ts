import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { devMailbox } from '../../db/schema/index.ts';
import type { EmailMessage } from './mail.service.ts';

/** Something that delivers one email or throws. */
export interface MailTransport {
  send(message: EmailMessage): Promise<void>;
}

/** SMTP through nodemailer (`SMTP_URL`). */
export function createSmtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transporter.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
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
