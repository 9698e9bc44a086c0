import { Link } from 'react-router';
import { ChangeEmailForm } from '../../components/ChangeEmailForm.tsx';
import { ChangePasswordForm } from '../../components/ChangePasswordForm.tsx';
import { MfaSettings } from '../../components/MfaSettings.tsx';
import { SessionsList } from '../../components/SessionsList.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';

/** /account/security: where you are signed in, your email address, your password, and two-step verification. */
export function SecurityPage() {
  useDocumentTitle('Security');
  return (
    <div className="page">
      <h1>Security</h1>
      <p className="lede">
        To choose how Portico tells you about new messages and results, by email or text message, see{' '}
        <Link to="/account/notifications">notification settings</Link>.
      </p>
      <section className="section" aria-labelledby="security-sessions">
        <h2 id="security-sessions">Where you’re signed in</h2>
        <SessionsList />
      </section>
      <section className="section" aria-labelledby="security-email">
        <h2 id="security-email">Email address</h2>
        <ChangeEmailForm />
      </section>
      <section className="section" aria-labelledby="security-password">
        <h2 id="security-password">Change your password</h2>
        <ChangePasswordForm />
      </section>
      <section className="section" aria-labelledby="security-mfa">
        <h2 id="security-mfa">Two-step verification</h2>
        <MfaSettings />
      </section>
    </div>
  );
}
