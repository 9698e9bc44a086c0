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

/**
 * Whose record the dashboard speaks of: null for the reader's own ("your messages"), else the given name of the patient
 * a proxy is viewing ("Leo's messages"), so a parent never reads "your" about their child's record.
 */
type Whose = string | null;

/** The check-ins the patient can fill in now, and where the next visit's check-in stands. */
function FormsCard({ attention, whose }: { attention: HomeAttention; whose: Whose }) {
  const t = useT();
  const due = attention.checkInsDue;
  const next = attention.nextCheckIn;
  return (
    <DashboardCard heading={t('home.dashboard.forms.heading')} count={due.length}>
      <p className={due.length === 0 ? 'empty-state' : undefined}>
        {whose === null
          ? t('home.dashboard.forms.count', { count: due.length })
          : t('home.dashboard.forms.countOther', { count: due.length, name: whose })}
      </p>
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
      {next?.state === 'not_open' && (
        <p>
          {whose === null
            ? t('home.dashboard.forms.opens', { date: formatDate(next.opensAt) })
            : t('home.dashboard.forms.opensOther', { date: formatDate(next.opensAt), name: whose })}
        </p>
      )}
      {next?.state === 'done' && (
        <p>{whose === null ? t('home.dashboard.forms.done') : t('home.dashboard.forms.doneOther', { name: whose })}</p>
      )}
    </DashboardCard>
  );
}

/** H and L flags in words; colour only repeats what the text says (WCAG 1.4.1). */
/**
 * What the home showed before the dashboard, kept: the newest results (a table that stacks into labelled lines in a
 * narrow column), with how many are new since the patient last looked at their results.
 */
function ResultsCard({ results, newCount, whose }: { results: RecentResult[]; newCount: number | null; whose: Whose }) {
  const t = useT();
  return (
    <DashboardCard heading={t('home.results.heading')} count={newCount ?? 0} wide>
      {newCount !== null && (
        <p>
          {whose === null
            ? t('home.dashboard.results.count', { count: newCount })
            : t('home.dashboard.results.countOther', { count: newCount, name: whose })}
        </p>
      )}
      {results.length === 0 ? (
        <p className="empty-state">{whose === null ? t('home.results.emptySelf') : t('home.results.emptyOther', { name: whose })}</p>
      ) : (
        <ResultsTable results={results} className="dashboard-results" />
      )}
      <p className="dashboard-card__links">
        <Link to="/record/results">
          {whose === null ? t('home.dashboard.results.see') : t('home.dashboard.results.seeOther', { name: whose })}
        </Link>
      </p>
    </DashboardCard>
  );
}

/**
 * The dashboard: each thing that may wait for the patient as a card with a count, a sentence and where to go; for a
 * proxy, only the cards of the areas their access includes.
 */
function Dashboard({ summary, patient, whose }: { summary: PatientSummary; patient: ActingForView; whose: Whose }) {
  const t = useT();
  const { nextAppointment, recentResults, attention } = summary;
  const seesAppointments = allows(patient, 'appointments');
  const seesMessages = allows(patient, 'messages');
  const seesRecord = allows(patient, 'clinical');
  return (
    <>
      <p className="lede">{whose === null ? t('home.dashboard.lede') : t('home.dashboard.ledeOther', { name: whose })}</p>
      <div className="dashboard">
        {seesAppointments && (
          <div className="dashboard__cell">
            <AppointmentCard
              appointment={nextAppointment}
              level={2}
              subject={whose === null ? 'self' : 'patient'}
              detailsPath={nextAppointment ? `/appointments/${encodeURIComponent(nextAppointment.id)}` : undefined}
            />
            <p className="dashboard__after">
              <Link to="/appointments/new">{t('home.dashboard.book')}</Link>
            </p>
          </div>
        )}
        {attention && (
          <>
            {seesAppointments && <FormsCard attention={attention} whose={whose} />}
            {seesMessages && (
              <DashboardCard heading={t('home.dashboard.messages.heading')} count={attention.unreadMessages}>
                <p className={attention.unreadMessages === 0 ? 'empty-state' : undefined}>
                  {t('home.dashboard.messages.count', { count: attention.unreadMessages })}
                </p>
                <ul className="link-list dashboard-card__list">
                  <li>
                    <Link to="/messages">
                      {whose === null ? t('home.dashboard.messages.read') : t('home.dashboard.messages.readOther', { name: whose })}
                    </Link>
                  </li>
                  <li>
                    <Link to="/messages/new">
                      {whose === null ? t('home.dashboard.messages.write') : t('home.dashboard.messages.writeOther', { name: whose })}
                    </Link>
                  </li>
                </ul>
              </DashboardCard>
            )}
            {seesMessages && seesRecord && (
              <DashboardCard heading={t('home.dashboard.refills.heading')} count={attention.openRefills}>
                <p className={attention.openRefills === 0 ? 'empty-state' : undefined}>
                  {whose === null
                    ? t('home.dashboard.refills.count', { count: attention.openRefills })
                    : t('home.dashboard.refills.countOther', { count: attention.openRefills, name: whose })}
                </p>
                <ul className="link-list dashboard-card__list">
                  <li>
                    <Link to="/messages/refills">
                      {whose === null ? t('home.dashboard.refills.see') : t('home.dashboard.refills.seeOther', { name: whose })}
                    </Link>
                  </li>
                  <li>
                    <Link to="/messages/refills/new">{t('home.links.refill')}</Link>
                  </li>
                </ul>
              </DashboardCard>
            )}
          </>
        )}
        {recentResults !== null && seesRecord && (
          <ResultsCard results={recentResults} newCount={attention?.newResults ?? null} whose={whose} />
        )}
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
  } else body = <Dashboard summary={summary.data} patient={current} whose={isOther ? summary.data.patient.givenName : null} />;

  return (
    <div className="page">
      <h1>{t('home.welcome', { name })}</h1>
      {body}
    </div>
  );
}
