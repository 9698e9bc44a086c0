import type { Config } from '../../config.ts';
import type { DeliveryRef } from '../mail/mail.transport.ts';

/** A text message as the outbox stores it: who it is for, the number, and content-free wording (SECURITY.md). */
export interface SmsMessage {
  userId: string;
  to: string;
  text: string;
}

/** Something that delivers one text message or throws; `delivery.id` is stable per outbox row (a provider's idempotency key). */
export interface SmsSender {
  send(message: SmsMessage, delivery?: DeliveryRef): Promise<void>;
}

/** The one log call the development sender makes. */
export interface SmsLog {
  info(message: string): void;
}

/**
 * Development and demo: "sends" by writing one log line that names the user only, never the number or the text
 * (SECURITY.md: no patient data in logs).
 */
export function createLogSmsSender(log: SmsLog): SmsSender {
  return {
    send(message) {
      log.info(`sms to user ${message.userId} sent`);
      return Promise.resolve();
    },
  };
}

/**
 * The sender the configuration allows. No SMS provider is integrated yet: outside production the development sender
 * logs; in production texts wait in the outbox (retried with back-off) rather than being marked sent unsent.
 */
export function createSmsSender(config: Config, log: SmsLog): SmsSender {
  if (config.env !== 'production' || config.demo) return createLogSmsSender(log);
  return {
    send() {
      return Promise.reject(new Error('No SMS provider configured; the text stays in the outbox.'));
    },
  };
}
