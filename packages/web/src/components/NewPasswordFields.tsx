import { accountNameIn, isRepeatedPattern, limits, passwordLength } from '@portico/shared';
import type { MessageId, MessageValues } from '@portico/shared/i18n';
import type { FieldError, FormErrors } from '../hooks/use-form-errors.ts';
import { useT } from '../i18n/i18n-context.ts';
import { FieldFrame } from './FieldFrame.tsx';
import { TextField } from './TextField.tsx';

/** Input ids of the two password fields. */
export interface NewPasswordIds {
  password: string;
  confirm: string;
}

/** The account a new password is for, when the page knows it: its names may not be in the password. */
export interface PasswordAccount {
  username?: string;
  email?: string;
}

type Translate = (id: MessageId, values?: MessageValues) => string;

/** One password rule as the page shows it; `met` is null for a rule only the server can check (when it is sent). */
interface PasswordRule {
  id: string;
  text: string;
  met: boolean | null;
}

/**
 * The rules of a new password (SECURITY.md; NIST SP 800-63B 5.1.1.2: length, no composition rules), each with whether
 * the password meets it, by the same shared checks the server applies. The username/email rule is checked here only
 * when the page knows the account; the common-password list stays on the server.
 */
function passwordRules(t: Translate, password: string, account: PasswordAccount | undefined): PasswordRule[] {
  const length = passwordLength(password);
  const knowsAccount = Boolean(account?.username?.trim() || account?.email?.trim());
  return [
    {
      id: 'length',
      text: t('auth.newPassword.rule.length', { min: limits.passwordMinLength, max: limits.passwordMaxLength }),
      met: length >= limits.passwordMinLength && length <= limits.passwordMaxLength,
    },
    { id: 'repeated', text: t('auth.newPassword.rule.notRepeated'), met: password !== '' && !isRepeatedPattern(password) },
    {
      id: 'personal',
      text: t('auth.newPassword.rule.notPersonal'),
      met: knowsAccount && account ? password !== '' && accountNameIn(password, account) === null : null,
    },
    { id: 'common', text: t('auth.newPassword.rule.notCommon'), met: null },
  ];
}

/** Client-side checks for a new password: the rules the page can check (as the server counts) and the confirmation matching. */
export function checkNewPassword(
  t: Translate,
  password: string,
  confirm: string,
  ids: NewPasswordIds,
  account?: PasswordAccount,
): FieldError[] {
  const problems: FieldError[] = [];
  const length = passwordLength(password);
  if (length < limits.passwordMinLength) {
    problems.push({ id: ids.password, message: t('auth.newPassword.tooShort', { min: limits.passwordMinLength }) });
  } else if (length > limits.passwordMaxLength) {
    problems.push({ id: ids.password, message: t('auth.newPassword.tooLong', { max: limits.passwordMaxLength }) });
  } else if (isRepeatedPattern(password)) {
    problems.push({ id: ids.password, message: t('errors.weak_password.predictable') });
  } else if (account) {
    const named = accountNameIn(password, account);
    if (named)
      problems.push({
        id: ids.password,
        message: t(named === 'username' ? 'errors.weak_password.username' : 'errors.weak_password.email'),
      });
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
  /** The account's username and email, when known, so the page can check that the password leaves them out. */
  account?: PasswordAccount;
}

/**
 * A new password and its confirmation. The rules show before anything is sent, beside the password (read with it
 * through aria-describedby), each marked met or not as the person types; a polite status says which are met, only when
 * that changes. Pasting is allowed (password managers), and autocomplete="new-password" offers a generated one.
 */
export function NewPasswordFields(props: NewPasswordFieldsProps) {
  const { ids, password, confirm, errors, account } = props;
  const t = useT();
  const labels = props.labels ?? { password: t('auth.newPassword.password'), confirm: t('auth.newPassword.confirm') };
  const rules = passwordRules(t, password, account);
  const checkable = rules.filter((rule) => rule.met !== null);
  const met = checkable.filter((rule) => rule.met);
  const rulesId = `${ids.password}-rules`;
  const status =
    password === ''
      ? ''
      : t('auth.newPassword.rulesStatus', { count: met.length, total: checkable.length, met: met.map((r) => r.text).join('; ') });
  return (
    <>
      <FieldFrame
        id={ids.password}
        label={labels.password}
        hint={t('auth.newPassword.hint', { min: limits.passwordMinLength })}
        error={errors.errorFor(ids.password)}
      >
        {(aria) => (
          <>
            <div className="field__hint" id={rulesId}>
              <p className="password-rules__title">{t('auth.newPassword.rulesTitle')}</p>
              <ul className="plain-list password-rules">
                {rules.map((rule) => (
                  <li key={rule.id} className={rule.met ? 'password-rule password-rule--met' : 'password-rule'}>
                    <span aria-hidden="true">{rule.met === null ? '• ' : rule.met ? '✓ ' : '○ '}</span>
                    {rule.met !== null && (
                      <span className="visually-hidden">{t(rule.met ? 'auth.newPassword.ruleMet' : 'auth.newPassword.ruleNotMet')} </span>
                    )}
                    {rule.text}
                    {rule.met === null && ` ${t('auth.newPassword.ruleCheckedOnSend')}`}
                  </li>
                ))}
              </ul>
            </div>
            <input
              id={ids.password}
              className="input"
              type="password"
              value={password}
              onChange={(event) => props.onPasswordChange(event.target.value)}
              autoComplete="new-password"
              required
              aria-invalid={aria['aria-invalid']}
              aria-describedby={[aria['aria-describedby'], rulesId].filter(Boolean).join(' ')}
            />
            <p className="visually-hidden" id={`${ids.password}-status`} role="status">
              {status}
            </p>
          </>
        )}
      </FieldFrame>
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
