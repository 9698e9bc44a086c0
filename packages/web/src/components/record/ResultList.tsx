import { useRef, useState } from 'react';
import { Link } from 'react-router';
import type { ResultComponent, ResultItem, ResultListItem } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatFhirDate } from '../../lib/format.ts';
import { CodeLabel } from './CodeLabel.tsx';
import { isBeforeRange, isInRange, type DateRange } from './date-range.ts';
import { QueryProblem } from './QueryProblem.tsx';
import { useResultPages } from './record-queries.ts';
import { recordPaths, useRecordScope } from './record-scope.ts';
import { resultStatusWords } from './record-text.ts';
import { RecordTable } from './RecordTable.tsx';
import { ResultFilter } from './ResultFilter.tsx';
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

/** The "New" badge: the result reached the record after the reader's previous visit to the list. */
function NewBadge() {
  const t = useT();
  return <span className="badge">{t('record.results.new')}</span>;
}

/** One test of a panel: name, value with unit, flag in words, and its range on a line of its own. */
function ComponentLine({ component }: { component: ResultComponent }) {
  const t = useT();
  const value = component.value === null ? null : component.unit ? `${component.value} ${component.unit}` : component.value;
  return (
    <li>
      <span translate="no">{component.name}</span>
      {': '}
      {value === null ? <span className="muted">{t('record.results.noValue')}</span> : <strong translate="no">{value}</strong>}
      {component.flag && (
        <>
          {' '}
          <ResultFlag flag={component.flag} />
        </>
      )}
      {component.held && <HeldBadge />}
      {component.referenceRange && (
        <span className="record-meta">
          {t('record.results.componentRange')} <span translate="no">{component.referenceRange}</span>
        </span>
      )}
    </li>
  );
}

/**
 * A panel's tests, in report order. On screen they open from a summary ("3 results in this panel"); a printout lists
 * them, since paper cannot be opened.
 */
function PanelComponents({ result, printed }: { result: ResultListItem; printed: boolean }) {
  const t = useT();
  const flagged = result.components.filter((c) => c.flag !== null).length;
  const list = (
    <ul className="record-lines">
      {result.components.map((component) => (
        <ComponentLine key={component.id} component={component} />
      ))}
    </ul>
  );
  if (printed) return list;
  return (
    <details className="disclosure">
      <summary>
        {t('record.results.components', { count: result.components.length })}
        {flagged > 0 && <> {t('record.results.componentsFlagged', { count: flagged })}</>}
        <span className="visually-hidden" translate="no">
          {' '}
          {result.name}
        </span>
      </summary>
      {list}
    </details>
  );
}

/** Props of the results list. */
interface ResultListProps {
  /** Narrows what shows (print). */
  range?: DateRange;
  /** A printout: no filter, panels listed open. */
  printed?: boolean;
}

/** Results, newest first, one page at a time, each panel one line with its tests; a filter by test name on screen. */
export function ResultList({ range = {}, printed = false }: ResultListProps) {
  const t = useT();
  const scope = useRecordScope();
  const [name, setName] = useState('');
  const query = useResultPages(scope.patientId, name);
  const listRef = useRef<HTMLDivElement>(null);
  const filter = printed ? null : <ResultFilter applied={name} onApply={setName} />;

  // A failed "Show more" keeps the rows already read; only a failed first page replaces the list. The filter stays
  // mounted through every state, so its words and the keyboard focus survive a new search.
  if (query.data === undefined) {
    return (
      <div ref={listRef}>
        {filter}
        {query.isError ? (
          <QueryProblem error={query.error} what={t('record.what.results')} onRetry={() => void query.refetch()} />
        ) : (
          <p role="status">{t('record.results.loading')}</p>
        )}
      </div>
    );
  }

  const all = query.data.pages.flatMap((page) => page.results);
  const results = all.filter((result) => isInRange(result.effectiveAt, range));
  const last = all.at(-1);
  const hasMore = query.hasNextPage && !(last && isBeforeRange(last.effectiveAt, range));
  const emptyText = name
    ? hasMore
      ? t('record.results.noMatchSoFar')
      : t('record.results.noMatch')
    : hasMore
      ? t('record.results.emptySoFar')
      : scope.audience === 'self'
        ? t('record.results.emptySelf')
        : t('record.results.empty');

  return (
    <div ref={listRef}>
      {filter}
      {results.length === 0 ? (
        <p className="empty-state">{emptyText}</p>
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
                  {result.isNew && !printed && <NewBadge />}
                  {result.held && <HeldBadge />}
                </th>
                <td data-label={t('record.column.result')}>
                  {result.components.length > 0 ? <PanelComponents result={result} printed={printed} /> : <ResultValue result={result} />}
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
