import { useEffect, useRef, useState } from 'react';
import type { MessageId } from '@portico/shared/i18n';
import { disableTotp, regenerateRecoveryCodes, setupTotp } from '../api/auth.ts';
import type { TotpEnableResult, TotpSetup } from '../api/types.ts';
import { useMessageParts } from '../hooks/use-message-parts.ts';
import { useT } from '../i18n/i18n-context.ts';
import { useSession, useSignedInUser } from '../session/session-context.ts';
import { PasswordConfirmForm } from './PasswordConfirmForm.tsx';
import { RecoveryCodes } from './RecoveryCodes.tsx';
import { StatusMessage } from './StatusMessage.tsx';
import { TotpEnrolment } from './TotpEnrolment.tsx';

/** Which part of the two-step settings is open. */
type Mode =
  | { kind: 'overview'; notice: MessageId | null }
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
  const t = useT();
  const parts = useMessageParts();
  const [beforeState, afterState] = parts(user.mfaEnrolled ? 'account.mfa.on' : 'account.mfa.off', 'state');

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
          {mode.notice && <StatusMessage tone="success">{t(mode.notice)}</StatusMessage>}
          <p>
            {beforeState}
            <strong>{t(user.mfaEnrolled ? 'account.mfa.onWord' : 'account.mfa.offWord')}</strong>
            {afterState}
          </p>
          <div className="button-row">
            {!user.mfaEnrolled && canTurnOff && (
              <button type="button" className="button" onClick={() => go({ kind: 'enable-password' })}>
                {t('account.mfa.turnOn')}
              </button>
            )}
            {user.mfaEnrolled && (
              <button type="button" className="button button--secondary" onClick={() => go({ kind: 'regenerate' })}>
                {t('account.mfa.newCodes')}
              </button>
            )}
            {user.mfaEnrolled && canTurnOff && (
              <button type="button" className="button button--secondary" onClick={() => go({ kind: 'disable' })}>
                {t('account.mfa.turnOff')}
              </button>
            )}
          </div>
          {!canTurnOff && user.mfaEnrolled && <p className="hint-text">{t('account.mfa.required')}</p>}
        </>
      )}
      {mode.kind === 'enable-password' && (
        <PasswordConfirmForm
          id={passwordId}
          intro={t('account.mfa.enableIntro')}
          submitLabel={t('common.continue')}
          onConfirm={async (password) => go({ kind: 'enable-code', setup: await setupTotp(password), password })}
          onCancel={() => go({ kind: 'overview', notice: null })}
        />
      )}
      {mode.kind === 'enable-code' && (
        <>
          <TotpEnrolment setup={mode.setup} password={mode.password} onEnabled={enabled} />
          <button type="button" className="button-link" onClick={() => go({ kind: 'overview', notice: null })}>
            {t('account.mfa.cancelSetup')}
          </button>
        </>
      )}
      {mode.kind === 'disable' && (
        <PasswordConfirmForm
          id={passwordId}
          intro={t('account.mfa.disableIntro')}
          submitLabel={t('account.mfa.disableSubmit')}
          onConfirm={async (password) => {
            await disableTotp(password);
            await refresh();
            go({ kind: 'overview', notice: 'account.mfa.nowOff' });
          }}
          onCancel={() => go({ kind: 'overview', notice: null })}
        />
      )}
      {mode.kind === 'regenerate' && (
        <PasswordConfirmForm
          id={passwordId}
          intro={t('account.mfa.regenerateIntro')}
          submitLabel={t('account.mfa.regenerateSubmit')}
          onConfirm={async (password) => go({ kind: 'codes', codes: (await regenerateRecoveryCodes(password)).recoveryCodes })}
          onCancel={() => go({ kind: 'overview', notice: null })}
        />
      )}
      {mode.kind === 'codes' && (
        <RecoveryCodes
          codes={mode.codes}
          doneLabel={t('common.done')}
          onDone={() => go({ kind: 'overview', notice: 'account.mfa.ready' })}
        />
      )}
    </div>
  );
}
