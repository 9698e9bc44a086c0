import { Link, useParams } from 'react-router';
import { AppointmentFacts } from '../../components/appointments/AppointmentFacts.tsx';
import { useAppointment } from '../../components/appointments/appointment-queries.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';

/** `/appointments/:appointmentId/check-in/done`: check-in sent; what happens next. */
export function CheckInDonePage() {
  useDocumentTitle('You are checked in');
  const { patientId } = useAppointmentScope();
  const { appointmentId = '' } = useParams();
  const query = useAppointment(patientId, appointmentId);
  return (
    <div className="page page--narrow">
      <h1>You are checked in</h1>
      <StatusMessage tone="success">
        <p>Thank you. Your care team has your details, answers and signed forms. When you arrive, tell the front desk your name.</p>
      </StatusMessage>
      {query.data && <AppointmentFacts appointment={query.data} withLinks />}
      <ul className="link-list">
        <li>
          <Link to={appointmentPaths.detail(appointmentId)}>See this appointment</Link>
        </li>
        <li>
          <Link to={appointmentPaths.list}>All appointments</Link>
        </li>
      </ul>
    </div>
  );
}
