import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { fetchPatientSummary, patientSummaryKey } from '../../api/patients.ts';
import { PatientSummaryView } from '../../components/PatientSummaryView.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { useSignedInUser } from '../../session/session-context.ts';

/** A patient's home: greeting, next appointment and recent results from their own record. */
export function PatientHomePage() {
  const t = useT();
  useDocumentTitle(t('home.title'));
  const user = useSignedInUser();
  const patientId = user.patientId;
  // Same key as the summary below, so this reads the one cached answer rather than asking twice.
  const summary = useQuery({
    queryKey: patientSummaryKey(patientId ?? 'none'),
    queryFn: () => fetchPatientSummary(patientId ?? ''),
    enabled: patientId !== null,
  });
  const name = summary.data?.patient.givenName ?? user.displayName;

  return (
    <div className="page">
      <h1>{t('home.welcome', { name })}</h1>
      {patientId ? (
        <>
          <PatientSummaryView patientId={patientId} audience="self" />
          <section className="section" aria-labelledby="home-appointments">
            <h2 id="home-appointments">{t('home.links.appointments')}</h2>
            <ul className="link-list">
              <li>
                <Link to="/appointments">{t('home.links.yourAppointments')}</Link>
                {t('home.links.yourAppointmentsText')}
              </li>
              <li>
                <Link to="/appointments/new">{t('home.links.book')}</Link>
              </li>
            </ul>
          </section>
          <section className="section" aria-labelledby="home-record">
            <h2 id="home-record">{t('home.links.record')}</h2>
            <ul className="link-list">
              <li>
                <Link to="/record">{t('home.links.summary')}</Link>
                {t('home.links.summaryText')}
              </li>
              <li>
                <Link to="/record/visits">{t('home.links.visits')}</Link>
                {t('home.links.visitsText')}
              </li>
              <li>
                <Link to="/record/results">{t('home.links.results')}</Link>
                {t('home.links.resultsText')}
              </li>
              <li>
                <Link to="/record/download">{t('home.links.download')}</Link>
              </li>
            </ul>
          </section>
          <section className="section" aria-labelledby="home-messages">
            <h2 id="home-messages">{t('home.links.messagesAndRefills')}</h2>
            <ul className="link-list">
              <li>
                <Link to="/messages">{t('home.links.messages')}</Link>
                {t('home.links.messagesText')}
              </li>
              <li>
                <Link to="/messages/refills/new">{t('home.links.refill')}</Link> {t('home.links.refillText')}
              </li>
            </ul>
          </section>
        </>
      ) : (
        <p className="empty-state">{t('home.notLinked')}</p>
      )}
    </div>
  );
}
