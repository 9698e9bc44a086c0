import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n-context.ts';

/** The ARIA a field's control carries so its hint and error are read with it. */
export interface FieldAria {
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** What every labelled field shows around its control. */
export interface FieldFrameProps {
  id: string;
  label: string;
  /** Guidance shown under the label and read with the control. */
  hint?: ReactNode;
  /** The problem with this field, shown inline and linked from the error summary. */
  error?: string | undefined;
  /** Renders the control (input, textarea, select) with the ARIA it needs. */
  children: (aria: FieldAria) => ReactNode;
}

/** The one layout of a form field: label, hint, error, then the control, wired up through aria-describedby and aria-invalid. */
export function FieldFrame({ id, label, hint, error, children }: FieldFrameProps) {
  const t = useT();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">{t('common.errorPrefix')}</span>
          {error}
        </p>
      )}
      {children({ 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
    </div>
  );
}
