import { useId, useState, type FormEvent } from 'react';
import { resultNameFilterMaxLength } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { TextField } from '../TextField.tsx';

/** Props of the results filter. */
interface ResultFilterProps {
  /** The words the list is filtered by now; empty for every result. */
  applied: string;
  onApply: (name: string) => void;
}

/**
 * The test-name filter above the results list. The server does the filtering (case-insensitive, anywhere in the name,
 * a panel by its own name or a member's); the words go in a request body and stay in this page's memory, never in the
 * address bar. An empty filter shows every result again.
 */
export function ResultFilter({ applied, onApply }: ResultFilterProps) {
  const t = useT();
  const inputId = useId();
  const [draft, setDraft] = useState(applied);

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(draft.trim());
  }

  function clear() {
    setDraft('');
    onApply('');
    document.getElementById(inputId)?.focus();
  }

  return (
    <>
      <form className="search-form" role="search" aria-label={t('record.results.filterRegion')} onSubmit={submit} noValidate>
        <TextField
          id={inputId}
          label={t('record.results.filterLabel')}
          type="search"
          value={draft}
          onValueChange={setDraft}
          hint={t('record.results.filterHint')}
          maxLength={resultNameFilterMaxLength}
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit" className="button">
          {t('record.results.filterButton')}
        </button>
        {applied && (
          <button type="button" className="button button--secondary" onClick={clear}>
            {t('record.results.filterClear')}
          </button>
        )}
      </form>
      <p className="live-text" role="status">
        {applied && <RichMessage id="record.results.filtered" parts={{ name: <span translate="no">{applied}</span> }} />}
      </p>
    </>
  );
}
