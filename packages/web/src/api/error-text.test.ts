import { describe, expect, it } from 'vitest';
import { createTranslator } from '@portico/shared/i18n';
import { en } from '@portico/shared/i18n/en';
import { es } from '@portico/shared/i18n/es';
import { apiErrorText } from './error-text.ts';

/** The server's English for the issue 10 §5 refusals becomes the page's own words, naming the field, in each language. */
describe('apiErrorText for phone numbers, check-in answers and the mobile number', () => {
  const english = createTranslator('en', en);
  const spanish = createTranslator('es', es);
  const phone = (field: string, what: string) => ({
    code: 'validation_failed' as const,
    field,
    message: `${field}: Enter ${what} as 7 to 15 digits; a leading +, spaces, dashes, dots and parentheses are fine.`,
  });

  it.each([
    [
      'newPharmacy.phone',
      "the pharmacy's phone number",
      'Enter the pharmacy’s phone number as 7 to 15 digits.',
      'Escriba el número de teléfono de la farmacia con 7 a 15 dígitos.',
    ],
    [
      'mobilePhone',
      'your mobile number',
      'Enter your mobile number as 7 to 15 digits.',
      'Escriba su número de celular con 7 a 15 dígitos.',
    ],
    [
      'emergencyContact.phone',
      "your emergency contact's phone number",
      'Enter your emergency contact’s phone number as 7 to 15 digits.',
      'Escriba el número de teléfono de su contacto de emergencia con 7 a 15 dígitos.',
    ],
  ])('names %s', (field, what, inEnglish, inSpanish) => {
    expect(apiErrorText(english, phone(field, what))).toContain(inEnglish);
    expect(apiErrorText(spanish, phone(field, what))).toContain(inSpanish);
  });

  it.each([
    ['answers.fever', 'answers.fever: Answer this question.', 'Answer this question.', 'Responda esta pregunta.'],
    ['answers.fever', 'answers.fever: Answer yes or no.', 'Answer yes or no.', 'Responda sí o no.'],
    ['consents.0', 'consents.0: Sign this consent form.', 'Sign this consent form.', 'Firme este formulario de consentimiento.'],
    [
      'mobilePhone',
      'mobilePhone: Enter your mobile number to get text messages.',
      'Enter your mobile number to get text messages.',
      'Escriba su número de celular para recibir mensajes de texto.',
    ],
  ])('turns %s (%s) into the catalogue’s words', (field, message, inEnglish, inSpanish) => {
    const facts = { code: 'validation_failed' as const, field, message };
    expect(apiErrorText(english, facts)).toBe(inEnglish);
    expect(apiErrorText(spanish, facts)).toBe(inSpanish);
  });
});

/** Issue 11 §1: a patient younger than the organization's teen account age is told the age, in the page's language. */
describe('apiErrorText for a sign-up too young for an own account', () => {
  const english = createTranslator('en', en);
  const spanish = createTranslator('es', es);
  const message =
    'Patients can have their own portal account from age 12 at Riverside Health. Until then, a parent or guardian can ask for access to your record.';

  it('repeats the age and the organization the server names', () => {
    expect(apiErrorText(english, { code: 'too_young_for_account', message })).toBe(message);
    expect(apiErrorText(spanish, { code: 'too_young_for_account', message })).toBe(
      'En Riverside Health, los pacientes pueden tener su propia cuenta en el portal a partir de los 12 años. Mientras tanto, su padre, madre o tutor puede pedir acceso a su expediente.',
    );
  });

  it('says it without the age when the wording is not the one it knows', () => {
    expect(apiErrorText(spanish, { code: 'too_young_for_account', message: 'Too young.' })).toMatch(/^Todavía no tiene la edad/);
  });
});
