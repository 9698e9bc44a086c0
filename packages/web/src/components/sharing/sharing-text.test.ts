import { afterEach, describe, expect, it } from 'vitest';
import { createTranslator } from '@portico/shared/i18n';
import { en } from '@portico/shared/i18n/en';
import { es } from '@portico/shared/i18n/es';
import { setFormatLocale } from '../../lib/format.ts';
import { accessInWords, relationshipInWords } from './sharing-text.ts';

/** What a proxy's level and areas read as, on the Sharing page and on the invitation, in each language. */
describe('accessInWords', () => {
  const english = createTranslator('en', en);
  const spanish = createTranslator('es', es);

  afterEach(() => setFormatLocale('en'));

  it('names full access as everything and the settings, whatever areas came with it', () => {
    expect(accessInWords(english, 'full', ['billing'])).toBe('Everything in the record, and can manage these settings');
  });

  it('lists the chosen areas in the form’s order, joined as the language joins a list', () => {
    setFormatLocale('en');
    expect(accessInWords(english, 'areas', ['messages', 'appointments'])).toBe('Appointments and Messages with the care team');
    setFormatLocale('es');
    expect(accessInWords(spanish, 'areas', ['messages', 'appointments', 'billing'])).toBe(
      'Citas, Mensajes con el equipo de atención y Facturas y pagos',
    );
  });
});

describe('relationshipInWords', () => {
  const english = createTranslator('en', en);

  it('says how a proxy came to act for the patient, and names other kinds by kind', () => {
    expect(relationshipInWords(english, { kind: 'proxy', relationship: 'guardian' })).toBe('Parent or guardian');
    expect(relationshipInWords(english, { kind: 'share_link', relationship: null })).toBe('Share link');
  });
});
