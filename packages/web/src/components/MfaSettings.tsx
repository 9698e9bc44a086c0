import { useEffect, useRef, useState } from 'react';
import { disableTotp, regenerateRecoveryCodes, setupTotp } from '../api/auth.ts';
import type { TotpEnableResult, TotpSetup } from '../api/types.ts';
import { useSession, useSignedInUser } from '../session/session-context.ts';
import { PasswordConfirmForm } from './PasswordConfirmForm.tsx';
import { RecoveryCodes } from './RecoveryCodes.tsx';
import { StatusMessage } from './StatusMessage.tsx';
import { TotpEnrolment } from './TotpEnrolment.tsx';

/** Which part of the two-step settings is open. */
type Mode =
  | { kind: 'overview'; notice: string | null }
  | { kind: 'enable-password' }
  | { kind: 'enable-code'; setup: TotpSetup; password: string }
  | { kind: 'disable' }
  | { kind: 'regenerate' }
  | { kind: 'codes'; codes: string[] };

const passwordId = 'mfa-settings-password';

/** Two-step settings: accounts that do not need it (`mfaRequired` false) turn it on or off; anyone enrolled renews codes. */
export function MfaSettings() {
  const user = useSignedInUser();
  const { signedIn, refresh } = useSession();
  const [mode, setMode] = useState<Mode>({ kind: 'overview', notice: null });
  const canTurnOff = !user.mfaRequired;
  const regionRef = useRef<HTMLDivElement>(null);
  const changed = useRef(false);

  // Each step replaces the buttons that opened it, so keep keyboard focus in this section.
  useEffect(() => {
    if (!changed.current) return;
    const region = regionRef.current;
    const target = region?.querySelector('input') ?? region?.querySelector('button');
    target?.focus();
  }, [mode.kind]);

  function go(next: Mode) {
    changed.current = true;
    setMode(next);
  }

  function enabled(result: TotpEnableResult) {
    signedIn(result.user, result.session);
    go({ kind: 'codes', codes: result.recoveryCodes });
  }

  return (
    <div ref={regionRef}>
      {mode.kind === 'overview' && (
        <>
          {mode.notice && <StatusMessage tone="success">{mode.notice}</StatusMessage>}
          {user.mfaEnrolled ? (
            <p>
              Two-step verification is <strong>on</strong>. When you sign in, Portico asks for a code from your authenticator app as well as
              your password.
            </p>
          ) : (
            <p>
              Two-step verification is <strong>off</strong>. Turn it on so that signing in needs a code from your phone as well as your
              password; someone who learns your password still cannot get in.
            </p>
          )}
          <div className="button-row">
            {!user.mfaEnrolled && canTurnOff && (
              <button type="button" className="button" onClick={() => go({ kind: 'enable-password' })}>
                Turn on two-step verification
              </button>
            )}
            {user.mfaEnrolled && (
              <button type="button" className="button button--secondary" onClick={() => go({ kind: 'regenerate' })}>
                Get new recovery codes
              </button>
            )}
            {user.mfaEnrolled && canTurnOff && (
              <button type="button" className="button button--secondary" onClick={() => go({ kind: 'disable' })}>
                Turn off two-step verification
              </button>
            )}
          </div>
          {!canTurnOff && user.mfaEnrolled && (
            <p className="hint-text">Your role needs two-step verification, so it cannot be turned off.</p>
          )}
        </>
      )}
      {mode.kind === 'enable-password' && (
        <PasswordConfirmForm
          id={passwordId}
          intro="Enter your password to start setting up an authenticator app."
          submitLabel="Continue"
          onConfirm={async (password) => go({ kind: 'enable-code', setup: await setupTotp(password), password })}
          onCancel={() => go({ kind: 'overview', notice: null })}
        />
      )}
      {mode.kind === 'enable-code' && (
        <>
          <TotpEnrolment setup={mode.setup} password={mode.password} onEnabled={enabled} />
          <button type="button" className="button-link" onClick={() => go({ kind: 'overview', notice: null })}>
            Cancel setup
          </button>
        </>
      )}
      {mode.kind === 'disable' && (
        <PasswordConfirmForm
          id={passwordId}
          intro="Enter your password to turn off two-step verification. Your recovery codes will stop working."
          submitLabel="Turn off"
          onConfirm={async (password) => {
            await disableTotp(password);
            await refresh();
            go({ kind: 'overview', notice: 'Two-step verification is now off.' });
          }}
          onCancel={() => go({ kind: 'overview', notice: null })}
        />
      )}
      {mode.kind === 'regenerate' && (
        <PasswordConfirmForm
          id={passwordId}
          intro="Enter your password to get a new set of recovery codes. Your old codes will stop working."
          submitLabel="Get new codes"
          onConfirm={async (password) => go({ kind: 'codes', codes: (await regenerateRecoveryCodes(password)).recoveryCodes })}
          onCancel={() => go({ kind: 'overview', notice: null })}
        />
      )}
      {mode.kind === 'codes' && (
        <RecoveryCodes
          codes={mode.codes}
          doneLabel="Done"
          onDone={() => go({ kind: 'overview', notice: 'Two-step verification is on, and your recovery codes are ready.' })}
        />
      )}
    </div>
  );
}
