import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { confirmEmailChange } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFragmentToken } from '../../lib/url-fragment.ts';
import { useSession } from '../../session/session-context.ts';

/** Where the confirmation stands. */
type Outcome = { kind: 'confirming' } | { kind: 'confirmed' } | { kind: 'failed'; message: string };

/** /confirm-email-change#token=...: moves the account to the new address once, signed in or not. */
export function ConfirmEmailChangePage() {
  useDocumentTitle('Confirm your new email address');
  const token = useFragmentToken();
  const { state, refresh } = useSession();
  const [outcome, setOutcome] = useState<Outcome>(
    token
      ? { kind: 'confirming' }
      : { kind: 'failed', message: 'This link is incomplete. Open the whole link from the email sent to your new address.' },
  );
  const started = useRef(false);
  const refreshed = useRef(false);

  useEffect(() => {
    // The token works once, so post it once even when React runs effects twice in development.
    if (!token || started.current) return;
    started.current = true;
    confirmEmailChange(token).then(
      () => setOutcome({ kind: 'confirmed' }),
      (error: unknown) => setOutcome({ kind: 'failed', message: errorMessage(error) }),
    );
  }, [token]);

  // Once the change is made, re-read the signed-in user so the header and Security page show the new address.
  // Waiting for the start-up session check to settle means this read is always sent after the change.
  useEffect(() => {
    if (outcome.kind !== 'confirmed' || state.status !== 'signed_in' || refreshed.current) return;
    refreshed.current = true;
    void refresh();
  }, [outcome.kind, state.status, refresh]);

  const signedIn = state.status === 'signed_in';
  return (
    <div className="page page--narrow">
      <h1>Confirm your new email address</h1>
      {outcome.kind === 'confirming' && <p role="status">Changing your email address…</p>}
      {outcome.kind === 'confirmed' && (
        <>
          <StatusMessage tone="success">
            Your email address is changed. Portico now sends your messages to the new address, and you can sign in with it.
          </StatusMessage>
          {signedIn && (
            <p>
              <Link className="button" to="/">
                Go to your home page
              </Link>
            </p>
          )}
          {state.status === 'signed_out' && (
            <p>
              <Link className="button" to="/sign-in">
                Sign in
              </Link>
            </p>
          )}
        </>
      )}
      {outcome.kind === 'failed' && (
        <>
          <div className="error-summary" role="alert">
            <p className="error-summary__title">We could not change your email address</p>
            <p className="error-summary__message">{outcome.message}</p>
          </div>
          <p>Links work once and expire after a while. If you have not used this link before, ask for a new one on the Security page.</p>
          <p>
            {signedIn ? (
              <Link to="/account/security">Go to the Security page</Link>
            ) : (
              <>
                <Link to="/sign-in">Sign in</Link> to ask for a new link.
              </>
            )}
          </p>
        </>
      )}
    </div>
  );
}
