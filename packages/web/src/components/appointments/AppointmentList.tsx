import { useRef } from 'react';
import { Link } from 'react-router';
import type { AppointmentWhen } from '../../api/appointments.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatAppointmentStart } from '../../lib/format.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { ShowMore } from '../record/ShowMore.tsx';
import { useAppointmentPages } from './appointment-queries.ts';
import { appointmentPaths } from './appointment-scope.ts';
import { statusLabels } from './appointment-text.ts';

/** Upcoming or past appointments, a page at a time, each linking to its details. */
export function AppointmentList({ patientId, when }: { patientId: string; when: AppointmentWhen }) {
  const t = useT();
  const query = useAppointmentPages(patientId, when);
  const listRef = useRef<HTMLUListElement>(null);
  const upcoming = when === 'upcoming';

  if (query.isError && !query.data) {
    return (
      <QueryProblem
        error={query.error}
        what={t(upcoming ? 'appointments.list.upcomingWhat' : 'appointments.list.pastWhat')}
        onRetry={() => void query.refetch()}
      />
    );
  }
  if (!query.data) return <p role="status">{t(upcoming ? 'appointments.list.loadingUpcoming' : 'appointments.list.loadingPast')}</p>;
  const appointments = query.data.pages.flatMap((page) => page.appointments);
  if (appointments.length === 0) {
    return <p className="empty-state">{t(upcoming ? 'appointments.list.noUpcoming' : 'appointments.list.noPast')}</p>;
  }
  return (
    <>
      <ul className="appointment-list" ref={listRef}>
        {appointments.map((appointment, index) => (
          <li key={appointment.id} className="appointment-list__item" data-row={index}>
            <p className="appointment-list__when">
              <Link to={appointmentPaths.detail(appointment.id)}>{formatAppointmentStart(appointment.startAt, appointment.timeZone)}</Link>
            </p>
            <p className="appointment-list__meta">
              <span>
                <span translate="no">{appointment.visitType}</span>
                {appointment.video && ` ${t('appointments.list.videoNote')}`}
              </span>
              {appointment.clinician ? (
                <span translate="no">{appointment.clinician.name}</span>
              ) : (
                <span>{t('appointments.clinicianToBeConfirmed')}</span>
              )}
              <span translate="no">{appointment.location.name}</span>
              <span className="badge">{t(statusLabels[appointment.status])}</span>
            </p>
          </li>
        ))}
      </ul>
      <ShowMore
        count={appointments.length}
        noun={[t('appointments.list.nounOne'), t('appointments.list.nounOther')]}
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        error={query.isFetchNextPageError ? query.error : null}
        onMore={() => query.fetchNextPage()}
        listRef={listRef}
      />
    </>
  );
}
