import { useRef } from 'react';
import { Link } from 'react-router';
import { formatFhirDate } from '../../lib/format.ts';
import { isBeforeRange, isInRange, type DateRange } from './date-range.ts';
import { QueryProblem } from './QueryProblem.tsx';
import { useVisitPages } from './record-queries.ts';
import { recordPaths, useRecordScope } from './record-scope.ts';
import { codeToWords } from './record-text.ts';
import { RecordTable } from './RecordTable.tsx';
import { ShowMore } from './ShowMore.tsx';

/** Past visits, newest first, one page at a time; `range` narrows what shows (print). */
export function VisitList({ range = {} }: { range?: DateRange }) {
  const scope = useRecordScope();
  const query = useVisitPages(scope.patientId);
  const listRef = useRef<HTMLDivElement>(null);

  // A failed "Show more" keeps the rows already read; only a failed first page replaces the list.
  if (query.data === undefined) {
    if (query.isError) return <QueryProblem error={query.error} what="the visits" onRetry={() => void query.refetch()} />;
    return <p role="status">Loading visits…</p>;
  }

  const all = query.data.pages.flatMap((page) => page.visits);
  const visits = all.filter((visit) => isInRange(visit.start, range));
  const last = all.at(-1);
  const hasMore = query.hasNextPage && !(last && isBeforeRange(last.start, range));

  return (
    <div ref={listRef}>
      {visits.length === 0 ? (
        <p className="empty-state">
          {hasMore
            ? 'No visits on record in the pages read so far. Show more to look further back.'
            : scope.audience === 'self'
              ? 'No past visits on record. After a visit, it shows here with what was done and any instructions.'
              : 'No past visits on record.'}
        </p>
      ) : (
        <RecordTable caption="Past visits, newest first">
          <thead>
            <tr>
              <th scope="col">Visit</th>
              <th scope="col">Date</th>
              <th scope="col">Clinician</th>
              <th scope="col">Location</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {visits.map((visit, index) => {
              const when = visit.start ? formatFhirDate(visit.start, { withTime: true }) : 'Date not recorded';
              return (
                <tr key={visit.id} data-row={index}>
                  <th scope="row">
                    <Link to={recordPaths.visit(scope, visit.id)}>
                      {visit.type}
                      <span className="visually-hidden"> on {when}</span>
                    </Link>
                    {visit.setting && <span className="record-meta">{codeToWords(visit.setting)}</span>}
                  </th>
                  <td data-label="Date">{when}</td>
                  <td data-label="Clinician">{visit.clinician ?? <span className="muted">Not recorded</span>}</td>
                  <td data-label="Location">{visit.location ?? <span className="muted">Not recorded</span>}</td>
                  <td data-label="Reason">{visit.reason ?? <span className="muted">Not recorded</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </RecordTable>
      )}
      <ShowMore
        count={visits.length}
        noun={['visit', 'visits']}
        hasMore={hasMore}
        loading={query.isFetchingNextPage}
        error={query.isFetchNextPageError ? query.error : null}
        onMore={() => query.fetchNextPage()}
        listRef={listRef}
      />
    </div>
  );
}
