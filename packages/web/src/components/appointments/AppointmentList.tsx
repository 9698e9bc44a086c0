import { useRef } from 'react';
import { Link } from 'react-router';
import type { AppointmentWhen } from '../../api/appointments.ts';
import { formatAppointmentStart } from '../../lib/format.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { ShowMore } from '../record/ShowMore.tsx';
import { useAppointmentPages } from './appointment-queries.ts';
import { appointmentPaths } from './appointment-scope.ts';
import { statusLabels } from './appointment-text.ts';

/** Upcoming or past appointments, a page at a time, each linking to its details. */
export function AppointmentList({ patientId, when }: { patientId: string; when: AppointmentWhen }) {
  const query = useAppointmentPages(patientId, when);
  const listRef = useRef<HTMLUListElement>(null);
  const what = when === 'upcoming' ? 'your upcoming appointments' : 'your past appointments';

  if (query.isError && !query.data) return <QueryProblem error={query.error} what={what} onRetry={() => void query.refetch()} />;
  if (!query.data) return <p role="status">Loading {what}…</p>;
  const appointments = query.data.pages.flatMap((page) => page.appointments);
  if (appointments.length === 0) {
    return (
      <p className="empty-state">
        {when === 'upcoming' ? 'You have no upcoming appointments.' : 'You have no past appointments in Portico.'}
      </p>
    );
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
                {appointment.visitType}
                {appointment.video && ' (video)'}
              </span>
              <span>{appointment.clinician?.name ?? 'Clinician to be confirmed'}</span>
              <span>{appointment.location.name}</span>
              <span className="badge">{statusLabels[appointment.status]}</span>
            </p>
          </li>
        ))}
      </ul>
      <ShowMore
        count={appointments.length}
        noun={['appointment', 'appointments']}
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        error={query.isFetchNextPageError ? query.error : null}
        onMore={() => query.fetchNextPage()}
        listRef={listRef}
      />
    </>
  );
}
