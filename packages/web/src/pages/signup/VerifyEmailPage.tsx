import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { verifyEmail } from '../../api/signup.ts';
import { ResendVerificationForm } from '../../components/ResendVerificationForm.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFragmentToken } from '../../lib/url-fragment.ts';

/** Where the verification stands. */
type Outcome = { kind: 'verifying' } | { kind: 'verified' } | { kind: 'failed'; message: string };

/** /verify-email#token=...: confirms the address once, then points to sign-in, or offers a new link. */
export function VerifyEmailPage() {
  useDocumentTitle('Confirm your email address');
  const token = useFragmentToken();
  const [outcome, setOutcome] = useState<Outcome>(
    token
      ? { kind: 'verifying' }
      : { kind: 'failed', message: 'This link is incomplete. Open the whole link from the email, or ask for a new one.' },
  );
  const started = useRef(false);

  useEffect(() => {
    // The token works once, so post it once even when React runs effects twice in development.
    if (!token || started.current) return;
    started.current = true;
    verifyEmail(token).then(
      () => setOutcome({ kind: 'verified' }),
      (error: unknown) => setOutcome({ kind: 'failed', message: errorMessage(error) }),
    );
  }, [token]);

  return (
    <div className="page page--narrow">
      <h1>Confirm your email address</h1>
      {outcome.kind === 'verifying' && <p role="status">Confirming your email address…</p>}
      {outcome.kind === 'verified' && (
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
