import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { confirmEmailChange } from '../../api/auth.ts';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLinkRedemption } from '../../hooks/use-link-redemption.ts';
import { useMessageParts } from '../../hooks/use-message-parts.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { useSession } from '../../session/session-context.ts';

/** /confirm-email-change#token=...: moves the account to the new address once, signed in or not. */
export function ConfirmEmailChangePage() {
  const t = useT();
  const parts = useMessageParts();
  useDocumentTitle(t('account.confirmEmail.heading'));
  const { state, refresh } = useSession();
  const outcome = useLinkRedemption(confirmEmailChange, t('account.confirmEmail.incomplete'));
  const refreshed = useRef(false);

  // Once the change is made, re-read the signed-in user so the header and Security page show the new address.
  // Waiting for the start-up session check to settle means this read is always sent after the change.
  useEffect(() => {
    if (outcome.kind !== 'done' || state.status !== 'signed_in' || refreshed.current) return;
    refreshed.current = true;
    void refresh();
  }, [outcome.kind, state.status, refresh]);

  const signedIn = state.status === 'signed_in';
  const [beforeSignIn, afterSignIn] = parts('account.confirmEmail.signInToAsk', 'signIn');
  return (
    <div className="page page--narrow">
      <h1>{t('account.confirmEmail.heading')}</h1>
      {outcome.kind === 'pending' && <p role="status">{t('account.confirmEmail.pending')}</p>}
      {outcome.kind === 'done' && (
        <>
          <StatusMessage tone="success">{t('account.confirmEmail.done')}</StatusMessage>
          {signedIn && (
            <p>
              <Link className="button" to="/">
                {t('account.confirmEmail.home')}
              </Link>
            </p>
          )}
          {state.status === 'signed_out' && (
            <p>
              <Link className="button" to="/sign-in">
                {t('auth.signInLink')}
              </Link>
            </p>
          )}
        </>
      )}
      {outcome.kind === 'failed' && (
        <>
          <div className="error-summary" role="alert">
            <p className="error-summary__title">{t('account.confirmEmail.failed')}</p>
            <p className="error-summary__message">{outcome.message}</p>
          </div>
          <p>{t('account.confirmEmail.expiry')}</p>
          <p>
            {signedIn ? (
              <Link to="/account/security">{t('account.confirmEmail.goSecurity')}</Link>
            ) : (
              <>
                {beforeSignIn}
                <Link to="/sign-in">{t('account.confirmEmail.signInLink')}</Link>
                {afterSignIn}
              </>
            )}
          </p>
        </>
      )}
    </div>
  );
}
