import { useState, type FormEvent } from 'react';
import { changeEmail } from '../api/auth.ts';
import { errorMessage, isApiError } from '../api/client.ts';
import { useFormErrors, type FieldError } from '../hooks/use-form-errors.ts';
import { useSignedInUser } from '../session/session-context.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { StatusMessage } from './StatusMessage.tsx';
import { TextField } from './TextField.tsx';

const ids = { newEmail: 'change-email-new', password: 'change-email-password' };

/** Asks to move the account to a new email address; it changes only once the link sent there is opened. */
export function ChangeEmailForm() {
  const user = useSignedInUser();
  const [newEmail, setNewEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const errors = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSentTo(null);
    const address = newEmail.trim();
    const problems: FieldError[] = [];
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
      problems.push({ id: ids.newEmail, message: 'Enter your new email address, like name@example.com.' });
    } else if (address.toLowerCase() === user.email.toLowerCase()) {
      problems.push({ id: ids.newEmail, message: 'That is already your email address. Enter a different one.' });
    }
    if (password === '') problems.push({ id: ids.password, message: 'Enter your password.' });
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      await changeEmail(password, address);
      errors.clear();
      setNewEmail('');
      setPassword('');
      setSentTo(address);
    } catch (error) {
      const message = errorMessage(error);
      if (isApiError(error, 'invalid_credentials') || (isApiError(error, 'validation_failed') && error.field === 'password')) {
        errors.show([{ id: ids.password, message }]);
      } else if (isApiError(error, 'email_taken', 'validation_failed') && error.field !== 'password') {
        errors.show([{ id: ids.newEmail, message }]);
      } else errors.show([], message);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      {sentTo && (
        <StatusMessage tone="success">
          We sent a link to <strong className="break-anywhere">{sentTo}</strong>. Your address changes when you open it.
        </StatusMessage>
      )}
      <p>
        Your email address is <strong className="break-anywhere">{user.email}</strong>. Portico sends your messages there, and you can sign
        in with it.
      </p>
      <TextField
        id={ids.newEmail}
        label="New email address"
        type="email"
        value={newEmail}
        onValueChange={setNewEmail}
        error={errors.errorFor(ids.newEmail)}
        hint="We will send a link to this address. Your address changes only when you open the link."
        autoComplete="email"
        spellCheck={false}
        required
      />
      <TextField
        id={ids.password}
        label="Password for this change"
        type="password"
        value={password}
        onValueChange={setPassword}
        error={errors.errorFor(ids.password)}
        hint="Enter your current password to show it is you."
        autoComplete="current-password"
        required
      />
      <button type="submit" className="button" disabled={pending}>
        Change email address
      </button>
    </form>
  );
}
