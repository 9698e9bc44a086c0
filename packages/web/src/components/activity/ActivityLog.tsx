import { useEffect, useRef, useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { activityCsvCap } from '@portico/shared';
import {
  activityKeys,
  downloadActivityFile,
  fetchActivityPage,
  fetchActivityPeople,
  noActivityFilters,
  type ActivityFilters,
} from '../../api/activity.ts';
import { errorMessage, isApiError } from '../../api/client.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { saveFile } from '../record/save-file.ts';
import { ActivityFilterForm, activityFilterIds } from './ActivityFilterForm.tsx';
import { ActivityTable } from './ActivityTable.tsx';

/** The filter input a server 400 names, if any. */
function inputFor(field: string | undefined): string | null {
  if (field === 'from' || field === 'to' || field === 'person') return activityFilterIds[field];
  return null;
}

/**
 * The patient's activity log: filters, the table a page at a time ("Show more" follows the cursor and moves focus to
 * the first new row), and the CSV download with the same filters. Everything stays in the query cache's memory.
 */
export function ActivityLog({ patientId }: { patientId: string }) {
  const t = useT();
  const [filters, setFilters] = useState<ActivityFilters>(noActivityFilters);
  const errors = useFormErrors();
  const tableRef = useRef<HTMLDivElement>(null);
  const [focusRow, setFocusRow] = useState<number | null>(null);
  const [download, setDownload] = useState<{ pending: 'csv' | 'pdf' | null; savedAs: string | null; error: unknown }>({
    pending: null,
    savedAs: null,
    error: null,
  });

  const log = useInfiniteQuery({
    queryKey: activityKeys.log(patientId, filters),
    queryFn: ({ pageParam }) => fetchActivityPage(patientId, filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const people = useQuery({ queryKey: activityKeys.people(patientId), queryFn: () => fetchActivityPeople(patientId) });
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  const timeZone = log.data?.pages[0]?.timeZone ?? null;
  const isFiltered = filters.from !== '' || filters.to !== '' || filters.person !== '';
  const { show } = errors;

  // A refused filter (400 naming the field) is shown beside its input, like the browser's own check.
  useEffect(() => {
    const input = isApiError(log.error, 'validation_failed', 'bad_request') ? inputFor(log.error.field) : null;
    if (input) show([{ id: input, message: errorMessage(log.error) }]);
  }, [log.error, show]);

  useEffect(() => {
    if (focusRow === null || entries.length <= focusRow) return;
    tableRef.current?.querySelector<HTMLElement>(`[data-row="${focusRow}"]`)?.focus();
    setFocusRow(null);
  }, [entries.length, focusRow]);

  async function more() {
    if (log.isFetchingNextPage) return;
    setFocusRow(entries.length);
    await log.fetchNextPage();
  }

  async function downloadFile(format: 'csv' | 'pdf') {
    if (download.pending) return;
    setDownload({ pending: format, savedAs: null, error: null });
    try {
      const file = await downloadActivityFile(patientId, filters, format);
      saveFile(file);
      setDownload({ pending: null, savedAs: file.filename, error: null });
    } catch (error) {
      setDownload({ pending: null, savedAs: null, error });
    }
  }

  return (
    <>
      <ActivityFilterForm applied={filters} onApply={setFilters} people={people.data?.people} timeZone={timeZone} errors={errors} />

      <section aria-labelledby="activity-download-heading" className="record-section">
        <h2 id="activity-download-heading">{t('activity.download.heading')}</h2>
        <p className="field__hint">{t('activity.download.hint', { count: activityCsvCap })}</p>
        <div className="button-row">
          {(['csv', 'pdf'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className="button button--secondary"
              aria-disabled={download.pending !== null}
              onClick={() => void downloadFile(format)}
            >
              {t(format === 'csv' ? 'activity.download.button' : 'activity.download.pdf')}
            </button>
          ))}
        </div>
        <p className="live-text" role="status">
          {download.pending
            ? t('activity.download.pending')
            : download.savedAs && t('activity.download.started', { filename: download.savedAs })}
        </p>
        {download.error !== null && (
          <p className="field__error" role="alert">
            {errorMessage(download.error)}
          </p>
        )}
      </section>

      {log.data === undefined ? (
        log.isError ? (
          <div className="error-summary" role="alert">
            <p className="error-summary__title">{isApiError(log.error, 'not_found') ? t('activity.notFound') : t('activity.loadFailed')}</p>
            {!isApiError(log.error, 'not_found') && (
              <>
                <p className="error-summary__message">{errorMessage(log.error)}</p>
                <button type="button" className="button button--secondary" onClick={() => void log.refetch()}>
                  {t('activity.tryAgain')}
                </button>
              </>
            )}
          </div>
        ) : (
          <p role="status">{t('activity.loading')}</p>
        )
      ) : entries.length === 0 ? (
        <p role="status">{isFiltered ? t('activity.empty') : t('activity.emptyAll')}</p>
      ) : (
        <>
          <ActivityTable patientId={patientId} entries={entries} timeZone={timeZone ?? 'UTC'} isFiltered={isFiltered} tableRef={tableRef} />
          <div className="show-more">
            <p className="show-more__count" role="status">
              {log.isFetchingNextPage
                ? t('activity.loadingMore')
                : t(log.hasNextPage ? 'activity.count' : 'activity.countAll', { count: entries.length })}
            </p>
            {log.isFetchNextPageError && !log.isFetchingNextPage && <p className="field__error">{errorMessage(log.error)}</p>}
            {log.hasNextPage && (
              // aria-disabled, not disabled: a disabled button would drop the keyboard focus while the page loads.
              <button type="button" className="button button--secondary" aria-disabled={log.isFetchingNextPage} onClick={() => void more()}>
                {t('activity.showMore')}
                <span className="visually-hidden"> {t('activity.showMoreHidden')}</span>
              </button>
            )}
          </div>
        </>
      )}
    </>
  );
}
