import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { limits, username as usernameSchema, type SignUpBody } from '@portico/shared';
import type { MessageId } from '@portico/shared/i18n';
import { errorMessage, isApiError } from '../../api/client.ts';
import { signUp } from '../../api/signup.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { NewPasswordFields, checkNewPassword } from '../../components/NewPasswordFields.tsx';
import { ResendVerificationForm } from '../../components/ResendVerificationForm.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useMessageParts } from '../../hooks/use-message-parts.ts';
import { useT } from '../../i18n/i18n-context.ts';

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
  const t = useT();
  useDocumentTitle(t(sentTo ? 'auth.checkEmail.heading' : 'auth.signUp.heading'));
  if (sentTo) return <CheckEmail email={sentTo} />;
  return <SignUpForm onSent={setSentTo} />;
}

/** The sign-up form; calls onSent with the address the verification link went to. */
function SignUpForm({ onSent }: { onSent: (email: string) => void }) {
  const [method, setMethod] = useState<Method>('activation_code');
  const [form, setForm] = useState(emptyForm);
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const t = useT();
  const set = (key: keyof typeof emptyForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  function validate(): FieldError[] {
    const problems: FieldError[] = [];
    const need = (key: keyof typeof emptyForm, message: MessageId) => {
      if (form[key].trim() === '') problems.push({ id: ids[key], message: t(message) });
    };
    if (method === 'activation_code') need('activationCode', 'auth.signUp.activationCodeRequired');
    else {
      need('givenName', 'auth.signUp.givenNameRequired');
      need('familyName', 'auth.signUp.familyNameRequired');
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.birthDate)) {
      problems.push({ id: ids.birthDate, message: t('auth.signUp.birthDateRequired') });
    }
    if (method === 'demographics') need('mrn', 'auth.signUp.mrnRequired');
    const name = usernameSchema.safeParse(form.username);
    if (form.username.trim() === '') problems.push({ id: ids.username, message: t('auth.signUp.usernameRequired') });
    else if (!name.success) {
      problems.push({
        id: ids.username,
        message: t('auth.signUp.usernameInvalid', { min: limits.usernameMinLength, max: limits.usernameMaxLength }),
      });
    }
    if (!/^[^\s@]+@[^\s@]+$/.test(form.email.trim())) {
      problems.push({ id: ids.email, message: t('auth.emailInvalid') });
    }
    problems.push(...checkNewPassword(t, form.password, form.confirm, ids, { username: form.username, email: form.email }));
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
      <h1>{t('auth.signUp.heading')}</h1>
      <p>
        {t('auth.signUp.haveAccount')} <Link to="/sign-in">{t('auth.signInLink')}</Link>
      </p>
      <ErrorSummary errors={errors} />
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <fieldset className="fieldset">
          <legend>{t('auth.signUp.methodLegend')}</legend>
          <div className="radio">
            <input
              type="radio"
              id="signup-method-code"
              name="method"
              checked={method === 'activation_code'}
              onChange={() => setMethod('activation_code')}
              aria-describedby="signup-method-code-hint"
            />
            <label htmlFor="signup-method-code">{t('auth.signUp.methodCode')}</label>
            <p className="field__hint" id="signup-method-code-hint">
              {t('auth.signUp.methodCodeHint')}
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
            <label htmlFor="signup-method-demographics">{t('auth.signUp.methodDemographics')}</label>
            <p className="field__hint" id="signup-method-demographics-hint">
              {t('auth.signUp.methodDemographicsHint')}
            </p>
          </div>
        </fieldset>

        <fieldset className="fieldset">
          <legend>{t('auth.signUp.aboutYou')}</legend>
          {method === 'activation_code' ? (
            <TextField
              id={ids.activationCode}
              label={t('auth.signUp.activationCode')}
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
                label={t('auth.signUp.givenName')}
                value={form.givenName}
                onValueChange={set('givenName')}
                error={errors.errorFor(ids.givenName)}
                autoComplete="given-name"
                maxLength={limits.nameMaxLength}
                required
              />
              <TextField
                id={ids.familyName}
                label={t('auth.signUp.familyName')}
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
            label={t('auth.signUp.birthDate')}
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
              label={t('auth.signUp.mrn')}
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
          <legend>{t('auth.signUp.credentialsLegend')}</legend>
          <TextField
            id={ids.username}
            label={t('auth.signUp.username')}
            value={form.username}
            onValueChange={set('username')}
            hint={t('auth.signUp.usernameHint', { min: limits.usernameMinLength, max: limits.usernameMaxLength })}
            error={errors.errorFor(ids.username)}
            autoComplete="username"
            autoCapitalize="off"
            spellCheck={false}
            required
          />
          <TextField
            id={ids.email}
            label={t('auth.email')}
            type="email"
            value={form.email}
            onValueChange={set('email')}
            hint={t('auth.signUp.emailHint')}
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
            account={{ username: form.username, email: form.email }}
          />
        </fieldset>
        <button type="submit" className="button" disabled={pending}>
          {t('auth.signUp.submit')}
        </button>
      </form>
    </div>
  );
}

/** Shown after sign-up: the account waits for the emailed link; the link can be sent again. */
function CheckEmail({ email }: { email: string }) {
  const t = useT();
  const [before, after] = useMessageParts()('auth.checkEmail.sentTo', 'email');
  return (
    <div className="page page--narrow">
      <h1>{t('auth.checkEmail.heading')}</h1>
      <p>
        {before}
        <strong className="break-anywhere" translate="no">
          {email}
        </strong>
        {after}
      </p>
      <p>{t('auth.checkEmail.delay')}</p>
      <h2>{t('auth.checkEmail.noEmail')}</h2>
      <ResendVerificationForm knownEmail={email} idPrefix="check-email" />
      <p>
        <Link to="/sign-in">{t('auth.checkEmail.goToSignIn')}</Link>
      </p>
    </div>
  );
}
