import { limits } from '@portico/shared';
import type { MessageId, MessageValues } from '@portico/shared/i18n';
import type { FieldError, FormErrors } from '../hooks/use-form-errors.ts';
import { useT } from '../i18n/i18n-context.ts';
import { TextField } from './TextField.tsx';

/** Input ids of the two password fields. */
export interface NewPasswordIds {
  password: string;
  confirm: string;
}

/** Client-side checks for a new password: length (counted as the server counts it) and the confirmation matching. */
export function checkNewPassword(
  t: (id: MessageId, values?: MessageValues) => string,
  password: string,
  confirm: string,
  ids: NewPasswordIds,
): FieldError[] {
  const problems: FieldError[] = [];
  if (password.length < limits.passwordMinLength) {
    problems.push({ id: ids.password, message: t('auth.newPassword.tooShort', { min: limits.passwordMinLength }) });
  } else if (password.length > limits.passwordMaxLength) {
    problems.push({ id: ids.password, message: t('auth.newPassword.tooLong', { max: limits.passwordMaxLength }) });
  }
  if (confirm === '') problems.push({ id: ids.confirm, message: t('auth.newPassword.confirmRequired') });
  else if (confirm !== password) problems.push({ id: ids.confirm, message: t('auth.newPassword.mismatch') });
  return problems;
}

/** Props of the new-password pair. */
interface NewPasswordFieldsProps {
  ids: NewPasswordIds;
  labels?: { password: string; confirm: string };
  password: string;
  confirm: string;
  onPasswordChange: (value: string) => void;
  onConfirmChange: (value: string) => void;
  errors: Pick<FormErrors, 'errorFor'>;
}

/**
 * A new password and its confirmation, with the length hint (NIST SP 800-63B: length, not composition rules) and
 * autocomplete="new-password" for password managers.
 */
export function NewPasswordFields(props: NewPasswordFieldsProps) {
  const { ids, password, confirm, errors } = props;
  const t = useT();
  const labels = props.labels ?? { password: t('auth.newPassword.password'), confirm: t('auth.newPassword.confirm') };
  return (
    <>
      <TextField
        id={ids.password}
        label={labels.password}
        type="password"
        value={password}
        onValueChange={props.onPasswordChange}
        hint={t('auth.newPassword.hint', { min: limits.passwordMinLength })}
        error={errors.errorFor(ids.password)}
        autoComplete="new-password"
        required
      />
      <TextField
        id={ids.confirm}
        label={labels.confirm}
        type="password"
        value={confirm}
        onValueChange={props.onConfirmChange}
        error={errors.errorFor(ids.confirm)}
        autoComplete="new-password"
        required
      />
    </>
  );
}
