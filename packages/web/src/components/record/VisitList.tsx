import { useRef } from 'react';
import { Link } from 'react-router';
import type { VisitItem } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatFhirDate } from '../../lib/format.ts';
import { CodeLabel } from './CodeLabel.tsx';
import { isBeforeRange, isInRange, type DateRange } from './date-range.ts';
import { QueryProblem } from './QueryProblem.tsx';
import { useVisitPages } from './record-queries.ts';
import { recordPaths, useRecordScope } from './record-scope.ts';
import { visitSettingWords } from './record-text.ts';
import { RecordTable } from './RecordTable.tsx';
import { ShowMore } from './ShowMore.tsx';

/** Past visits, newest first, one page at a time; `range` narrows what shows (print). */
export function VisitList({ range = {} }: { range?: DateRange }) {
  const t = useT();
  const scope = useRecordScope();
  const query = useVisitPages(scope.patientId);
  const listRef = useRef<HTMLDivElement>(null);

  // A failed "Show more" keeps the rows already read; only a failed first page replaces the list.
  if (query.data === undefined) {
    if (query.isError) return <QueryProblem error={query.error} what={t('record.what.visits')} onRetry={() => void query.refetch()} />;
    return <p role="status">{t('record.visits.loading')}</p>;
  }

  const all = query.data.pages.flatMap((page) => page.visits);
  const visits = all.filter((visit) => isInRange(visit.start, range));
  const last = all.at(-1);
  const hasMore = query.hasNextPage && !(last && isBeforeRange(last.start, range));

  return (
    <div ref={listRef}>
      {visits.length === 0 ? (
        <p className="empty-state">
          {hasMore ? t('record.visits.emptySoFar') : scope.audience === 'self' ? t('record.visits.emptySelf') : t('record.visits.empty')}
        </p>
      ) : (
        <RecordTable caption={t('record.visits.caption')}>
          <thead>
            <tr>
              <th scope="col">{t('record.column.visit')}</th>
              <th scope="col">{t('record.column.date')}</th>
              <th scope="col">{t('record.column.clinician')}</th>
              <th scope="col">{t('record.column.location')}</th>
              <th scope="col">{t('record.column.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {visits.map((visit, index) => {
              const when = visit.start ? formatFhirDate(visit.start, { withTime: true }) : t('record.visits.dateNotRecorded');
              return (
                <tr key={visit.id} data-row={index}>
                  <th scope="row">
                    <Link to={recordPaths.visit(scope, visit.id)}>
                      <span translate="no">{visit.type}</span>
                      <span className="visually-hidden"> {t('record.visits.linkDate', { when })}</span>
                    </Link>
                    {visit.setting && (
                      <span className="record-meta">
                        <CodeLabel words={visitSettingWords} code={visit.setting} />
                      </span>
                    )}
                    <BookedAppointment visit={visit} when={when} />
                  </th>
                  <td data-label={t('record.column.date')}>{when}</td>
                  <td data-label={t('record.column.clinician')}>
                    {visit.clinician ? <span translate="no">{visit.clinician}</span> : <NotRecorded />}
                  </td>
                  <td data-label={t('record.column.location')}>
                    {visit.location ? <span translate="no">{visit.location}</span> : <NotRecorded />}
                  </td>
                  <td data-label={t('record.column.reason')}>
                    {visit.reason ? <span translate="no">{visit.reason}</span> : <NotRecorded />}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </RecordTable>
      )}
      <ShowMore
        count={visits.length}
        noun={[t('record.noun.visit'), t('record.noun.visits')]}
        hasMore={hasMore}
        loading={query.isFetchingNextPage}
        error={query.isFetchNextPageError ? query.error : null}
        onMore={() => query.fetchNextPage()}
        listRef={listRef}
      />
    </div>
  );
}

/**
 * Where a visit that was a booked appointment says so: the patient gets a link to the appointment (its booking details
 * and papers live under Appointments; this page keeps what came of the visit), the care team a plain note.
 */
export function BookedAppointment({ visit, when }: { visit: VisitItem; when: string | null }) {
  const t = useT();
  const scope = useRecordScope();
  if (!visit.appointmentId) return null;
  return (
    <span className="record-meta">
      {scope.audience === 'self' ? (
        <Link to={`/appointments/${encodeURIComponent(visit.appointmentId)}`}>
          {t('record.visits.bookedLink')}
          {when && <span className="visually-hidden"> {t('record.visits.linkDate', { when })}</span>}
        </Link>
      ) : (
        t('record.visits.booked')
      )}
    </span>
  );
}

/** A muted "Not recorded". */
function NotRecorded() {
  const t = useT();
  return <span className="muted">{t('record.notRecorded')}</span>;
}
