import { useState, type FormEvent } from 'react';
import { isPhoneNumber, isValidNpi, type ProviderRegistrationBody } from '@portico/shared';
import type { MessageId } from '@portico/shared/i18n';
import { errorMessage, isApiError } from '../../api/client.ts';
import { sendProviderRegistration } from '../../api/provider-registrations.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';

type FieldName = keyof ProviderRegistrationBody;

/** The form's fields in order: required or not, and what kind of check their value gets. */
const fields: readonly { name: FieldName; required: boolean; kind: 'text' | 'npi' | 'email' | 'phone'; autoComplete?: string }[] = [
  { name: 'givenName', required: true, kind: 'text', autoComplete: 'given-name' },
  { name: 'familyName', required: true, kind: 'text', autoComplete: 'family-name' },
  { name: 'credentials', required: false, kind: 'text', autoComplete: 'honorific-suffix' },
  { name: 'npi', required: true, kind: 'npi' },
  { name: 'email', required: true, kind: 'email', autoComplete: 'email' },
  { name: 'phone', required: true, kind: 'phone', autoComplete: 'tel' },
  { name: 'fax', required: false, kind: 'phone' },
  { name: 'practiceName', required: true, kind: 'text', autoComplete: 'organization' },
  { name: 'practiceAddress', required: true, kind: 'text', autoComplete: 'street-address' },
  { name: 'practicePhone', required: true, kind: 'phone' },
  { name: 'practiceFax', required: false, kind: 'phone' },
];
const idOf = (name: FieldName) => `provider-${name}`;
const labelOf = (name: FieldName): MessageId => `providers.register.${name}`;

/**
 * `/register/provider` (issue 12 §1): a physician with an NPI asks for a community-provider account, without signing
 * in. Each field is checked here as the server checks it (the NPI's check digit, phone numbers), then the support
 * team reviews the registration; the page confirms it was received.
 */
export function ProviderRegistrationPage() {
  const t = useT();
  useDocumentTitle(t('providers.register.title'));
  const [values, setValues] = useState<Record<FieldName, string>>(
    () => Object.fromEntries(fields.map((f) => [f.name, ''])) as Record<FieldName, string>,
  );
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const errors = useFormErrors();

  function problems(): FieldError[] {
    const found: FieldError[] = [];
    for (const field of fields) {
      const value = values[field.name].trim();
      const id = idOf(field.name);
      if (!value) {
        if (field.required) found.push({ id, message: t('providers.register.required', { field: t(labelOf(field.name)) }) });
        continue;
      }
      if (field.kind === 'npi' && !isValidNpi(value)) found.push({ id, message: t('providers.register.badNpi') });
      if (field.kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
        found.push({ id, message: t('providers.register.badEmail') });
      if (field.kind === 'phone' && !isPhoneNumber(value)) found.push({ id, message: t('providers.register.badPhone') });
    }
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = problems();
    if (found.length > 0) {
      errors.show(found);
      return;
    }
    const body = Object.fromEntries(
      fields.flatMap((f) => (values[f.name].trim() ? [[f.name, values[f.name].trim()]] : [])),
    ) as ProviderRegistrationBody;
    setPending(true);
    try {
      await sendProviderRegistration(body);
      errors.clear();
      setDone(true);
    } catch (error) {
      const field = isApiError(error) ? fields.find((f) => f.name === error.field) : undefined;
      if (field) errors.show([{ id: idOf(field.name), message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  if (done) {
    return (
      <div className="page page--narrow">
        <h1>{t('providers.register.doneHeading')}</h1>
        <StatusMessage tone="success">{t('providers.register.done')}</StatusMessage>
      </div>
    );
  }

  const field = (name: FieldName) => {
    const spec = fields.find((f) => f.name === name)!;
    const hint =
      name === 'npi' ? t('providers.register.npiHint') : name === 'credentials' ? t('providers.register.credentialsHint') : undefined;
    return (
      <TextField
        key={name}
        id={idOf(name)}
        label={t(labelOf(name))}
        value={values[name]}
        onValueChange={(value) => setValues((current) => ({ ...current, [name]: value }))}
        error={errors.errorFor(idOf(name))}
        hint={hint}
        required={spec.required}
        autoComplete={spec.autoComplete}
        type={spec.kind === 'email' ? 'email' : spec.kind === 'phone' ? 'tel' : 'text'}
        inputMode={spec.kind === 'npi' ? 'numeric' : undefined}
      />
    );
  };

  return (
    <div className="page page--narrow">
      <h1>{t('providers.register.title')}</h1>
      <p className="lede">{t('providers.register.intro')}</p>
      <ErrorSummary errors={errors} />
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <fieldset className="fieldset">
          <legend>{t('providers.register.you')}</legend>
          {(['givenName', 'familyName', 'credentials', 'npi', 'email', 'phone', 'fax'] as const).map(field)}
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t('providers.register.practice')}</legend>
          {(['practiceName', 'practiceAddress', 'practicePhone', 'practiceFax'] as const).map(field)}
        </fieldset>
        <button type="submit" className="button" disabled={pending}>
          {t('providers.register.submit')}
        </button>
      </form>
    </div>
  );
}
