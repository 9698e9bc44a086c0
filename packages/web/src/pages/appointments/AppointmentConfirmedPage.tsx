import { Link, useLocation, useParams } from 'react-router';
import { AppointmentFacts } from '../../components/appointments/AppointmentFacts.tsx';
import { useAppointment } from '../../components/appointments/appointment-queries.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { CalendarButton } from '../../components/appointments/CalendarButton.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';

/** What just happened, from router state (kept out of the URL): a new booking unless it says the visit moved. */
function wasMoved(state: unknown): boolean {
  return typeof state === 'object' && state !== null && 'change' in state && state.change === 'moved';
}

/** `/appointments/:appointmentId/confirmed`: the booked (or moved) visit, with "Add to calendar". */
export function AppointmentConfirmedPage() {
  const location = useLocation();
  const moved = wasMoved(location.state);
  const title = moved ? 'Your appointment has moved' : 'Your appointment is booked';
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
            <p>{moved ? 'Your appointment is now at the time below. The earlier time has been released.' : 'We have saved your visit.'}</p>
          </StatusMessage>
          <AppointmentFacts appointment={query.data} withLinks />
          <CalendarButton patientId={patientId} appointmentId={appointmentId} />
          <ul className="link-list">
            <li>
              <Link to={appointmentPaths.detail(appointmentId)}>See this appointment</Link>, to check in, change or cancel it
            </li>
            <li>
              <Link to={appointmentPaths.list}>All appointments</Link>
            </li>
          </ul>
        </>
      ) : query.isError ? (
        <QueryProblem
          error={query.error}
          what="this appointment"
          onRetry={() => void query.refetch()}
          back={{ to: appointmentPaths.list, label: 'All appointments' }}
        />
      ) : (
        <p role="status">Loading the appointment…</p>
      )}
    </div>
  );
}
