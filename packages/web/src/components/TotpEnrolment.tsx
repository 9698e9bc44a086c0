import { useState, type FormEvent } from 'react';
import { enableTotp } from '../api/auth.ts';
import { errorMessage, isApiError } from '../api/client.ts';
import type { TotpEnableResult, TotpSetup } from '../api/types.ts';
import { useFormErrors } from '../hooks/use-form-errors.ts';
import { useT } from '../i18n/i18n-context.ts';
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
  const t = useT();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const cleaned = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(cleaned)) {
      errors.show([{ id: 'totp-enrol-code', message: t('auth.totp.codeInvalid') }]);
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
        <li>{t('auth.totp.step1')}</li>
        <li>
          {t('auth.totp.step2')}
          <dl className="secret">
            <dt>{t('auth.totp.setupKey')}</dt>
            <dd>
              <code className="secret__key" translate="no">
                {groupSecret(setup.secret)}
              </code>
            </dd>
            <dt>{t('auth.totp.setupLink')}</dt>
            <dd>
              <code className="secret__url" translate="no">
                {setup.otpauthUrl}
              </code>
            </dd>
          </dl>
        </li>
        <li>{t('auth.totp.step3')}</li>
      </ol>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="totp-enrol-code"
          label={t('auth.totp.code')}
          value={code}
          onValueChange={setCode}
          error={errors.errorFor('totp-enrol-code')}
          hint={t('auth.totp.codeHint')}
          autoComplete="one-time-code"
          inputMode="numeric"
          spellCheck={false}
          required
          className="input--code"
        />
        <button type="submit" className="button" disabled={pending}>
          {t('auth.verify')}
        </button>
      </form>
    </div>
  );
}
