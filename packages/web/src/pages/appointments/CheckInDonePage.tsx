import { Link, useParams } from 'react-router';
import { AppointmentFacts } from '../../components/appointments/AppointmentFacts.tsx';
import { useAppointment } from '../../components/appointments/appointment-queries.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** `/appointments/:appointmentId/check-in/done`: check-in sent; what happens next. */
export function CheckInDonePage() {
  const t = useT();
  useDocumentTitle(t('appointments.checkInDone.title'));
  const { patientId } = useAppointmentScope();
  const { appointmentId = '' } = useParams();
  const query = useAppointment(patientId, appointmentId);
  return (
    <div className="page page--narrow">
      <h1>{t('appointments.checkInDone.title')}</h1>
      <StatusMessage tone="success">
        <p>{t('appointments.checkInDone.text')}</p>
      </StatusMessage>
      {query.data && <AppointmentFacts appointment={query.data} withLinks />}
      <ul className="link-list">
        <li>
          <Link to={appointmentPaths.detail(appointmentId)}>{t('appointments.seeThisAppointment')}</Link>
        </li>
        <li>
          <Link to={appointmentPaths.list}>{t('appointments.all')}</Link>
        </li>
      </ul>
    </div>
  );
}
