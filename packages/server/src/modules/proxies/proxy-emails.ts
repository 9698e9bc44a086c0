import type { Locale } from '@portico/shared/i18n';
import { translatorFor } from '../../lib/i18n.ts';
import type { EmailMessage } from '../mail/mail.service.ts';

/** Days an invitation stays open (issue 11 §1). */
export const invitationDays = 14;

/**
 * The invitation, in the patient's language. It names the organization only: no patient name, no relationship, nothing
 * of the record (SECURITY.md); the token travels in the link's fragment, so it never reaches a server log.
 */
export function invitationEmail(to: string, organization: string, link: string, locale: Locale): EmailMessage {
  const t = translatorFor(locale);
  return {
    to,
    subject: t('notify.proxyInvitation.subject'),
    text: t('notify.proxyInvitation.text', { organization, days: invitationDays, link }),
  };
}

/** The notice that a proxy's access ended (revoked by the patient or a full proxy), in the proxy's language; generic. */
export function accessEndedEmail(to: string, organization: string, locale: Locale): EmailMessage {
  const t = translatorFor(locale);
  return { to, subject: t('notify.proxyAccessEnded.subject'), text: t('notify.proxyAccessEnded.text', { organization }) };
}

/**
 * Which birthday notice a guardian gets (issue 11 §1): at 12 what they see narrows (`teenOwnAccount` where the young
 * person may also open their own account from 12), at 13 where the organization's account age is 13 that they may now
 * open their own account, at 18 that the guardian's access ends.
 */
export type AgeNotice = 'teen' | 'teenOwnAccount' | 'ownAccount' | 'adult';

/** The birthday notice to a guardian, in their language; it names the organization only, never the young person. */
export function ageNoticeEmail(to: string, notice: AgeNotice, organization: string, url: string, locale: Locale): EmailMessage {
  const t = translatorFor(locale);
  switch (notice) {
    case 'teen':
      return { to, subject: t('notify.proxyAge.teen.subject'), text: t('notify.proxyAge.teen.text', { organization, url }) };
    case 'teenOwnAccount':
      return { to, subject: t('notify.proxyAge.teen.subject'), text: t('notify.proxyAge.teen.textOwnAccount', { organization, url }) };
    case 'ownAccount':
      return { to, subject: t('notify.proxyAge.ownAccount.subject'), text: t('notify.proxyAge.ownAccount.text', { organization }) };
    case 'adult':
      return { to, subject: t('notify.proxyAge.adult.subject'), text: t('notify.proxyAge.adult.text', { organization }) };
  }
}
