import { useRef } from 'react';
import { Link } from 'react-router';
import type { ResultItem } from '@portico/shared';
import { formatFhirDate } from '../../lib/format.ts';
import { isBeforeRange, isInRange, type DateRange } from './date-range.ts';
import { QueryProblem } from './QueryProblem.tsx';
import { useResultPages } from './record-queries.ts';
import { recordPaths, useRecordScope } from './record-scope.ts';
import { resultStatusLabel } from './record-text.ts';
import { RecordTable } from './RecordTable.tsx';
import { ResultFlag } from './ResultFlag.tsx';
import { ShowMore } from './ShowMore.tsx';

/** A result's value with its unit, or what stands in for it. */
export function ResultValue({ result }: { result: ResultItem }) {
  if (result.value !== null) return <>{result.unit ? `${result.value} ${result.unit}` : result.value}</>;
  return <span className="muted">{result.kind === 'report' ? 'See the report' : 'No value yet'}</span>;
}

/** The "Held" badge staff see on a result kept back from the patient. */
export function HeldBadge() {
  return <span className="badge badge--held">Held</span>;
}

/** Results, newest first, one page at a time; `range` narrows what shows (print). */
export function ResultList({ range = {} }: { range?: DateRange }) {
  const scope = useRecordScope();
  const query = useResultPages(scope.patientId);
  const listRef = useRef<HTMLDivElement>(null);

  // A failed "Show more" keeps the rows already read; only a failed first page replaces the list.
  if (query.data === undefined) {
    if (query.isError) return <QueryProblem error={query.error} what="the test results" onRetry={() => void query.refetch()} />;
    return <p role="status">Loading test results…</p>;
  }

  const all = query.data.pages.flatMap((page) => page.results);
  const results = all.filter((result) => isInRange(result.effectiveAt, range));
  const last = all.at(-1);
  const hasMore = query.hasNextPage && !(last && isBeforeRange(last.effectiveAt, range));

  return (
    <div ref={listRef}>
      {results.length === 0 ? (
        <p className="empty-state">
          {hasMore
            ? 'No test results on record in the pages read so far. Show more to look further back.'
            : scope.audience === 'self'
              ? 'No test results on record. Results show here once they are ready and released to you.'
              : 'No test results on record.'}
        </p>
      ) : (
        <RecordTable caption="Test results, newest first">
          <thead>
            <tr>
              <th scope="col">Test</th>
              <th scope="col">Result</th>
              <th scope="col">Reference range</th>
              <th scope="col">Flag</th>
              <th scope="col">Status</th>
              <th scope="col">Date</th>
            </tr>
          </thead>
          <tbody>
            {results.map((result, index) => (
              <tr key={result.id} data-row={index} className={result.flag ? 'row--flagged' : undefined}>
                <th scope="row">
                  <Link to={recordPaths.result(scope, result.id)}>{result.name}</Link>
                  {result.held && <HeldBadge />}
                </th>
                <td data-label="Result">
                  <ResultValue result={result} />
                </td>
                <td data-label="Reference range">{result.referenceRange ?? <span className="muted">Not given</span>}</td>
                <td data-label="Flag">
                  <ResultFlag flag={result.flag} />
                </td>
                <td data-label="Status">{resultStatusLabel(result.status)}</td>
                <td data-label="Date">{result.effectiveAt ? formatFhirDate(result.effectiveAt, { withTime: true }) : 'Not recorded'}</td>
              </tr>
            ))}
          </tbody>
        </RecordTable>
      )}
      <ShowMore
        count={results.length}
        noun={['result', 'results']}
        hasMore={hasMore}
        loading={query.isFetchingNextPage}
        error={query.isFetchNextPageError ? query.error : null}
        onMore={() => query.fetchNextPage()}
        listRef={listRef}
      />
    </div>
  );
}
