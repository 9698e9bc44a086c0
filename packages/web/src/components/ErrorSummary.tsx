import { useEffect, useId, useRef } from 'react';
import type { FormErrors } from '../hooks/use-form-errors.ts';
import { useT } from '../i18n/i18n-context.ts';

/** Lists what is wrong with a form and takes focus after each failed submit, so it is read out at once. */
export function ErrorSummary({ errors }: { errors: Pick<FormErrors, 'fields' | 'message' | 'focusKey'> }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const t = useT();
  const { fields, message, focusKey } = errors;
  useEffect(() => {
    if (focusKey > 0) ref.current?.focus();
  }, [focusKey]);
  if (!message && fields.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={titleId}>
      <p className="error-summary__title" id={titleId}>
        {t('common.problem')}
      </p>
      {message && <p className="error-summary__message">{message}</p>}
      {fields.length > 0 && (
        <ul className="error-summary__list">
          {fields.map((field) => (
            <li key={field.id}>
              <a
                href={`#${field.id}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(field.id)?.focus();
                }}
              >
                {field.message}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
