import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { errorMessage, isApiError } from '../../api/client.ts';
import { activateProvider } from '../../api/provider-registrations.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { NewPasswordFields, checkNewPassword } from '../../components/NewPasswordFields.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { useFragmentToken } from '../../lib/url-fragment.ts';

const ids = { username: 'activate-username', password: 'activate-password', confirm: 'activate-confirm' };

/**
 * `/provider/activate#token=...` (issue 12 §1): an approved provider chooses their username and password; the token is
 * read from the fragment and dropped from the address bar at once. Two-step verification is set up at the first sign-in.
 */
export function ProviderActivationPage() {
  const t = useT();
  useDocumentTitle(t('providers.activate.title'));
  const token = useFragmentToken();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const [brokenLink, setBrokenLink] = useState<string | null>(null);
  const errors = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!token) return;
    const problems = [
      ...(username.trim() ? [] : [{ id: ids.username, message: t('providers.activate.usernameRequired') }]),
      ...checkNewPassword(t, password, confirm, ids, { username }),
    ];
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      await activateProvider(token, username.trim(), password);
      errors.clear();
      setDone(true);
    } catch (error) {
      if (isApiError(error, 'invalid_token')) setBrokenLink(errorMessage(error));
      else if (isApiError(error) && (error.field === 'username' || error.code === 'username_taken'))
        errors.show([{ id: ids.username, message: errorMessage(error) }]);
      else if (isApiError(error, 'weak_password', 'validation_failed')) errors.show([{ id: ids.password, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  if (done) {
    return (
      <div className="page page--narrow">
        <h1>{t('providers.activate.title')}</h1>
        <StatusMessage tone="success">{t('providers.activate.done')}</StatusMessage>
        <p>
          <Link className="button" to="/sign-in">
            {t('providers.activate.signIn')}
          </Link>
        </p>
      </div>
    );
  }

  if (!token || brokenLink) {
    return (
      <div className="page page--narrow">
        <h1>{t('providers.activate.title')}</h1>
        <div className="error-summary" role="alert">
          <p className="error-summary__title">{t('providers.activate.linkBroken')}</p>
          <p className="error-summary__message">{brokenLink ?? t('providers.activate.linkIncomplete')}</p>
        </div>
        <p>{t('providers.activate.linkHelp')}</p>
      </div>
    );
  }

  return (
    <div className="page page--narrow">
      <h1>{t('providers.activate.title')}</h1>
      <p className="lede">{t('providers.activate.intro')}</p>
      <ErrorSummary errors={errors} />
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id={ids.username}
          label={t('providers.activate.username')}
          value={username}
          onValueChange={setUsername}
          error={errors.errorFor(ids.username)}
          autoComplete="username"
          required
        />
        <NewPasswordFields
          ids={ids}
          password={password}
          confirm={confirm}
          onPasswordChange={setPassword}
          onConfirmChange={setConfirm}
          errors={errors}
          account={{ username }}
          labels={{ password: t('auth.newPassword.newPassword'), confirm: t('auth.newPassword.confirmNew') }}
        />
        <button type="submit" className="button" disabled={pending}>
          {t('providers.activate.submit')}
        </button>
      </form>
    </div>
  );
}
