import { useState, type FormEvent } from 'react';
import { changeEmail } from '../api/auth.ts';
import { errorMessage, isApiError } from '../api/client.ts';
import { useFormErrors, type FieldError } from '../hooks/use-form-errors.ts';
import { useMessageParts } from '../hooks/use-message-parts.ts';
import { useT } from '../i18n/i18n-context.ts';
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
  const t = useT();
  const parts = useMessageParts();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSentTo(null);
    const address = newEmail.trim();
    const problems: FieldError[] = [];
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
      problems.push({ id: ids.newEmail, message: t('account.email.newInvalid') });
    } else if (address.toLowerCase() === user.email.toLowerCase()) {
      problems.push({ id: ids.newEmail, message: t('account.email.same') });
    }
    if (password === '') problems.push({ id: ids.password, message: t('auth.passwordRequired') });
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

  const [beforeSent, afterSent] = parts('account.email.sent', 'email');
  const [beforeCurrent, afterCurrent] = parts('account.email.current', 'email');
  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      {sentTo && (
        <StatusMessage tone="success">
          {beforeSent}
          <strong className="break-anywhere" translate="no">
            {sentTo}
          </strong>
          {afterSent}
        </StatusMessage>
      )}
      <p>
        {beforeCurrent}
        <strong className="break-anywhere" translate="no">
          {user.email}
        </strong>
        {afterCurrent}
      </p>
      <TextField
        id={ids.newEmail}
        label={t('account.email.newLabel')}
        type="email"
        value={newEmail}
        onValueChange={setNewEmail}
        error={errors.errorFor(ids.newEmail)}
        hint={t('account.email.newHint')}
        autoComplete="email"
        spellCheck={false}
        required
      />
      <TextField
        id={ids.password}
        label={t('account.email.passwordLabel')}
        type="password"
        value={password}
        onValueChange={setPassword}
        error={errors.errorFor(ids.password)}
        hint={t('account.email.passwordHint')}
        autoComplete="current-password"
        required
      />
      <button type="submit" className="button" disabled={pending}>
        {t('account.email.submit')}
      </button>
    </form>
  );
}
