import { createTranslator, defaultLocale, isLocale, negotiateLocale, type Locale, type Translator } from '@portico/shared/i18n';
import { en } from '@portico/shared/i18n/en';

/**
 * The catalogues as the browser loads them: English with the app, every other language as its own chunk on first use.
 * The messages arrive parsed (vite.config.ts), so the translator never parses ICU in the browser.
 */
const loaded = new Map<Locale, Translator>([['en', createTranslator('en', en)]]);

export async function loadTranslator(locale: Locale): Promise<Translator> {
  const ready = loaded.get(locale);
  if (ready) return ready;
  const { es } = await import('@portico/shared/i18n/es');
  const translator = createTranslator('es', es);
  loaded.set('es', translator);
  return translator;
}

/** The translator of a locale already loaded, else English's. */
export function loadedTranslator(locale: Locale): Translator {
  return loaded.get(locale) ?? loaded.get(defaultLocale)!;
}

/** The page's language, for text made outside components (I18nProvider records every switch). */
let currentLocale: Locale = defaultLocale;

export function setCurrentLocale(locale: Locale): void {
  currentLocale = locale;
}

/** The page's translator outside React: errorMessage() and the API client's Accept-Language use it. */
export function currentTranslator(): Translator {
  return loadedTranslator(currentLocale);
}

/** The device's remembered choice (a language is not patient data), else the browser's languages. */
const storageKey = 'portico.locale';

export function rememberedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(storageKey);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(storageKey, locale);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

export function initialLocale(): Locale {
  return rememberedLocale() ?? negotiateLocale(typeof navigator === 'undefined' ? [] : navigator.languages);
}
