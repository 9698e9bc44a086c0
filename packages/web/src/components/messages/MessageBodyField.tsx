import { messagingLimits } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';

const maxLength = messagingLimits.bodyMaxLength;

/** Props of the message text field. */
interface MessageBodyFieldProps {
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  hint: string;
  error?: string | undefined;
  rows?: number;
}

/**
 * A message's text with a character count against the limit. The count is read with the field (aria-describedby)
 * rather than announced on every key; going over the limit is not blocked (a paste is never cut short), it is shown.
 * Length counts UTF-16 units, as the server's check does.
 */
export function MessageBodyField({ id, label, value, onValueChange, hint, error, rows = 8 }: MessageBodyFieldProps) {
  const t = useT();
  const hintId = `${id}-hint`;
  const countId = `${id}-count`;
  const errorId = error ? `${id}-error` : undefined;
  const over = value.length - maxLength;
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <p className="field__hint" id={hintId}>
        {hint}
      </p>
      {error && (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">{t('common.errorPrefix')}</span>
          {error}
        </p>
      )}
      <textarea
        id={id}
        className="input input--textarea messaging-input"
        value={value}
        onChange={(event) => onValueChange(event.target.value)}
        rows={rows}
        required
        aria-invalid={error || over > 0 ? true : undefined}
        aria-describedby={[hintId, errorId, countId].filter(Boolean).join(' ')}
      />
      <p className={over > 0 ? 'messaging-count messaging-count--over' : 'messaging-count'} id={countId}>
        {over > 0 ? t('messages.body.over', { over, max: maxLength }) : t('messages.body.count', { used: value.length, max: maxLength })}
      </p>
    </div>
  );
}
