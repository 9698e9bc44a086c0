import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { confirmEmailChange } from '../../api/auth.ts';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLinkRedemption } from '../../hooks/use-link-redemption.ts';
import { useSession } from '../../session/session-context.ts';

/** /confirm-email-change#token=...: moves the account to the new address once, signed in or not. */
export function ConfirmEmailChangePage() {
  useDocumentTitle('Confirm your new email address');
  const { state, refresh } = useSession();
  const outcome = useLinkRedemption(
    confirmEmailChange,
    'This link is incomplete. Open the whole link from the email sent to your new address.',
  );
  const refreshed = useRef(false);

  // Once the change is made, re-read the signed-in user so the header and Security page show the new address.
  // Waiting for the start-up session check to settle means this read is always sent after the change.
  useEffect(() => {
    if (outcome.kind !== 'done' || state.status !== 'signed_in' || refreshed.current) return;
    refreshed.current = true;
    void refresh();
  }, [outcome.kind, state.status, refresh]);

  const signedIn = state.status === 'signed_in';
  return (
    <div className="page page--narrow">
      <h1>Confirm your new email address</h1>
      {outcome.kind === 'pending' && <p role="status">Changing your email address…</p>}
      {outcome.kind === 'done' && (
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
