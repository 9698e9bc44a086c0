import { Link } from 'react-router';
import { AppointmentList } from '../../components/appointments/AppointmentList.tsx';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { WaitlistOffers } from '../../components/appointments/WaitlistOffers.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';

/** `/appointments`: earlier times on offer first, then upcoming and past appointments, each list a page at a time. */
export function AppointmentsPage() {
  useDocumentTitle('Appointments');
  const { patientId } = useAppointmentScope();
  return (
    <div className="page">
      <h1>Appointments</h1>
      <p className="lede">Book a visit, change or cancel one, check in before you arrive, and add visits to your calendar.</p>
      <p>
        <Link className="button" to={appointmentPaths.book}>
          Book an appointment
        </Link>
      </p>
      <WaitlistOffers patientId={patientId} />
      <section className="section" aria-labelledby="appointments-upcoming">
        <h2 id="appointments-upcoming">Upcoming</h2>
        <AppointmentList patientId={patientId} when="upcoming" />
      </section>
      <section className="section" aria-labelledby="appointments-past">
        <h2 id="appointments-past">Past</h2>
        <AppointmentList patientId={patientId} when="past" />
      </section>
    </div>
  );
}
