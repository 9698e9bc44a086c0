import { errorMessage, isApiError } from '../../api/client.ts';
import type { FormErrors } from '../../hooks/use-form-errors.ts';

/** The server's validation message without the `field: ` it starts with (the summary links to the input instead). */
function withoutFieldPrefix(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

/**
 * Shows a failed send in the form's error summary: a validation error naming a field links to that field's input
 * (`inputFor` maps the server's field path, e.g. `newPharmacy.name`, to an input id); anything else is a message.
 */
export function showSendProblem(errors: FormErrors, error: unknown, inputFor: (field: string) => string | null): void {
  const message = errorMessage(error);
  if (isApiError(error, 'validation_failed', 'bad_request') && error.field) {
    const input = inputFor(error.field);
    if (input) {
      errors.show([{ id: input, message: withoutFieldPrefix(message, error.field) }]);
      return;
    }
  }
  errors.show([], message);
}
