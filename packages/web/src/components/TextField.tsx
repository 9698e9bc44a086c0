import type { InputHTMLAttributes, ReactNode } from 'react';

/** Props of a labelled text input; everything else goes to the <input>. */
export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'> {
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  /** Guidance shown under the label and read with the input. */
  hint?: ReactNode;
  /** The problem with this input, shown inline and linked from the error summary. */
  error?: string | undefined;
}

/** A labelled input with its hint and error wired up through aria-describedby and aria-invalid. */
export function TextField({ id, label, value, onValueChange, hint, error, className, ...rest }: TextFieldProps) {
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
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      <input
        {...rest}
        id={id}
        className={className ? `input ${className}` : 'input'}
        value={value}
        onChange={(event) => onValueChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
}
