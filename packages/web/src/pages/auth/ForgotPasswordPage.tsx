import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { forgotPassword } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** /forgot-password: asks for the email; the answer never says whether an account uses it. */
export function ForgotPasswordPage() {
  const t = useT();
  useDocumentTitle(t('auth.forgot.heading'));
  const [email, setEmail] = useState('');
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  const errors = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const address = email.trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
      errors.show([{ id: 'forgot-email', message: t('auth.emailInvalid') }]);
      return;
    }
    setPending(true);
    errors.clear();
    try {
      await forgotPassword(address);
      setSent(true);
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page page--narrow">
      <h1>{t('auth.forgot.heading')}</h1>
      {sent ? (
        <>
          <StatusMessage tone="success">
            <p>{t('auth.forgot.sent')}</p>
            <p>{t('auth.forgot.sentDetail')}</p>
          </StatusMessage>
          <p>
            <Link to="/sign-in">{t('auth.backToSignIn')}</Link>
          </p>
        </>
      ) : (
        <>
          <p>{t('auth.forgot.intro')}</p>
          <ErrorSummary errors={errors} />
          <form className="form" onSubmit={(event) => void submit(event)} noValidate>
            <TextField
              id="forgot-email"
              label={t('auth.email')}
              type="email"
              value={email}
              onValueChange={setEmail}
              error={errors.errorFor('forgot-email')}
              autoComplete="email"
              spellCheck={false}
              required
            />
            <button type="submit" className="button" disabled={pending}>
              {t('auth.forgot.submit')}
            </button>
          </form>
          <p>
            <Link to="/sign-in">{t('auth.backToSignIn')}</Link>
          </p>
        </>
      )}
    </div>
  );
}
