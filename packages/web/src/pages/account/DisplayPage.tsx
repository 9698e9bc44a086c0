import { useId, useState, type FormEvent } from 'react';
import { textSizes, type TextSize } from '@portico/shared/i18n';
import { errorMessage } from '../../api/client.ts';
import { savePreferences } from '../../api/auth.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { LanguagePicker } from '../../i18n/LanguagePicker.tsx';
import { formatLocale } from '../../lib/format.ts';
import { useSession, useSignedInUser } from '../../session/session-context.ts';

/**
 * `/account/display`: the text size (100 to 200 %, stored on the account and applied as the page's base size, so
 * every page grows with it; SessionLocale) with a preview at the size being chosen, and the language menu.
 */
export function DisplayPage() {
  const t = useT();
  useDocumentTitle(t('account.display.heading'));
  const user = useSignedInUser();
  const { refresh } = useSession();
  const [chosen, setChosen] = useState<TextSize>(user.preferences.textSize);
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);
  const errors = useFormErrors();
  const hintId = useId();
  const percent = new Intl.NumberFormat(formatLocale(), { style: 'percent' });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setSaved(false);
    try {
      await savePreferences({ textSize: chosen });
      // The session's preferences drive the page's size (SessionLocale); reading them back applies the new one.
      await refresh();
      errors.clear();
      setSaved(true);
    } catch (error) {
      errors.show([], `${t('account.display.saveFailed')} ${errorMessage(error)}`);
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page page--narrow">
      <h1>{t('account.display.heading')}</h1>
      <p className="lede">{t('account.display.lede')}</p>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        <fieldset className="fieldset" aria-describedby={hintId}>
          <legend>{t('account.display.textSize.legend')}</legend>
          <p className="field__hint" id={hintId}>
            {t('account.display.textSize.hint')}
          </p>
          <div className="text-size__options">
            {textSizes.map((size) => (
              <div className="radio" key={size}>
                <input
                  type="radio"
                  id={`text-size-${size}`}
                  name="text-size"
                  value={size}
                  checked={chosen === size}
                  onChange={() => {
                    setChosen(size);
                    setSaved(false);
                  }}
                />
                <label htmlFor={`text-size-${size}`}>
                  {size === 100 ? t('account.display.textSize.standard', { size: size / 100 }) : percent.format(size / 100)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <section className="text-preview" aria-labelledby={`${hintId}-preview`}>
          <h2 className="text-preview__heading" id={`${hintId}-preview`}>
            {t('account.display.preview.heading')}
          </h2>
          <div className={`text-preview__sample text-preview__sample--${chosen}`}>
            <p className="text-preview__title">{t('account.display.preview.title')}</p>
            <p>{t('account.display.preview.text')}</p>
          </div>
        </section>
        {saved && <StatusMessage tone="success">{t('account.display.saved')}</StatusMessage>}
        <button type="submit" className="button" disabled={pending}>
          {t('account.display.save')}
        </button>
      </form>
      <section className="section" aria-labelledby={`${hintId}-language`}>
        <h2 id={`${hintId}-language`}>{t('account.display.language.heading')}</h2>
        <p className="field__hint">{t('account.display.language.hint')}</p>
        <LanguagePicker className="language-picker--page" />
      </section>
    </div>
  );
}
