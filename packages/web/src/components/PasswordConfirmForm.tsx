import { useState, type FormEvent } from 'react';
import { errorMessage, isApiError } from '../api/client.ts';
import { useFormErrors } from '../hooks/use-form-errors.ts';
import { useT } from '../i18n/i18n-context.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { TextField } from './TextField.tsx';

/** Props of a form that only re-confirms the password before a sensitive change. */
interface PasswordConfirmFormProps {
  id: string;
  intro: string;
  submitLabel: string;
  onConfirm: (password: string) => Promise<void>;
  onCancel: () => void;
}

/** Asks for the password again (SECURITY.md: changing MFA needs the password), then runs the change. */
export function PasswordConfirmForm({ id, intro, submitLabel, onConfirm, onCancel }: PasswordConfirmFormProps) {
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const t = useT();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password === '') {
      errors.show([{ id, message: t('auth.passwordRequired') }]);
      return;
    }
    setPending(true);
    try {
      await onConfirm(password);
    } catch (error) {
      if (isApiError(error, 'invalid_credentials')) errors.show([{ id, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
      setPending(false);
    }
  }

  return (
    <form className="form form--inset" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      <p>{intro}</p>
      <TextField
        id={id}
        label={t('auth.password')}
        type="password"
        value={password}
        onValueChange={setPassword}
        error={errors.errorFor(id)}
        autoComplete="current-password"
        required
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={pending}>
          {submitLabel}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
