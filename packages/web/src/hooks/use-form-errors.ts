import { useCallback, useMemo, useState } from 'react';

/** One problem with one input; `id` is the input's id so the summary can link to it. */
export interface FieldError {
  id: string;
  message: string;
}

/** The error state of one form, fed to ErrorSummary and the fields. */
export interface FormErrors {
  fields: FieldError[];
  /** A problem with the form as a whole (shown first in the summary). */
  message: string | null;
  /** Increases on every failed submit, so the summary takes focus again each time. */
  focusKey: number;
  show: (fields: FieldError[], message?: string | null) => void;
  clear: () => void;
  errorFor: (id: string) => string | undefined;
}

/** Holds a form's validation and server errors (GOV.UK-style summary plus inline messages). */
export function useFormErrors(): FormErrors {
  const [fields, setFields] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [focusKey, setFocusKey] = useState(0);
  const show = useCallback((next: FieldError[], nextMessage: string | null = null) => {
    setFields(next);
    setMessage(nextMessage);
    setFocusKey((key) => key + 1);
  }, []);
  const clear = useCallback(() => {
    setFields([]);
    setMessage(null);
  }, []);
  return useMemo(
    () => ({ fields, message, focusKey, show, clear, errorFor: (id) => fields.find((f) => f.id === id)?.message }),
    [fields, message, focusKey, show, clear],
  );
}
