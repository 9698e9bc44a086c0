import { useId, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { ActingForView, HomeAttention, PatientSummary } from '@portico/shared';
import { errorMessage } from '../../api/client.ts';
import { fetchPatientSummary, patientSummaryKey } from '../../api/patients.ts';
import { AppointmentCard } from '../../components/AppointmentCard.tsx';
import { ResultsTable } from '../../components/ResultsTable.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatAppointmentStart, formatDate } from '../../lib/format.ts';
import { allows, useActingFor } from '../../session/acting-for.ts';
import { useSignedInUser } from '../../session/session-context.ts';

type RecentResult = NonNullable<PatientSummary['recentResults']>[number];

/** A card of the dashboard: a heading with the count when something waits (the sentence says it in words), then its body. */
function DashboardCard({ heading, count, children, wide }: { heading: string; count: number; children: ReactNode; wide?: boolean }) {
  const headingId = useId();
  const classes = ['card', 'dashboard-card', count > 0 ? 'dashboard-card--attention' : '', wide ? 'dashboard-card--wide' : ''];
  return (
    <section className={classes.filter(Boolean).join(' ')} aria-labelledby={headingId}>
      <h2 id={headingId} className="card__heading dashboard-card__heading">
        {heading}
        {count > 0 && (
          <span className="dashboard-card__count" aria-hidden="true">
            {count}
          </span>
        )}
      </h2>
      {children}
    </section>
  );
}

/** The check-ins the patient can fill in now, and where the next visit's check-in stands. */
function FormsCard({ attention }: { attention: HomeAttention }) {
  const t = useT();
  const due = attention.checkInsDue;
  const next = attention.nextCheckIn;
  return (
    <DashboardCard heading={t('home.dashboard.forms.heading')} count={due.length}>
      <p className={due.length === 0 ? 'empty-state' : undefined}>{t('home.dashboard.forms.count', { count: due.length })}</p>
      {due.length > 0 && (
        <ul className="link-list dashboard-card__list">
          {due.map((checkIn) => (
            <li key={checkIn.appointmentId}>
              <Link to={`/appointments/${encodeURIComponent(checkIn.appointmentId)}/check-in`}>
                {t('home.dashboard.forms.checkIn', {
                  visitType: checkIn.visitType,
                  when: formatAppointmentStart(checkIn.startAt, checkIn.timeZone),
                })}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {next?.state === 'not_open' && <p>{t('home.dashboard.forms.opens', { date: formatDate(next.opensAt) })}</p>}
      {next?.state === 'done' && <p>{t('home.dashboard.forms.done')}</p>}
    </DashboardCard>
  );
}

/** H and L flags in words; colour only repeats what the text says (WCAG 1.4.1). */
/**
 * What the home showed before the dashboard, kept: the newest results (a table that stacks into labelled lines in a
 * narrow column), with how many are new since the patient last looked at their results.
 */
function ResultsCard({ results, newCount }: { results: RecentResult[]; newCount: number | null }) {
  const t = useT();
  return (
    <DashboardCard heading={t('home.results.heading')} count={newCount ?? 0} wide>
      {newCount !== null && <p>{t('home.dashboard.results.count', { count: newCount })}</p>}
      {results.length === 0 ? (
        <p className="empty-state">{t('home.results.emptySelf')}</p>
      ) : (
        <ResultsTable results={results} className="dashboard-results" />
      )}
      <p className="dashboard-card__links">
        <Link to="/record/results">{t('home.dashboard.results.see')}</Link>
      </p>
    </DashboardCard>
  );
}

/**
 * The dashboard: each thing that may wait for the patient as a card with a count, a sentence and where to go; for a
 * proxy, only the cards of the areas their access includes.
 */
function Dashboard({ summary, patient }: { summary: PatientSummary; patient: ActingForView }) {
  const t = useT();
  const { nextAppointment, recentResults, attention } = summary;
  const seesAppointments = allows(patient, 'appointments');
  const seesMessages = allows(patient, 'messages');
  const seesRecord = allows(patient, 'clinical');
  return (
    <>
      <p className="lede">{t('home.dashboard.lede')}</p>
      <div className="dashboard">
        {seesAppointments && (
          <div className="dashboard__cell">
            <AppointmentCard
              appointment={nextAppointment}
              level={2}
              subject="self"
              detailsPath={nextAppointment ? `/appointments/${encodeURIComponent(nextAppointment.id)}` : undefined}
            />
            <p className="dashboard__after">
              <Link to="/appointments/new">{t('home.dashboard.book')}</Link>
            </p>
          </div>
        )}
        {attention && (
          <>
            {seesAppointments && <FormsCard attention={attention} />}
            {seesMessages && (
              <DashboardCard heading={t('home.dashboard.messages.heading')} count={attention.unreadMessages}>
                <p className={attention.unreadMessages === 0 ? 'empty-state' : undefined}>
                  {t('home.dashboard.messages.count', { count: attention.unreadMessages })}
                </p>
                <ul className="link-list dashboard-card__list">
                  <li>
                    <Link to="/messages">{t('home.dashboard.messages.read')}</Link>
                  </li>
                  <li>
                    <Link to="/messages/new">{t('home.dashboard.messages.write')}</Link>
                  </li>
                </ul>
              </DashboardCard>
            )}
            {seesMessages && seesRecord && (
              <DashboardCard heading={t('home.dashboard.refills.heading')} count={attention.openRefills}>
                <p className={attention.openRefills === 0 ? 'empty-state' : undefined}>
                  {t('home.dashboard.refills.count', { count: attention.openRefills })}
                </p>
                <ul className="link-list dashboard-card__list">
                  <li>
                    <Link to="/messages/refills">{t('home.dashboard.refills.see')}</Link>
                  </li>
                  <li>
                    <Link to="/messages/refills/new">{t('home.links.refill')}</Link>
                  </li>
                </ul>
              </DashboardCard>
            )}
          </>
        )}
        {recentResults !== null && seesRecord && <ResultsCard results={recentResults} newCount={attention?.newResults ?? null} />}
      </div>
    </>
  );
}

/**
 * A patient's home: a dashboard of what waits for them (the next visit and its check-in, unread messages, new results,
 * refill requests, forms to fill in), all from their one audited summary read.
 */
export function PatientHomePage() {
  const t = useT();
  useDocumentTitle(t('home.title'));
  const user = useSignedInUser();
  const { current, isOther } = useActingFor();
  const patientId = current?.patientId ?? null;
  const summary = useQuery({
    queryKey: patientSummaryKey(patientId ?? 'none'),
    queryFn: () => fetchPatientSummary(patientId ?? ''),
    enabled: patientId !== null,
  });
  // The welcome is the reader's: a proxy is welcomed by their own name, and the banner says whose record it is.
  const name = isOther ? user.displayName : (summary.data?.patient.givenName ?? user.displayName);

  let body: ReactNode;
  if (!patientId || !current) body = <p className="empty-state">{t('home.notLinked')}</p>;
  else if (summary.isPending) body = <p role="status">{t('home.summary.loading')}</p>;
  else if (summary.isError) {
    body = (
      <div className="error-summary" role="alert">
        <p className="error-summary__title">{t('home.summary.loadFailed')}</p>
        <p className="error-summary__message">{errorMessage(summary.error)}</p>
        <button type="button" className="button button--secondary" onClick={() => void summary.refetch()}>
          {t('home.summary.tryAgain')}
        </button>
      </div>
    );
  } else body = <Dashboard summary={summary.data} patient={current} />;

  return (
    <div className="page">
      <h1>{t('home.welcome', { name })}</h1>
      {body}
    </div>
  );
}
