import { useId, useState } from 'react';
import { isLocale, localeNames, locales } from '@portico/shared/i18n';
import { savePreferences } from '../api/auth.ts';
import { useSession } from '../session/session-context.ts';
import { useI18n } from './i18n-context.ts';

/**
 * The language menu: on the sign-in page it sets the page's language and remembers it on this device (the sign-in
 * then stores it on the account); signed in, it stores the choice on the account at once. Each language is named in
 * itself, so a person who cannot read the current one still finds theirs.
 */
export function LanguagePicker({ className }: { className?: string }) {
  const id = useId();
  const { locale, setLocale, t } = useI18n();
  const { state, refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const choose = async (value: string) => {
    if (!isLocale(value) || value === locale) return;
    setBusy(true);
    try {
      if (state.status === 'signed_in') {
        await savePreferences({ locale: value });
        await setLocale(value, { remember: true });
        await refresh();
      } else {
        await setLocale(value, { remember: true });
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={['language-picker', className].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{t('common.language')}</label>
      <select id={id} value={locale} disabled={busy} onChange={(event) => void choose(event.target.value)}>
        {locales.map((code) => (
          <option key={code} value={code} lang={code}>
            {localeNames[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
