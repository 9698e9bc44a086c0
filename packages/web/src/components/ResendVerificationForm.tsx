import { useState, type FormEvent } from 'react';
import { resendVerification } from '../api/signup.ts';
import { errorMessage } from '../api/client.ts';
import { useFormErrors } from '../hooks/use-form-errors.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { StatusMessage } from './StatusMessage.tsx';
import { TextField } from './TextField.tsx';

/** Asks for a new email-verification link; when the address is already known it is a single button. */
export function ResendVerificationForm({ knownEmail, idPrefix = 'resend' }: { knownEmail?: string; idPrefix?: string }) {
  const [email, setEmail] = useState(knownEmail ?? '');
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  const errors = useFormErrors();
  const fieldId = `${idPrefix}-email`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const address = email.trim();
    if (!address.includes('@')) {
      errors.show([{ id: fieldId, message: 'Enter the email address you signed up with, like name@example.com.' }]);
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
          label="Email"
          type="email"
          autoComplete="email"
          value={email}
          onValueChange={setEmail}
          error={errors.errorFor(fieldId)}
          required
        />
      )}
      <button type="submit" className="button button--secondary" disabled={pending}>
        Send a new verification link
      </button>
      {sent && (
        <StatusMessage tone="success">
          If an account uses that address and still needs verifying, we sent a new link. It can take a few minutes to arrive; check your
          spam folder too.
        </StatusMessage>
      )}
    </form>
  );
}
