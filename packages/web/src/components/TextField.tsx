import type { InputHTMLAttributes, ReactNode } from 'react';
import { FieldFrame } from './FieldFrame.tsx';

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
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(aria) => (
        <input
          {...rest}
          id={id}
          className={className ? `input ${className}` : 'input'}
          value={value}
          onChange={(event) => onValueChange(event.target.value)}
          {...aria}
        />
      )}
    </FieldFrame>
  );
}
