import { createContext, useContext } from 'react';
import type { Locale, MessageId, MessageValues, Translator } from '@portico/shared/i18n';

/** The page's language and its translator (I18nProvider). */
export interface I18nContextValue {
  locale: Locale;
  t: Translator;
  /** Switches the language (loading its catalogue first); `remember` keeps the choice on this device for sign-in. */
  setLocale: (locale: Locale, options?: { remember?: boolean }) => Promise<void>;
}

export const I18nContext = createContext<I18nContextValue | null>(null);

export function useI18n(): I18nContextValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** The translator: `const t = useT(); t('nav.home')`. */
export function useT(): (id: MessageId, values?: MessageValues) => string {
  return useI18n().t;
}
