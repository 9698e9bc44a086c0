import { Link } from 'react-router';
import { AppointmentList } from '../../components/appointments/AppointmentList.tsx';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { WaitlistOffers } from '../../components/appointments/WaitlistOffers.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** `/appointments`: earlier times on offer first, then upcoming and past appointments, each list a page at a time. */
export function AppointmentsPage() {
  const t = useT();
  useDocumentTitle(t('appointments.title'));
  const { patientId } = useAppointmentScope();
  return (
    <div className="page">
      <h1>{t('appointments.title')}</h1>
      <p className="lede">{t('appointments.lede')}</p>
      <p>
        <Link className="button" to={appointmentPaths.book}>
          {t('appointments.book.title')}
        </Link>
      </p>
      <WaitlistOffers patientId={patientId} />
      <section className="section" aria-labelledby="appointments-upcoming">
        <h2 id="appointments-upcoming">{t('appointments.upcoming')}</h2>
        <AppointmentList patientId={patientId} when="upcoming" />
      </section>
      <section className="section" aria-labelledby="appointments-past">
        <h2 id="appointments-past">{t('appointments.past')}</h2>
        <AppointmentList patientId={patientId} when="past" />
      </section>
    </div>
  );
}
