import { Fragment, useEffect, type ReactNode } from 'react';
import { useSession } from '../session/session-context.ts';
import { useI18n } from './i18n-context.ts';

/**
 * Applies the signed-in person's stored language and text size, and remounts the pages under it when the language
 * changes, so no component keeps text or formatted dates of the old one.
 */
export function SessionLocale({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const { locale, setLocale } = useI18n();
  const preferences = state.status === 'signed_in' ? state.user.preferences : null;
  useEffect(() => {
    if (preferences && preferences.locale !== locale) void setLocale(preferences.locale, { remember: true });
  }, [preferences, locale, setLocale]);
  useEffect(() => {
    document.documentElement.style.fontSize = preferences ? `${preferences.textSize}%` : '';
  }, [preferences]);
  return <Fragment key={locale}>{children}</Fragment>;
}
