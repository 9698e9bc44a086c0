import type { Locale } from '@portico/shared/i18n';
import { translatorFor } from '../../lib/i18n.ts';
import type { EmailMessage } from '../mail/mail.service.ts';

/**
 * The transmit (ONC (e)(1)): the share link emailed to the address the patient chose, in the patient's language. It
 * carries the link and its expiry only: no patient name, nothing of the record, never the passcode, which the patient
 * gives the reader apart. The token is in the link's fragment, so it never reaches a server log.
 */
export function shareLinkEmail(
  to: string,
  organization: string,
  link: string,
  expiresAt: Date,
  timeZone: string,
  locale: Locale,
): EmailMessage {
  const t = translatorFor(locale);
  const expires = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(expiresAt);
  return { to, subject: t('share.email.subject'), text: t('share.email.text', { organization, link, expires }) };
}
