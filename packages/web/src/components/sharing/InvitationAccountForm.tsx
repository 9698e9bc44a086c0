import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, errorMessage, isApiError } from '../../api/client.ts';
import { signUpWithInvitation } from '../../api/sharing.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { NewPasswordFields, checkNewPassword } from '../NewPasswordFields.tsx';
import { TextField } from '../TextField.tsx';

const ids = {
  givenName: 'invitation-given-name',
  familyName: 'invitation-family-name',
  username: 'invitation-username',
  password: 'invitation-password',
  confirm: 'invitation-confirm',
  birthDate: 'invitation-account-birth-date',
};

/** The API's field names and the form's ids. */
const fieldIds: Record<string, string> = {
  givenName: ids.givenName,
  familyName: ids.familyName,
  username: ids.username,
  password: ids.password,
  birthDate: ids.birthDate,
};

/**
 * For an invitee with no Portico account (issue 11 §1: "signs up or signs in"): their name, a username and password,
 * and the patient's date of birth open the account and accept the invitation in one step. The email is the one the
 * invitation went to (the link proves it), so nothing waits for a confirmation email; then they sign in.
 */
export function InvitationAccountForm({ token, onUnusable }: { token: string; onUnusable: (error: ApiError) => boolean }) {
  const t = useT();
  const navigate = useNavigate();
  const errors = useFormErrors();
  const [form, setForm] = useState({ givenName: '', familyName: '', username: '', birthDate: '' });
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pending, setPending] = useState(false);
  const set = (field: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const problems: FieldError[] = [];
    if (form.givenName.trim() === '') problems.push({ id: ids.givenName, message: t('sharing.account.givenNameRequired') });
    if (form.familyName.trim() === '') problems.push({ id: ids.familyName, message: t('sharing.account.familyNameRequired') });
    if (form.username.trim() === '') problems.push({ id: ids.username, message: t('sharing.account.usernameRequired') });
    problems.push(...checkNewPassword(t, password, confirm, ids, { username: form.username }));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.birthDate)) problems.push({ id: ids.birthDate, message: t('sharing.accept.birthDateRequired') });
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const created = await signUpWithInvitation({ token, ...form, username: form.username.trim(), password });
      void navigate('/sign-in', { state: { accountCreated: created.username } });
    } catch (error) {
      setPending(false);
      if (error instanceof ApiError && onUnusable(error)) return;
      const field = error instanceof ApiError && error.field ? fieldIds[error.field] : undefined;
      if (isApiError(error, 'birth_date_mismatch')) errors.show([{ id: ids.birthDate, message: t('sharing.accept.wrongDate') }]);
      else if (field) errors.show([{ id: field, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="invitation-account-heading">
      <h2 id="invitation-account-heading">{t('sharing.account.heading')}</h2>
      <p>{t('sharing.account.intro')}</p>
      <ErrorSummary errors={errors} />
      <TextField
        id={ids.givenName}
        label={t('sharing.account.givenName')}
        value={form.givenName}
        onValueChange={set('givenName')}
        error={errors.errorFor(ids.givenName)}
        autoComplete="given-name"
        required
      />
      <TextField
        id={ids.familyName}
        label={t('sharing.account.familyName')}
        value={form.familyName}
        onValueChange={set('familyName')}
        error={errors.errorFor(ids.familyName)}
        autoComplete="family-name"
        required
      />
      <TextField
        id={ids.username}
        label={t('sharing.account.username')}
        hint={t('sharing.account.usernameHint')}
        value={form.username}
        onValueChange={set('username')}
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
        account={{ username: form.username }}
      />
      <TextField
        id={ids.birthDate}
        label={t('sharing.accept.birthDate')}
        hint={t('sharing.accept.birthDateHint')}
        type="date"
        value={form.birthDate}
        onValueChange={set('birthDate')}
        error={errors.errorFor(ids.birthDate)}
        required
      />
      <button type="submit" className="button" aria-disabled={pending}>
        {t('sharing.account.submit')}
      </button>
      <p className="live-text" role="status">
        {pending ? t('sharing.account.creating') : ''}
      </p>
    </form>
  );
}
