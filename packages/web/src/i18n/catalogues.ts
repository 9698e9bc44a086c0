import {
  createTranslator,
  defaultLocale,
  isLocale,
  negotiateLocale,
  type Locale,
  type LoadedCatalogue,
  type MessageId,
  type Translator,
} from '@portico/shared/i18n';
import enAuth from '@portico/shared/i18n/messages/en/auth.json';
import enCommon from '@portico/shared/i18n/messages/en/common.json';
import enErrors from '@portico/shared/i18n/messages/en/errors.json';
import enNav from '@portico/shared/i18n/messages/en/nav.json';

/**
 * The catalogues as the browser loads them, area by area (messages/<locale>/<area>.json, parsed at build time:
 * vite.config.ts): English's shell areas (common, nav, auth, errors) come with the app, every other area and language
 * as its own small chunk when a page first needs it. The server's own areas (emails, documents) never ship.
 */
export type Area = string;
type ParsedMessages = Partial<LoadedCatalogue>;

const areaLoaders = import.meta.glob<ParsedMessages>(
  ['../../../shared/src/i18n/messages/*/*.json', '!**/notify.json', '!**/documents.json'],
  { import: 'default' },
);

const eagerEnglish: Record<Area, ParsedMessages> = {
  common: enCommon,
  nav: enNav,
  auth: enAuth,
  errors: enErrors,
};

/** Per locale: every message loaded so far (one object the translator reads), and the areas in it. */
const catalogues = new Map<Locale, { messages: ParsedMessages; areas: Set<Area>; translator: Translator }>();
const pending = new Map<string, Promise<void>>();

function catalogueOf(locale: Locale) {
  let entry = catalogues.get(locale);
  if (!entry) {
    const messages: ParsedMessages = {};
    const areas = new Set<Area>();
    if (locale === defaultLocale) {
      for (const [area, parsed] of Object.entries(eagerEnglish)) {
        Object.assign(messages, parsed);
        areas.add(area);
      }
    }
    entry = { messages, areas, translator: createTranslator(locale, messages as LoadedCatalogue) };
    catalogues.set(locale, entry);
  }
  return entry;
}

/** The area of a message id: its first segment ('record.results.heading' → 'record'). */
function areaOf(id: MessageId): Area {
  return String(id).split('.')[0] ?? '';
}

/** Loads the areas of a locale that are not loaded yet (each once, however many callers ask). */
export function ensureAreas(locale: Locale, areas: Iterable<Area>): Promise<void> {
  const entry = catalogueOf(locale);
  const loads: Promise<void>[] = [];
  for (const area of areas) {
    if (entry.areas.has(area)) continue;
    const key = `${locale}/${area}`;
    let load = pending.get(key);
    if (!load) {
      const loader = areaLoaders[`../../../shared/src/i18n/messages/${locale}/${area}.json`];
      if (!loader) throw new Error(`no catalogue area ${key}`);
      load = loader().then((parsed) => {
        Object.assign(entry.messages, parsed);
        entry.areas.add(area);
      });
      pending.set(key, load);
      void load.finally(() => pending.delete(key));
    }
    loads.push(load);
  }
  return Promise.all(loads).then(() => undefined);
}

/** Loads a locale with every area already loaded for any locale, so a switch shows the same pages at once. */
export async function loadTranslator(locale: Locale): Promise<Translator> {
  const wanted = new Set<Area>([...catalogueOf(defaultLocale).areas, ...catalogueOf(locale).areas]);
  await ensureAreas(locale, wanted);
  return catalogueOf(locale).translator;
}

/**
 * The translator of a locale. The areas a face needs are loaded before its pages render (SessionLocale); a message of
 * an area still missing suspends the component asking for it, as a last resort.
 */
export function loadedTranslator(locale: Locale): Translator {
  const entry = catalogueOf(locale);
  const t = (id: MessageId, values?: Parameters<Translator>[1]): string => {
    // Suspense's contract is a thrown promise; React waits for it and renders again.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (!(id in entry.messages)) throw ensureAreas(locale, [areaOf(id)]);
    return entry.translator(id, values);
  };
  return Object.assign(t, { locale });
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

/** Loads catalogue areas a page needs in the page's current language (with the page's own chunk, not after it). */
export function loadAreas(areas: readonly Area[]): Promise<void> {
  return ensureAreas(currentLocale, areas);
}
