import { useState, type FormEvent } from 'react';
import { resendVerification } from '../api/signup.ts';
import { errorMessage } from '../api/client.ts';
import { useFormErrors } from '../hooks/use-form-errors.ts';
import { useT } from '../i18n/i18n-context.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { StatusMessage } from './StatusMessage.tsx';
import { TextField } from './TextField.tsx';

/** Asks for a new email-verification link; when the address is already known it is a single button. */
export function ResendVerificationForm({ knownEmail, idPrefix = 'resend' }: { knownEmail?: string; idPrefix?: string }) {
  const [email, setEmail] = useState(knownEmail ?? '');
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  const errors = useFormErrors();
  const t = useT();
  const fieldId = `${idPrefix}-email`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const address = email.trim();
    if (!address.includes('@')) {
      errors.show([{ id: fieldId, message: t('auth.resend.emailInvalid') }]);
      return;
    }
    setPending(true);
    errors.clear();
    try {
      await resendVerification(address);
      setSent(true);
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="resend-form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      {knownEmail === undefined && (
        <TextField
          id={fieldId}
          label={t('auth.email')}
          type="email"
          autoComplete="email"
          value={email}
          onValueChange={setEmail}
          error={errors.errorFor(fieldId)}
          required
        />
      )}
      <button type="submit" className="button button--secondary" disabled={pending}>
        {t('auth.resend.submit')}
      </button>
      {sent && <StatusMessage tone="success">{t('auth.resend.sent')}</StatusMessage>}
    </form>
  );
}
