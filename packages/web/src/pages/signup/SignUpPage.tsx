import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { limits, username as usernameSchema, type SignUpBody } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { signUp } from '../../api/signup.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { NewPasswordFields, checkNewPassword } from '../../components/NewPasswordFields.tsx';
import { ResendVerificationForm } from '../../components/ResendVerificationForm.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';

/** How the person proves they are the patient. */
type Method = SignUpBody['method'];

/** Input ids, keyed by the API's field names so a server `field` maps straight onto an input. */
const ids = {
  activationCode: 'signup-activation-code',
  givenName: 'signup-given-name',
  familyName: 'signup-family-name',
  birthDate: 'signup-birth-date',
  mrn: 'signup-mrn',
  username: 'signup-username',
  email: 'signup-email',
  password: 'signup-password',
  confirm: 'signup-confirm',
} as const;

const idsByField: Readonly<Record<string, string>> = ids;

/** The input a server `field` (such as `birthDate`) refers to. */
function idForField(field: string | undefined): string | undefined {
  const key = field?.split('.')[0];
  return key ? idsByField[key] : undefined;
}

const emptyForm = {
  activationCode: '',
  givenName: '',
  familyName: '',
  birthDate: '',
  mrn: '',
  username: '',
  email: '',
  password: '',
  confirm: '',
};

/** /sign-up: prove who you are (activation code, or legal name + date of birth + MRN), then choose credentials. */
export function SignUpPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  useDocumentTitle(sentTo ? 'Check your email' : 'Create your account');
  if (sentTo) return <CheckEmail email={sentTo} />;
  return <SignUpForm onSent={setSentTo} />;
}

/** The sign-up form; calls onSent with the address the verification link went to. */
function SignUpForm({ onSent }: { onSent: (email: string) => void }) {
  const [method, setMethod] = useState<Method>('activation_code');
  const [form, setForm] = useState(emptyForm);
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const set = (key: keyof typeof emptyForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  function validate(): FieldError[] {
    const problems: FieldError[] = [];
    const need = (key: keyof typeof emptyForm, message: string) => {
      if (form[key].trim() === '') problems.push({ id: ids[key], message });
    };
    if (method === 'activation_code') need('activationCode', 'Enter the activation code from your clinic.');
    else {
      need('givenName', 'Enter your legal first name.');
      need('familyName', 'Enter your legal last name.');
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.birthDate)) {
      problems.push({ id: ids.birthDate, message: 'Enter your date of birth.' });
    }
    if (method === 'demographics') need('mrn', 'Enter your medical record number (MRN).');
    const name = usernameSchema.safeParse(form.username);
    if (form.username.trim() === '') problems.push({ id: ids.username, message: 'Choose a username.' });
    else if (!name.success) {
      problems.push({
        id: ids.username,
        message: `Use ${limits.usernameMinLength} to ${limits.usernameMaxLength} letters, digits, dots, dashes or underscores.`,
      });
    }
    if (!/^[^\s@]+@[^\s@]+$/.test(form.email.trim())) {
      problems.push({ id: ids.email, message: 'Enter your email address, like name@example.com.' });
    }
    problems.push(...checkNewPassword(form.password, form.confirm, ids));
    return problems;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems = validate();
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    const account = { username: form.username.trim(), email: form.email.trim(), password: form.password };
    const body: SignUpBody =
      method === 'activation_code'
        ? { method, activationCode: form.activationCode.trim(), birthDate: form.birthDate, ...account }
        : {
            method,
            givenName: form.givenName.trim(),
            familyName: form.familyName.trim(),
            birthDate: form.birthDate,
            mrn: form.mrn.trim(),
            ...account,
          };
    setPending(true);
    try {
      const answer = await signUp(body);
      onSent(answer.email);
    } catch (error) {
      const message = errorMessage(error);
      if (isApiError(error, 'username_taken')) errors.show([{ id: ids.username, message }]);
      else if (isApiError(error, 'email_taken')) errors.show([{ id: ids.email, message }]);
      else if (isApiError(error, 'weak_password')) errors.show([{ id: ids.password, message }]);
      else {
        const fieldId = isApiError(error, 'validation_failed') ? idForField(error.field) : undefined;
        if (fieldId) errors.show([{ id: fieldId, message }]);
        else errors.show([], message);
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page page--narrow">
      <h1>Create your account</h1>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
      <ErrorSummary errors={errors} />
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <fieldset className="fieldset">
          <legend>How will you confirm who you are?</legend>
          <div className="radio">
            <input
              type="radio"
              id="signup-method-code"
              name="method"
              checked={method === 'activation_code'}
              onChange={() => setMethod('activation_code')}
              aria-describedby="signup-method-code-hint"
            />
            <label htmlFor="signup-method-code">With the code from my clinic</label>
            <p className="field__hint" id="signup-method-code-hint">
              It is on your visit summary or the letter your clinic gave you.
            </p>
          </div>
          <div className="radio">
            <input
              type="radio"
              id="signup-method-demographics"
              name="method"
              checked={method === 'demographics'}
              onChange={() => setMethod('demographics')}
              aria-describedby="signup-method-demographics-hint"
            />
            <label htmlFor="signup-method-demographics">With my legal name and record number</label>
            <p className="field__hint" id="signup-method-demographics-hint">
              Your MRN is on visit summaries and bills from your clinic.
            </p>
          </div>
        </fieldset>

        <fieldset className="fieldset">
          <legend>About you</legend>
          {method === 'activation_code' ? (
            <TextField
              id={ids.activationCode}
              label="Activation code"
              value={form.activationCode}
              onValueChange={set('activationCode')}
              error={errors.errorFor(ids.activationCode)}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              required
            />
          ) : (
            <>
              <TextField
                id={ids.givenName}
                label="Legal first name"
                value={form.givenName}
                onValueChange={set('givenName')}
                error={errors.errorFor(ids.givenName)}
                autoComplete="given-name"
                maxLength={limits.nameMaxLength}
                required
              />
              <TextField
                id={ids.familyName}
                label="Legal last name"
                value={form.familyName}
                onValueChange={set('familyName')}
                error={errors.errorFor(ids.familyName)}
                autoComplete="family-name"
                maxLength={limits.nameMaxLength}
                required
              />
            </>
          )}
          <TextField
            id={ids.birthDate}
            label="Date of birth"
            type="date"
            value={form.birthDate}
            onValueChange={set('birthDate')}
            error={errors.errorFor(ids.birthDate)}
            autoComplete="bday"
            required
          />
          {method === 'demographics' && (
            <TextField
              id={ids.mrn}
              label="Medical record number (MRN)"
              value={form.mrn}
              onValueChange={set('mrn')}
              error={errors.errorFor(ids.mrn)}
              autoComplete="off"
              spellCheck={false}
              maxLength={limits.mrnMaxLength}
              required
            />
          )}
        </fieldset>

        <fieldset className="fieldset">
          <legend>Your sign-in details</legend>
          <TextField
            id={ids.username}
            label="Username"
            value={form.username}
            onValueChange={set('username')}
            hint={`${limits.usernameMinLength} to ${limits.usernameMaxLength} letters, digits, dots, dashes or underscores.`}
            error={errors.errorFor(ids.username)}
            autoComplete="username"
            autoCapitalize="off"
            spellCheck={false}
            required
          />
          <TextField
            id={ids.email}
            label="Email"
            type="email"
            value={form.email}
            onValueChange={set('email')}
            hint="We will send a link to this address to confirm it."
            error={errors.errorFor(ids.email)}
            autoComplete="email"
            spellCheck={false}
            required
          />
          <NewPasswordFields
            ids={ids}
            password={form.password}
            confirm={form.confirm}
            onPasswordChange={set('password')}
            onConfirmChange={set('confirm')}
            errors={errors}
          />
        </fieldset>
        <button type="submit" className="button" disabled={pending}>
          Create account
        </button>
      </form>
    </div>
  );
}

/** Shown after sign-up: the account waits for the emailed link; the link can be sent again. */
function CheckEmail({ email }: { email: string }) {
  return (
    <div className="page page--narrow">
      <h1>Check your email</h1>
      <p>
        We sent a link to <strong className="break-anywhere">{email}</strong>. Open it to confirm your address and finish creating your
        account.
      </p>
      <p>It can take a few minutes to arrive. Check your spam or junk folder too.</p>
      <h2>No email?</h2>
      <ResendVerificationForm knownEmail={email} idPrefix="check-email" />
      <p>
        <Link to="/sign-in">Go to sign in</Link>
      </p>
    </div>
  );
}
