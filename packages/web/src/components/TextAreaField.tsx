import type { ReactNode, TextareaHTMLAttributes } from 'react';

/** Props of a labelled multi-line input; everything else goes to the <textarea>. */
export interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'value' | 'onChange'> {
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  /** Guidance shown under the label and read with the input. */
  hint?: ReactNode;
  /** The problem with this input, shown inline and linked from the error summary. */
  error?: string | undefined;
}

/** A labelled textarea with its hint and error wired up as TextField does for one-line inputs. */
export function TextAreaField({ id, label, value, onValueChange, hint, error, className, ...rest }: TextAreaFieldProps) {
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
      <textarea
        {...rest}
        id={id}
        className={className ? `input input--textarea ${className}` : 'input input--textarea'}
        value={value}
        onChange={(event) => onValueChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
}
