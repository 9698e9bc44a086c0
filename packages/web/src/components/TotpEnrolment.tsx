import { useState, type FormEvent } from 'react';
import { enableTotp } from '../api/auth.ts';
import { errorMessage, isApiError } from '../api/client.ts';
import type { TotpEnableResult, TotpSetup } from '../api/types.ts';
import { useFormErrors } from '../hooks/use-form-errors.ts';
import { groupSecret } from '../lib/format.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { TextField } from './TextField.tsx';

/** Props of the authenticator enrolment form. */
interface TotpEnrolmentProps {
  setup: TotpSetup;
  /** The account password, when enrolling from the account page (SECURITY.md: MFA changes need it again). */
  password?: string;
  onEnabled: (result: TotpEnableResult) => void;
}

/** Shows the setup key and link for an authenticator app, then confirms the first 6-digit code. */
export function TotpEnrolment({ setup, password, onEnabled }: TotpEnrolmentProps) {
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const cleaned = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(cleaned)) {
      errors.show([{ id: 'totp-enrol-code', message: 'Enter the 6-digit code from your authenticator app.' }]);
      return;
    }
    setPending(true);
    try {
      onEnabled(await enableTotp(cleaned, password));
    } catch (error) {
      if (isApiError(error, 'invalid_code', 'code_expired', 'validation_failed')) {
        errors.show([{ id: 'totp-enrol-code', message: errorMessage(error) }]);
      } else {
        errors.show([], errorMessage(error));
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="totp-enrolment">
      <ErrorSummary errors={errors} />
      <ol className="steps">
        <li>Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or 1Password).</li>
        <li>
          Add an account. Type in the setup key below, or copy the setup link into the app.
          <dl className="secret">
            <dt>Setup key</dt>
            <dd>
              <code className="secret__key">{groupSecret(setup.secret)}</code>
            </dd>
            <dt>Setup link</dt>
            <dd>
              <code className="secret__url">{setup.otpauthUrl}</code>
            </dd>
          </dl>
        </li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="totp-enrol-code"
          label="Authenticator code"
          value={code}
          onValueChange={setCode}
          error={errors.errorFor('totp-enrol-code')}
          hint="6 digits, from your authenticator app."
          autoComplete="one-time-code"
          inputMode="numeric"
          spellCheck={false}
          required
          className="input--code"
        />
        <button type="submit" className="button" disabled={pending}>
          Verify
        </button>
      </form>
    </div>
  );
}
