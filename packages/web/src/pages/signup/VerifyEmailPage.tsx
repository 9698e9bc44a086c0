import { Link } from 'react-router';
import { verifyEmail } from '../../api/signup.ts';
import { ResendVerificationForm } from '../../components/ResendVerificationForm.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLinkRedemption } from '../../hooks/use-link-redemption.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** /verify-email#token=...: confirms the address once, then points to sign-in, or offers a new link. */
export function VerifyEmailPage() {
  const t = useT();
  useDocumentTitle(t('auth.verifyEmail.heading'));
  const outcome = useLinkRedemption(verifyEmail, t('auth.verifyEmail.incomplete'));

  return (
    <div className="page page--narrow">
      <h1>{t('auth.verifyEmail.heading')}</h1>
      {outcome.kind === 'pending' && <p role="status">{t('auth.verifyEmail.pending')}</p>}
      {outcome.kind === 'done' && (
        <>
          <StatusMessage tone="success">{t('auth.verifyEmail.done')}</StatusMessage>
          <p>
            <Link className="button" to="/sign-in">
              {t('auth.signInLink')}
            </Link>
          </p>
        </>
      )}
      {outcome.kind === 'failed' && (
        <>
          <div className="error-summary" role="alert">
            <p className="error-summary__title">{t('auth.verifyEmail.failed')}</p>
            <p className="error-summary__message">{outcome.message}</p>
          </div>
          <p>{t('auth.verifyEmail.expiry')}</p>
          <ResendVerificationForm idPrefix="verify-resend" />
          <p>
            {t('auth.verifyEmail.alreadyConfirmed')} <Link to="/sign-in">{t('auth.signInLink')}</Link>
          </p>
        </>
      )}
    </div>
  );
}
