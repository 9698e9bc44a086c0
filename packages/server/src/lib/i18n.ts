/** The server's translators (emails, texts, PDFs, .ics files, error messages), one per locale over the one catalogue. */
import { createTranslator, type Locale, type Translator } from '@portico/shared/i18n';
import { en } from '@portico/shared/i18n/en';
import { es } from '@portico/shared/i18n/es';

const translators: Record<Locale, Translator> = { en: createTranslator('en', en), es: createTranslator('es', es) };

/** The translator of a locale: `translatorFor(user.locale)('notify.signInPaused.subject')`. */
export function translatorFor(locale: Locale): Translator {
  return translators[locale];
}
