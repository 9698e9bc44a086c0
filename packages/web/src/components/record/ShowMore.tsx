import { useEffect, useState, type RefObject } from 'react';
import { errorMessage } from '../../api/client.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** Props of a paged list's footer. */
interface ShowMoreProps {
  /** Rows shown now. */
  count: number;
  /** What the rows are, singular and plural, in the page's language: [t('record.noun.visit'), t('record.noun.visits')]. */
  noun: readonly [string, string];
  hasMore: boolean;
  loading: boolean;
  /** The error of the last "Show more", if it failed. */
  error: unknown;
  onMore: () => Promise<unknown>;
  /** The list's container; its rows carry `data-row` with their index, so focus can move to the first new one. */
  listRef: RefObject<HTMLElement | null>;
}

/**
 * "Show more" for a list read one page at a time: the count is announced politely, and after a page arrives focus
 * moves to its first row's link, so a keyboard or screen-reader user carries on reading where the new rows begin.
 */
export function ShowMore({ count, noun, hasMore, loading, error, onMore, listRef }: ShowMoreProps) {
  const t = useT();
  const [focusRow, setFocusRow] = useState<number | null>(null);

  useEffect(() => {
    if (focusRow === null || count <= focusRow) return;
    const row = listRef.current?.querySelector(`[data-row="${focusRow}"]`);
    const target = row?.querySelector<HTMLElement>('a, button') ?? null;
    target?.focus();
    setFocusRow(null);
  }, [count, focusRow, listRef]);

  async function more() {
    if (loading) return;
    setFocusRow(count);
    await onMore();
  }

  const [singular, plural] = noun;
  return (
    <div className="show-more">
      <p className="show-more__count" role="status">
        {loading
          ? t('record.showMore.loading', { plural })
          : t(hasMore ? 'record.showMore.count' : 'record.showMore.countAll', { count, singular, plural })}
      </p>
      {error !== null && error !== undefined && !loading && <p className="field__error">{errorMessage(error)}</p>}
      {hasMore && (
        // aria-disabled, not disabled: a disabled button would drop the keyboard focus while the page loads.
        <button type="button" className="button button--secondary" aria-disabled={loading} onClick={() => void more()}>
          {t('record.showMore.button')}
          <span className="visually-hidden"> {plural}</span>
        </button>
      )}
    </div>
  );
}
