import { describe, expect, it } from 'vitest';
import { createTranslator } from '@portico/shared/i18n';
import { en } from '@portico/shared/i18n/en';
import { es } from '@portico/shared/i18n/es';
import { apiErrorText } from '../../api/error-text.ts';

/** The server's English for a share link's refusals (share-links.service.ts) becomes the page's words, with the count. */
describe('apiErrorText for share links', () => {
  const english = createTranslator('en', en);
  const spanish = createTranslator('es', es);
  const wrong = (message: string) => ({ code: 'wrong_passcode' as const, field: 'passcode', message });

  it('says how many tries are left, in each language', () => {
    const three = wrong('That passcode is not right. 3 tries are left before the link locks.');
    expect(apiErrorText(english, three)).toBe('That passcode is not right. 3 tries are left before the link locks.');
    expect(apiErrorText(spanish, three)).toBe(
      'Ese código de acceso no es correcto. Le quedan 3 intentos antes de que el enlace se bloquee.',
    );
    const one = wrong('That passcode is not right. 1 try is left before the link locks.');
    expect(apiErrorText(english, one)).toBe('That passcode is not right. 1 try is left before the link locks.');
    expect(apiErrorText(spanish, one)).toBe('Ese código de acceso no es correcto. Le queda 1 intento antes de que el enlace se bloquee.');
  });

  it('says the link is now locked, and reads the per-address limit and the cap on links', () => {
    const locked = wrong('That passcode is not right. The link is now locked; ask the person who shared it for a new one.');
    expect(apiErrorText(spanish, locked)).toMatch(/^Ese código de acceso no es correcto\. El enlace ya está bloqueado/);
    const limited = {
      code: 'too_many_attempts' as const,
      message: 'Too many tries to open shared records from this network. Try again in an hour.',
    };
    expect(apiErrorText(spanish, limited)).toMatch(/^Demasiados intentos de abrir expedientes compartidos/);
    const cap = {
      code: 'too_many_share_links' as const,
      message: 'This record already has 20 active share links. Revoke one before you make another.',
    };
    expect(apiErrorText(english, cap)).toBe('This record already has 20 active share links. Revoke one before you make another.');
  });
});
