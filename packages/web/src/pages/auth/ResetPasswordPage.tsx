import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { resetPassword } from '../../api/auth.ts';
import { errorMessage, isApiError } from '../../api/client.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { NewPasswordFields, checkNewPassword } from '../../components/NewPasswordFields.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { useFragmentToken } from '../../lib/url-fragment.ts';

const ids = { password: 'reset-password', confirm: 'reset-confirm' };

/** /reset-password#token=...: the token is read from the fragment and dropped from the address bar at once. */
export function ResetPasswordPage() {
  const t = useT();
  useDocumentTitle(t('auth.reset.heading'));
  const token = useFragmentToken();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const [brokenLink, setBrokenLink] = useState<string | null>(null);
  const errors = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!token) return;
    const problems = checkNewPassword(t, password, confirm, ids);
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      await resetPassword(token, password);
      errors.clear();
      setDone(true);
    } catch (error) {
      if (isApiError(error, 'invalid_token')) setBrokenLink(errorMessage(error));
      else if (isApiError(error, 'weak_password', 'validation_failed')) {
        errors.show([{ id: ids.password, message: errorMessage(error) }]);
      } else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  if (done) {
    return (
      <div className="page page--narrow">
        <h1>{t('auth.reset.heading')}</h1>
        <StatusMessage tone="success">{t('auth.reset.done')}</StatusMessage>
        <p>
          <Link className="button" to="/sign-in">
            {t('auth.reset.signIn')}
          </Link>
        </p>
      </div>
    );
  }

  if (!token || brokenLink) {
    return (
      <div className="page page--narrow">
        <h1>{t('auth.reset.heading')}</h1>
        <div className="error-summary" role="alert">
          <p className="error-summary__title">{t('auth.reset.linkBroken')}</p>
          <p className="error-summary__message">{brokenLink ?? t('auth.reset.linkIncomplete')}</p>
        </div>
        <p>{t('auth.reset.linkExpiry')}</p>
        <p>
          <Link to="/forgot-password">{t('auth.reset.newLink')}</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="page page--narrow">
      <h1>{t('auth.reset.heading')}</h1>
      <ErrorSummary errors={errors} />
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <NewPasswordFields
          ids={ids}
          password={password}
          confirm={confirm}
          onPasswordChange={setPassword}
          onConfirmChange={setConfirm}
          errors={errors}
          labels={{ password: t('auth.newPassword.newPassword'), confirm: t('auth.newPassword.confirmNew') }}
        />
        <button type="submit" className="button" disabled={pending}>
          {t('auth.reset.submit')}
        </button>
      </form>
    </div>
  );
}
