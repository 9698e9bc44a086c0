/** The languages Portico speaks, and how a person's language is chosen (issue 10). */

/** Every supported locale: English and Spanish, complete in the catalogue (messages/<locale>/*.json). */
export const locales = ['en', 'es'] as const;
export type Locale = (typeof locales)[number];

/** The language used when nothing else says: the organization's working language. */
export const defaultLocale: Locale = 'en';

/** Each language named in itself, as a language menu shows it. */
export const localeNames: Record<Locale, string> = { en: 'English', es: 'Español' };

/** BCP 47 tags for Intl formatting (dates, numbers, currency) of each locale. */
export const intlLocales: Record<Locale, string> = { en: 'en-US', es: 'es-US' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/**
 * The best supported locale for a list of language tags in order of preference (navigator.languages, or an
 * Accept-Language header's tags): the first whose primary language Portico speaks, else the default.
 */
export function negotiateLocale(preferred: readonly string[] | string | null | undefined): Locale {
  const tags = typeof preferred === 'string' ? acceptLanguageTags(preferred) : (preferred ?? []);
  for (const tag of tags) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (isLocale(primary)) return primary;
  }
  return defaultLocale;
}

/** The tags of an Accept-Language header, highest quality first (`es-MX,es;q=0.9,en;q=0.8`). */
function acceptLanguageTags(header: string): string[] {
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      const quality = q === undefined ? 1 : Number(q);
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map((entry) => entry.tag);
}

/** Text sizes a person may choose, as a percentage of the base size (issue 10: four steps up to 200 %). */
export const textSizes = [100, 125, 150, 175, 200] as const;
export type TextSize = (typeof textSizes)[number];
export const defaultTextSize: TextSize = 100;

export function isTextSize(value: unknown): value is TextSize {
  return typeof value === 'number' && (textSizes as readonly number[]).includes(value);
}
