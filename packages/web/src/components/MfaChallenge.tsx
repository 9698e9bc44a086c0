import { useEffect, useRef, useState, type FormEvent } from 'react';
import { limits, type ChallengeMethod, type Me, type MfaMethod } from '@portico/shared';
import type { MessageId } from '@portico/shared/i18n';
import { passkeySignInOptions, sendEmailCode, verifyMfa, verifyPasskey } from '../api/auth.ts';
import { errorMessage, isApiError } from '../api/client.ts';
import type { SessionInfo } from '../api/types.ts';
import { useFormErrors } from '../hooks/use-form-errors.ts';
import { useT } from '../i18n/i18n-context.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { StatusMessage } from './StatusMessage.tsx';
import { TextField } from './TextField.tsx';

/** Props of the second sign-in step. */
interface MfaChallengeProps {
  methods: ChallengeMethod[];
  onSignedIn: (user: Me, session: SessionInfo) => void;
  /** Back to the password step, with the reason (challenge used up or expired). */
  onRestart: (message: string | null) => void;
  /** The emailed code was right and the user must now enrol an authenticator (staff without one). */
  onEnrol?: () => void;
}

const fieldLabel: Record<MfaMethod, MessageId> = {
  totp: 'auth.mfa.label.totp',
  email: 'auth.mfa.label.email',
  recovery: 'auth.mfa.label.recovery',
};

/** The hints; the email one is given the code's lifetime (`minutes`). */
const fieldHint: Record<MfaMethod, MessageId> = {
  totp: 'auth.mfa.hint.totp',
  email: 'auth.mfa.hint.email',
  recovery: 'auth.mfa.hint.recovery',
};

const fieldRequired: Record<MfaMethod, MessageId> = {
  totp: 'auth.mfa.required.totp',
  email: 'auth.mfa.required.email',
  recovery: 'auth.mfa.required.recovery',
};

const codeFieldId = 'mfa-code';

/** The second sign-in step: a code from the authenticator app, an emailed code, or a recovery code. */
export function MfaChallenge({ methods, onSignedIn, onRestart, onEnrol }: MfaChallengeProps) {
  const coded = methods.filter((m): m is MfaMethod => m !== 'passkey');
  const available = coded.length > 0 ? coded : (['totp', 'email', 'recovery'] satisfies MfaMethod[]);
  const canUsePasskey = methods.includes('passkey') && typeof window.PublicKeyCredential === 'function';
  const [method, setMethod] = useState<MfaMethod>(available.find((m) => m === 'totp') ?? available[0] ?? 'totp');
  const [usingPasskey, setUsingPasskey] = useState(false);
  const [code, setCode] = useState('');
  const [emailSent, setEmailSent] = useState(false);
  const [sending, setSending] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const errors = useFormErrors();
  const t = useT();
  const switched = useRef(false);

  // After switching method, put the cursor in the new code field (or on the send button) for keyboard users.
  useEffect(() => {
    if (!switched.current) return;
    const target = document.getElementById(method === 'email' && !emailSent ? 'mfa-send-email' : codeFieldId);
    target?.focus();
  }, [method, emailSent]);

  function choose(next: MfaMethod) {
    switched.current = true;
    errors.clear();
    setCode('');
    setMethod(next);
  }

  async function emailCode() {
    switched.current = true;
    setSending(true);
    errors.clear();
    try {
      await sendEmailCode();
      setCode('');
      setMethod('email');
      setEmailSent(true);
    } catch (error) {
      if (isApiError(error, 'challenge_exhausted', 'unauthenticated', 'mfa_required')) onRestart(errorMessage(error));
      else errors.show([], errorMessage(error));
    } finally {
      setSending(false);
    }
  }

  /** The browser asks the authenticator for a signature over the server's challenge; the server checks it. */
  async function signInWithPasskey() {
    errors.clear();
    setUsingPasskey(true);
    try {
      // The WebAuthn helper loads only when someone uses a passkey: the sign-in page stays light (bench:web).
      const [options, { startAuthentication }] = await Promise.all([passkeySignInOptions(), import('@simplewebauthn/browser')]);
      let response;
      try {
        response = await startAuthentication({ optionsJSON: options });
      } catch {
        errors.show([], t('auth.mfa.passkeyCancelled'));
        return;
      }
      const answer = await verifyPasskey(response);
      if (answer.status === 'signed_in') onSignedIn(answer.user, answer.session);
      else errors.show([], t('auth.mfa.notFinished'));
    } catch (error) {
      if (isApiError(error, 'challenge_exhausted', 'unauthenticated')) onRestart(errorMessage(error));
      else errors.show([], errorMessage(error));
    } finally {
      setUsingPasskey(false);
    }
  }

  async function verify(event: FormEvent) {
    event.preventDefault();
    const entered = method === 'recovery' ? code.trim() : code.replace(/\s+/g, '');
    if (entered.length === 0) {
      errors.show([{ id: codeFieldId, message: t(fieldRequired[method]) }]);
      return;
    }
    if (method !== 'recovery' && !/^\d{6}$/.test(entered)) {
      errors.show([{ id: codeFieldId, message: t('auth.mfa.sixDigits') }]);
      return;
    }
    setVerifying(true);
    try {
      const answer = await verifyMfa(method, entered);
      if (answer.status === 'signed_in') onSignedIn(answer.user, answer.session);
      else if (answer.enrollmentRequired && onEnrol) onEnrol();
      else errors.show([], t('auth.mfa.notFinished'));
    } catch (error) {
      if (isApiError(error, 'challenge_exhausted', 'unauthenticated')) onRestart(errorMessage(error));
      else if (isApiError(error, 'invalid_code', 'code_expired', 'validation_failed')) {
        errors.show([{ id: codeFieldId, message: errorMessage(error) }]);
      } else errors.show([], errorMessage(error));
    } finally {
      setVerifying(false);
    }
  }

  const showCodeForm = method !== 'email' || emailSent;
  return (
    <div className="mfa">
      <ErrorSummary errors={errors} />
      {usingPasskey && <StatusMessage>{t('auth.mfa.passkeyWaiting')}</StatusMessage>}
      {method === 'email' && emailSent && (
        <StatusMessage tone="success">{t('auth.mfa.emailSent', { minutes: limits.oneTimeCodeMinutes })}</StatusMessage>
      )}
      {showCodeForm ? (
        <form onSubmit={(event) => void verify(event)} noValidate>
          <TextField
            id={codeFieldId}
            label={t(fieldLabel[method])}
            hint={t(fieldHint[method], { minutes: limits.oneTimeCodeMinutes })}
            value={code}
            onValueChange={setCode}
            error={errors.errorFor(codeFieldId)}
            autoComplete="one-time-code"
            inputMode={method === 'recovery' ? 'text' : 'numeric'}
            autoCapitalize="off"
            spellCheck={false}
            required
            className="input--code"
          />
          <button type="submit" className="button" disabled={verifying}>
            {t('auth.verify')}
          </button>
        </form>
      ) : (
        <div className="mfa__email">
          <p>{t('auth.mfa.emailIntro')}</p>
          <button type="button" id="mfa-send-email" className="button" onClick={() => void emailCode()} disabled={sending}>
            {t('auth.mfa.emailMe')}
          </button>
        </div>
      )}

      <h2 className="mfa__other">{t('auth.mfa.otherWays')}</h2>
      <ul className="link-list">
        {canUsePasskey && (
          <li>
            <button type="button" className="button-link" onClick={() => void signInWithPasskey()} disabled={usingPasskey}>
              {t('auth.mfa.usePasskey')}
            </button>
          </li>
        )}
        {available.includes('totp') && method !== 'totp' && (
          <li>
            <button type="button" className="button-link" onClick={() => choose('totp')}>
              {t('auth.mfa.useTotp')}
            </button>
          </li>
        )}
        {available.includes('email') && (method !== 'email' || emailSent) && (
          <li>
            <button type="button" className="button-link" onClick={() => void emailCode()} disabled={sending}>
              {t(method === 'email' ? 'auth.mfa.sendNew' : 'auth.mfa.emailMe')}
            </button>
          </li>
        )}
        {available.includes('recovery') && method !== 'recovery' && (
          <li>
            <button type="button" className="button-link" onClick={() => choose('recovery')}>
              {t('auth.mfa.useRecovery')}
            </button>
          </li>
        )}
        <li>
          <button type="button" className="button-link" onClick={() => onRestart(null)}>
            {t('auth.mfa.restart')}
          </button>
        </li>
      </ul>
    </div>
  );
}
