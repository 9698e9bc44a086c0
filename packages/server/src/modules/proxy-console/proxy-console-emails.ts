import type { Locale } from '@portico/shared/i18n';
import { translatorFor } from '../../lib/i18n.ts';
import type { EmailMessage } from '../mail/mail.service.ts';

/**
 * The console's notices, in the recipient's language. None names the child or the patient, nor the staff's reason
 * (their own words, shown in the portal after sign-in): only the organization and where to sign in (SECURITY.md: no
 * patient data in emails).
 */
export function requestDecidedEmail(
  to: string,
  outcome: 'approved' | 'denied',
  organization: string,
  url: string,
  locale: Locale,
): EmailMessage {
  const t = translatorFor(locale);
  return outcome === 'approved'
    ? { to, subject: t('proxies.email.approved.subject'), text: t('proxies.email.approved.text', { organization, url }) }
    : { to, subject: t('proxies.email.denied.subject'), text: t('proxies.email.denied.text', { organization, url }) };
}

/** The notice to a person staff set up as a guardian or legal representative. */
export function setUpEmail(to: string, organization: string, url: string, locale: Locale): EmailMessage {
  const t = translatorFor(locale);
  return { to, subject: t('proxies.email.setUp.subject'), text: t('proxies.email.setUp.text', { organization, url }) };
}
