import { useState, type FormEvent } from 'react';
import { changePassword } from '../api/auth.ts';
import { errorMessage, isApiError } from '../api/client.ts';
import { useFormErrors, type FieldError } from '../hooks/use-form-errors.ts';
import { useT } from '../i18n/i18n-context.ts';
import { useSignedInUser } from '../session/session-context.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { NewPasswordFields, checkNewPassword } from './NewPasswordFields.tsx';
import { StatusMessage } from './StatusMessage.tsx';
import { TextField } from './TextField.tsx';

const ids = { current: 'change-current-password', password: 'change-new-password', confirm: 'change-confirm-password' };

/** Changes the password; the current one is asked for again (SECURITY.md "Sign-in and MFA"). */
export function ChangePasswordForm() {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const errors = useFormErrors();
  const t = useT();
  const user = useSignedInUser();
  const account = { username: user.username, email: user.email };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    const problems: FieldError[] = [];
    if (current === '') problems.push({ id: ids.current, message: t('account.password.currentRequired') });
    problems.push(...checkNewPassword(t, password, confirm, ids, account));
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      await changePassword(current, password);
      errors.clear();
      setCurrent('');
      setPassword('');
      setConfirm('');
      setDone(true);
    } catch (error) {
      const message = errorMessage(error);
      if (isApiError(error, 'invalid_credentials')) errors.show([{ id: ids.current, message }]);
      else if (isApiError(error, 'weak_password', 'validation_failed') && error.field !== 'currentPassword') {
        errors.show([{ id: ids.password, message }]);
      } else errors.show([], message);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      {done && <StatusMessage tone="success">{t('account.password.done')}</StatusMessage>}
      <TextField
        id={ids.current}
        label={t('account.password.current')}
        type="password"
        value={current}
        onValueChange={setCurrent}
        error={errors.errorFor(ids.current)}
        autoComplete="current-password"
        required
      />
      <NewPasswordFields
        ids={ids}
        labels={{ password: t('auth.newPassword.newPassword'), confirm: t('auth.newPassword.confirmNew') }}
        password={password}
        confirm={confirm}
        onPasswordChange={setPassword}
        onConfirmChange={setConfirm}
        errors={errors}
        account={account}
      />
      <button type="submit" className="button" disabled={pending}>
        {t('account.password.submit')}
      </button>
    </form>
  );
}
