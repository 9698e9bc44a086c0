import { useEffect, useRef, useState, type FormEvent } from 'react';
import { limits, type Me, type MfaMethod } from '@portico/shared';
import { sendEmailCode, verifyMfa } from '../api/auth.ts';
import { errorMessage, isApiError } from '../api/client.ts';
import type { SessionInfo } from '../api/types.ts';
import { useFormErrors } from '../hooks/use-form-errors.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { StatusMessage } from './StatusMessage.tsx';
import { TextField } from './TextField.tsx';

/** Props of the second sign-in step. */
interface MfaChallengeProps {
  methods: MfaMethod[];
  onSignedIn: (user: Me, session: SessionInfo) => void;
  /** Back to the password step, with the reason (challenge used up or expired). */
  onRestart: (message: string | null) => void;
  /** The emailed code was right and the user must now enrol an authenticator (staff without one). */
  onEnrol?: () => void;
}

const fieldLabel: Record<MfaMethod, string> = {
  totp: 'Authenticator code',
  email: 'Email code',
  recovery: 'Recovery code',
};

const fieldHint: Record<MfaMethod, string> = {
  totp: 'Open your authenticator app and enter the 6-digit code it shows for Portico.',
  email: `Enter the 6-digit code we emailed you. It works for ${limits.oneTimeCodeMinutes} minutes.`,
  recovery: 'Enter one of the recovery codes you saved when you set up two-step verification. Each code works once.',
};

const codeFieldId = 'mfa-code';

/** The second sign-in step: a code from the authenticator app, an emailed code, or a recovery code. */
export function MfaChallenge({ methods, onSignedIn, onRestart, onEnrol }: MfaChallengeProps) {
  const available = methods.length > 0 ? methods : (['totp', 'email', 'recovery'] satisfies MfaMethod[]);
  const [method, setMethod] = useState<MfaMethod>(available.find((m) => m === 'totp') ?? available[0] ?? 'totp');
  const [code, setCode] = useState('');
  const [emailSent, setEmailSent] = useState(false);
  const [sending, setSending] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const errors = useFormErrors();
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

  async function verify(event: FormEvent) {
    event.preventDefault();
    const entered = method === 'recovery' ? code.trim() : code.replace(/\s+/g, '');
    if (entered.length === 0) {
      errors.show([{ id: codeFieldId, message: `Enter your ${fieldLabel[method].toLowerCase()}.` }]);
      return;
    }
    if (method !== 'recovery' && !/^\d{6}$/.test(entered)) {
      errors.show([{ id: codeFieldId, message: 'Enter the 6 digits of the code.' }]);
      return;
    }
    setVerifying(true);
    try {
      const answer = await verifyMfa(method, entered);
      if (answer.status === 'signed_in') onSignedIn(answer.user, answer.session);
      else if (answer.enrollmentRequired && onEnrol) onEnrol();
      else errors.show([], 'That did not finish signing you in. Try another method or start again.');
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
      {method === 'email' && emailSent && (
        <StatusMessage tone="success">
          We sent a 6-digit code to the email address on your account. It works for {limits.oneTimeCodeMinutes} minutes.
        </StatusMessage>
      )}
      {showCodeForm ? (
        <form onSubmit={(event) => void verify(event)} noValidate>
          <TextField
            id={codeFieldId}
            label={fieldLabel[method]}
            hint={fieldHint[method]}
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
            Verify
          </button>
        </form>
      ) : (
        <div className="mfa__email">
          <p>We can email a 6-digit code to the address on your account.</p>
          <button type="button" id="mfa-send-email" className="button" onClick={() => void emailCode()} disabled={sending}>
            Email me a code
          </button>
        </div>
      )}

      <h2 className="mfa__other">Other ways to verify</h2>
      <ul className="link-list">
        {available.includes('totp') && method !== 'totp' && (
          <li>
            <button type="button" className="button-link" onClick={() => choose('totp')}>
              Use your authenticator app
            </button>
          </li>
        )}
        {available.includes('email') && (method !== 'email' || emailSent) && (
          <li>
            <button type="button" className="button-link" onClick={() => void emailCode()} disabled={sending}>
              {method === 'email' ? 'Send a new code' : 'Email me a code'}
            </button>
          </li>
        )}
        {available.includes('recovery') && method !== 'recovery' && (
          <li>
            <button type="button" className="button-link" onClick={() => choose('recovery')}>
              Use a recovery code
            </button>
          </li>
        )}
        <li>
          <button type="button" className="button-link" onClick={() => onRestart(null)}>
            Start again with a different account
          </button>
        </li>
      </ul>
    </div>
  );
}
