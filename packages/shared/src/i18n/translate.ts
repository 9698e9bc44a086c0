/**
 * One translator for the web and the server over the one catalogue (issue 10): ICU messages (plurals, selects,
 * numbers, dates) formatted by FormatJS's intl-messageformat. The server gives it the catalogue's strings; the web
 * gives it the same messages precompiled to ASTs at build time (vite.config.ts), so no ICU parser ships to browsers.
 */
import IntlMessageFormat from 'intl-messageformat';
import type { MessageId } from './en.ts';
import { intlLocales, type Locale } from './locales.ts';

/** A catalogue: every message id with its ICU text. */
export type Catalogue = Record<MessageId, string>;
/** A catalogue whose messages may already be parsed (the web's build turns each string into its AST). */
export type LoadedCatalogue = Record<MessageId, ConstructorParameters<typeof IntlMessageFormat>[0]>;

/** What a message's placeholders may be given. */
export type MessageValues = Record<string, string | number | Date | null | undefined>;

/** Formats messages of one locale; each message is compiled once, on first use. */
export interface Translator {
  readonly locale: Locale;
  (id: MessageId, values?: MessageValues): string;
}

/** Thrown for a message that does not format: a bug in the catalogue, caught by the catalogue test. */
export class MessageFormatFailure extends Error {}

export function createTranslator(locale: Locale, catalogue: LoadedCatalogue): Translator {
  const compiled = new Map<MessageId, IntlMessageFormat>();
  const tag = intlLocales[locale];
  const t = (id: MessageId, values?: MessageValues): string => {
    let format = compiled.get(id);
    if (!format) {
      const message = catalogue[id];
      if (message === undefined) throw new MessageFormatFailure(`no message ${String(id)} in ${locale}`);
      format = new IntlMessageFormat(message, tag);
      compiled.set(id, format);
    }
    const result = format.format(values);
    return Array.isArray(result) ? result.join('') : String(result);
  };
  return Object.assign(t, { locale });
}
