import { Link, useLocation, useParams } from 'react-router';
import { AppointmentFacts } from '../../components/appointments/AppointmentFacts.tsx';
import { useAppointment } from '../../components/appointments/appointment-queries.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { CalendarButton } from '../../components/appointments/CalendarButton.tsx';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** What just happened, from router state (kept out of the URL): a new booking unless it says the visit moved. */
function wasMoved(state: unknown): boolean {
  return typeof state === 'object' && state !== null && 'change' in state && state.change === 'moved';
}

/** `/appointments/:appointmentId/confirmed`: the booked (or moved) visit, with "Add to calendar". */
export function AppointmentConfirmedPage() {
  const t = useT();
  const location = useLocation();
  const moved = wasMoved(location.state);
  const title = t(moved ? 'appointments.confirmed.movedHeading' : 'appointments.confirmed.bookedHeading');
  useDocumentTitle(title);
  const { patientId } = useAppointmentScope();
  const { appointmentId = '' } = useParams();
  const query = useAppointment(patientId, appointmentId);

  return (
    <div className="page">
      <h1>{title}</h1>
      {query.data ? (
        <>
          <StatusMessage tone="success">
            <p>{t(moved ? 'appointments.confirmed.movedText' : 'appointments.confirmed.bookedText')}</p>
          </StatusMessage>
          <AppointmentFacts appointment={query.data} withLinks />
          <CalendarButton patientId={patientId} appointmentId={appointmentId} />
          <ul className="link-list">
            <li>
              <RichMessage
                id="appointments.confirmed.seeToChange"
                parts={{ link: <Link to={appointmentPaths.detail(appointmentId)}>{t('appointments.seeThisAppointment')}</Link> }}
              />
            </li>
            <li>
              <Link to={appointmentPaths.list}>{t('appointments.all')}</Link>
            </li>
          </ul>
        </>
      ) : query.isError ? (
        <QueryProblem
          error={query.error}
          what={t('appointments.thisAppointment')}
          onRetry={() => void query.refetch()}
          back={{ to: appointmentPaths.list, label: t('appointments.all') }}
        />
      ) : (
        <p role="status">{t('appointments.loadingAppointment')}</p>
      )}
    </div>
  );
}
