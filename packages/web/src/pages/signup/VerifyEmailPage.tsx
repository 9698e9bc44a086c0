import { Link } from 'react-router';
import { verifyEmail } from '../../api/signup.ts';
import { ResendVerificationForm } from '../../components/ResendVerificationForm.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLinkRedemption } from '../../hooks/use-link-redemption.ts';

/** /verify-email#token=...: confirms the address once, then points to sign-in, or offers a new link. */
export function VerifyEmailPage() {
  useDocumentTitle('Confirm your email address');
  const outcome = useLinkRedemption(verifyEmail, 'This link is incomplete. Open the whole link from the email, or ask for a new one.');

  return (
    <div className="page page--narrow">
      <h1>Confirm your email address</h1>
      {outcome.kind === 'pending' && <p role="status">Confirming your email address…</p>}
      {outcome.kind === 'done' && (
        <>
          <StatusMessage tone="success">Your email address is confirmed. Your account is ready.</StatusMessage>
          <p>
            <Link className="button" to="/sign-in">
              Sign in
            </Link>
          </p>
        </>
      )}
      {outcome.kind === 'failed' && (
        <>
          <div className="error-summary" role="alert">
            <p className="error-summary__title">We could not confirm your email address</p>
            <p className="error-summary__message">{outcome.message}</p>
          </div>
          <p>Links work once and expire after a while. Enter your email address and we will send a new link.</p>
          <ResendVerificationForm idPrefix="verify-resend" />
          <p>
            Already confirmed? <Link to="/sign-in">Sign in</Link>
          </p>
        </>
      )}
    </div>
  );
}
