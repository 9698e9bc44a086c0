import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { forgotPassword } from '../../api/auth.ts';
import { errorMessage } from '../../api/client.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';

/** /forgot-password: asks for the email; the answer never says whether an account uses it. */
export function ForgotPasswordPage() {
  useDocumentTitle('Reset your password');
  const [email, setEmail] = useState('');
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  const errors = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const address = email.trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
      errors.show([{ id: 'forgot-email', message: 'Enter your email address, like name@example.com.' }]);
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
      <h1>Reset your password</h1>
      {sent ? (
        <>
          <StatusMessage tone="success">
            <p>If an account uses that address, we sent a link to reset the password.</p>
            <p>The link works once and expires soon. It can take a few minutes to arrive; check your spam folder too.</p>
          </StatusMessage>
          <p>
            <Link to="/sign-in">Back to sign in</Link>
          </p>
        </>
      ) : (
        <>
          <p>Enter the email address of your Portico account and we will send you a link to choose a new password.</p>
          <ErrorSummary errors={errors} />
          <form className="form" onSubmit={(event) => void submit(event)} noValidate>
            <TextField
              id="forgot-email"
              label="Email"
              type="email"
              value={email}
              onValueChange={setEmail}
              error={errors.errorFor('forgot-email')}
              autoComplete="email"
              spellCheck={false}
              required
            />
            <button type="submit" className="button" disabled={pending}>
              Send reset link
            </button>
          </form>
          <p>
            <Link to="/sign-in">Back to sign in</Link>
          </p>
        </>
      )}
    </div>
  );
}
