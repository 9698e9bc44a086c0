import type { ReactNode } from 'react';
import { FieldFrame } from '../FieldFrame.tsx';

/** Props of a labelled select. */
interface SelectFieldProps {
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
}

/** A labelled select with its hint and error wired up as TextField does. */
export function SelectField({ id, label, value, onValueChange, error, hint, children }: SelectFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(aria) => (
        <select id={id} className="input" value={value} onChange={(event) => onValueChange(event.target.value)} {...aria}>
          {children}
        </select>
      )}
    </FieldFrame>
  );
}

/** A checkbox with its label (and an optional hint), in the forms' checkbox layout. */
export function CheckboxField({
  id,
  label,
  checked,
  onCheckedChange,
  hint,
}: {
  id: string;
  /** The words, or an element (a visit type's name in a translate="no" span). */
  label: ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  hint?: string;
}) {
  return (
    <div className="checkbox">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onCheckedChange(event.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field__hint checkbox__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
