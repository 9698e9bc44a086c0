import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { FieldFrame } from './FieldFrame.tsx';

/** Props of a labelled multi-line input; everything else goes to the <textarea>. */
export interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'value' | 'onChange'> {
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  /** Guidance shown under the label and read with the textarea. */
  hint?: ReactNode;
  /** The problem with this input, shown inline and linked from the error summary. */
  error?: string | undefined;
}

/** A labelled textarea with its hint and error wired up as TextField does for one-line inputs. */
export function TextAreaField({ id, label, value, onValueChange, hint, error, className, ...rest }: TextAreaFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(aria) => (
        <textarea
          {...rest}
          id={id}
          className={className ? `input input--textarea ${className}` : 'input input--textarea'}
          value={value}
          onChange={(event) => onValueChange(event.target.value)}
          {...aria}
        />
      )}
    </FieldFrame>
  );
}
