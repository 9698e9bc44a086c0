import { useRef } from 'react';
import { Link } from 'react-router';
import type { ResultItem } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatFhirDate } from '../../lib/format.ts';
import { CodeLabel } from './CodeLabel.tsx';
import { isBeforeRange, isInRange, type DateRange } from './date-range.ts';
import { QueryProblem } from './QueryProblem.tsx';
import { useResultPages } from './record-queries.ts';
import { recordPaths, useRecordScope } from './record-scope.ts';
import { resultStatusWords } from './record-text.ts';
import { RecordTable } from './RecordTable.tsx';
import { ResultFlag } from './ResultFlag.tsx';
import { ShowMore } from './ShowMore.tsx';

/** A result's value with its unit, or what stands in for it. */
export function ResultValue({ result }: { result: ResultItem }) {
  const t = useT();
  if (result.value !== null) return <span translate="no">{result.unit ? `${result.value} ${result.unit}` : result.value}</span>;
  return <span className="muted">{result.kind === 'report' ? t('record.results.seeReport') : t('record.results.noValue')}</span>;
}

/** The "Held" badge staff see on a result kept back from the patient. */
export function HeldBadge() {
  const t = useT();
  return <span className="badge badge--held">{t('record.results.held')}</span>;
}

/** Results, newest first, one page at a time; `range` narrows what shows (print). */
export function ResultList({ range = {} }: { range?: DateRange }) {
  const t = useT();
  const scope = useRecordScope();
  const query = useResultPages(scope.patientId);
  const listRef = useRef<HTMLDivElement>(null);

  // A failed "Show more" keeps the rows already read; only a failed first page replaces the list.
  if (query.data === undefined) {
    if (query.isError) return <QueryProblem error={query.error} what={t('record.what.results')} onRetry={() => void query.refetch()} />;
    return <p role="status">{t('record.results.loading')}</p>;
  }

  const all = query.data.pages.flatMap((page) => page.results);
  const results = all.filter((result) => isInRange(result.effectiveAt, range));
  const last = all.at(-1);
  const hasMore = query.hasNextPage && !(last && isBeforeRange(last.effectiveAt, range));

  return (
    <div ref={listRef}>
      {results.length === 0 ? (
        <p className="empty-state">
          {hasMore ? t('record.results.emptySoFar') : scope.audience === 'self' ? t('record.results.emptySelf') : t('record.results.empty')}
        </p>
      ) : (
        <RecordTable caption={t('record.results.caption')}>
          <thead>
            <tr>
              <th scope="col">{t('record.column.test')}</th>
              <th scope="col">{t('record.column.result')}</th>
              <th scope="col">{t('record.column.referenceRange')}</th>
              <th scope="col">{t('record.column.flag')}</th>
              <th scope="col">{t('record.column.status')}</th>
              <th scope="col">{t('record.column.date')}</th>
            </tr>
          </thead>
          <tbody>
            {results.map((result, index) => (
              <tr key={result.id} data-row={index} className={result.flag ? 'row--flagged' : undefined}>
                <th scope="row">
                  <Link to={recordPaths.result(scope, result.id)} translate="no">
                    {result.name}
                  </Link>
                  {result.held && <HeldBadge />}
                </th>
                <td data-label={t('record.column.result')}>
                  <ResultValue result={result} />
                </td>
                <td data-label={t('record.column.referenceRange')}>
                  {result.referenceRange ? (
                    <span translate="no">{result.referenceRange}</span>
                  ) : (
                    <span className="muted">{t('record.notGiven')}</span>
                  )}
                </td>
                <td data-label={t('record.column.flag')}>
                  <ResultFlag flag={result.flag} />
                </td>
                <td data-label={t('record.column.status')}>
                  <CodeLabel words={resultStatusWords} code={result.status} />
                </td>
                <td data-label={t('record.column.date')}>
                  {result.effectiveAt ? formatFhirDate(result.effectiveAt, { withTime: true }) : t('record.notRecorded')}
                </td>
              </tr>
            ))}
          </tbody>
        </RecordTable>
      )}
      <ShowMore
        count={results.length}
        noun={[t('record.noun.result'), t('record.noun.results')]}
        hasMore={hasMore}
        loading={query.isFetchingNextPage}
        error={query.isFetchNextPageError ? query.error : null}
        onMore={() => query.fetchNextPage()}
        listRef={listRef}
      />
    </div>
  );
}
