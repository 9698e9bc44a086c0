import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { defaultLocale, type Locale } from '@portico/shared/i18n';
import { setFormatLocale } from '../lib/format.ts';
import { initialLocale, loadTranslator, loadedTranslator, rememberLocale, setCurrentLocale } from './catalogues.ts';
import { I18nContext, type I18nContextValue } from './i18n-context.ts';

/**
 * The page's language: the one remembered on this device or the browser's, until the signed-in person's own
 * (SessionLocale applies it). `<html lang>` and every date, number and currency follow it. Nothing renders until the
 * first language's catalogue is loaded, so no page flashes in the wrong language.
 */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(defaultLocale);
  const [ready, setReady] = useState(() => initialLocale() === defaultLocale);

  const setLocale = useCallback(async (next: Locale, options: { remember?: boolean } = {}) => {
    await loadTranslator(next);
    if (options.remember) rememberLocale(next);
    setFormatLocale(next);
    setCurrentLocale(next);
    setLocaleState(next);
  }, []);

  useEffect(() => {
    const first = initialLocale();
    if (first !== defaultLocale) void setLocale(first).finally(() => setReady(true));
  }, [setLocale]);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<I18nContextValue>(() => ({ locale, t: loadedTranslator(locale), setLocale }), [locale, setLocale]);
  return ready ? <I18nContext value={value}>{children}</I18nContext> : null;
}
