import { Link } from 'react-router';
import { ChangeEmailForm } from '../../components/ChangeEmailForm.tsx';
import { ChangePasswordForm } from '../../components/ChangePasswordForm.tsx';
import { MfaSettings } from '../../components/MfaSettings.tsx';
import { PasskeySettings } from '../../components/PasskeySettings.tsx';
import { SessionsList } from '../../components/SessionsList.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useMessageParts } from '../../hooks/use-message-parts.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** /account/security: where you are signed in, your email address, your password, and two-step verification. */
export function SecurityPage() {
  const t = useT();
  const [beforeLink, afterLink] = useMessageParts()('account.security.lede', 'link');
  useDocumentTitle(t('account.security.heading'));
  return (
    <div className="page">
      <h1>{t('account.security.heading')}</h1>
      <p className="lede">
        {beforeLink}
        <Link to="/account/notifications">{t('account.security.ledeLink')}</Link>
        {afterLink}
      </p>
      <section className="section" aria-labelledby="security-sessions">
        <h2 id="security-sessions">{t('account.security.sessionsHeading')}</h2>
        <SessionsList />
      </section>
      <section className="section" aria-labelledby="security-email">
        <h2 id="security-email">{t('account.security.emailHeading')}</h2>
        <ChangeEmailForm />
      </section>
      <section className="section" aria-labelledby="security-password">
        <h2 id="security-password">{t('account.security.passwordHeading')}</h2>
        <ChangePasswordForm />
      </section>
      <section className="section" aria-labelledby="security-mfa">
        <h2 id="security-mfa">{t('account.security.mfaHeading')}</h2>
        <MfaSettings />
      </section>
      <section className="section" aria-labelledby="security-passkeys">
        <h2 id="security-passkeys">{t('account.security.passkeysHeading')}</h2>
        <PasskeySettings />
      </section>
    </div>
  );
}
