import { limits } from '@portico/shared';
import type { FieldError, FormErrors } from '../hooks/use-form-errors.ts';
import { TextField } from './TextField.tsx';

/** Input ids of the two password fields. */
export interface NewPasswordIds {
  password: string;
  confirm: string;
}

/** The hint shown with every new password (NIST SP 800-63B: length, not composition rules). */
export const newPasswordHint = `${limits.passwordMinLength} or more characters; a long phrase is best.`;

/** Client-side checks for a new password: length (counted as the server counts it) and the confirmation matching. */
export function checkNewPassword(password: string, confirm: string, ids: NewPasswordIds): FieldError[] {
  const problems: FieldError[] = [];
  if (password.length < limits.passwordMinLength) {
    problems.push({ id: ids.password, message: `Use at least ${limits.passwordMinLength} characters for your password.` });
  } else if (password.length > limits.passwordMaxLength) {
    problems.push({ id: ids.password, message: `Use at most ${limits.passwordMaxLength} characters for your password.` });
  }
  if (confirm === '') problems.push({ id: ids.confirm, message: 'Type your password again to confirm it.' });
  else if (confirm !== password) problems.push({ id: ids.confirm, message: 'The two passwords do not match.' });
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

/** A new password and its confirmation, with the length hint and autocomplete="new-password" for password managers. */
export function NewPasswordFields(props: NewPasswordFieldsProps) {
  const { ids, password, confirm, errors } = props;
  const labels = props.labels ?? { password: 'Password', confirm: 'Confirm password' };
  return (
    <>
      <TextField
        id={ids.password}
        label={labels.password}
        type="password"
        value={password}
        onValueChange={props.onPasswordChange}
        hint={newPasswordHint}
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
