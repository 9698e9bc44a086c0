import { useId, useMemo } from 'react';
import { NavLink, Outlet, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { fetchPatientSummary, patientSummaryKey } from '../../api/patients.ts';
import { CodeLabel } from '../../components/record/CodeLabel.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { RecordScopeContext, type RecordScope } from '../../components/record/record-scope.ts';
import { sexWords } from '../../components/record/record-text.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/**
 * `/patients/:patientId/chart/*`: a patient's record as the care team reads it, read-only, under a header naming the
 * patient (name and MRN) so nobody reads or comments on the wrong chart. The id in the path is an opaque UUID. Open to
 * people who may find the organization's patients ('patients.search') or read their clinical content ('clinical.read');
 * the visits and results pages need 'clinical.read' (see ChartClinicalPages).
 */
export function ChartLayout() {
  const t = useT();
  const user = useSignedInUser();
  const { patientId = '' } = useParams();
  const headerId = useId();
  const base = `/patients/${encodeURIComponent(patientId)}/chart`;
  const scope = useMemo<RecordScope>(() => ({ patientId, audience: 'staff', base }), [patientId, base]);
  const allowed = hasAbility(user, 'patients.search') || hasAbility(user, 'clinical.read');
  const clinical = hasAbility(user, 'clinical.read');
  // Same key as the staff home's summary, so opening the chart from there reads the cached answer.
  const patient = useQuery({
    queryKey: patientSummaryKey(patientId),
    queryFn: () => fetchPatientSummary(patientId),
    enabled: allowed && patientId !== '',
  });

  if (!allowed) return <NotFoundPage />;
  if (!patient.data) {
    return (
      <div className="page">
        <h1>{t('record.chart.title')}</h1>
        {patient.isError ? (
          <QueryProblem
            error={patient.error}
            what={t('record.what.patient')}
            onRetry={() => void patient.refetch()}
            back={{ to: '/', label: t('record.chart.findPatient') }}
          />
        ) : (
          <p role="status">{t('record.chart.loading')}</p>
        )}
      </div>
    );
  }

  const { givenName, familyName, mrn, birthDate, sex } = patient.data.patient;
  return (
    <div className="chart">
      <section className="chart-header" aria-labelledby={headerId}>
        <p className="chart-header__label">{t('record.chart.title')}</p>
        <p className="chart-header__name" id={headerId} translate="no">
          {givenName} {familyName}
        </p>
        <dl className="details details--inline chart-header__details">
          <div>
            <dt>{t('record.chart.mrn')}</dt>
            <dd translate="no">{mrn}</dd>
          </div>
          <div>
            <dt>{t('record.chart.birthDate')}</dt>
            <dd>{formatBirthDate(birthDate)}</dd>
          </div>
          <div>
            <dt>{t('record.chart.sex')}</dt>
            <dd>{sex ? <CodeLabel words={sexWords} code={sex} asWritten /> : t('record.notRecorded')}</dd>
          </div>
        </dl>
      </section>
      <nav className="subnav" aria-label={t('record.chart.nav')}>
        <ul>
          <li>
            <NavLink to={base} end>
              {t('record.nav.summary')}
            </NavLink>
          </li>
          {clinical && (
            <>
              <li>
                <NavLink to={`${base}/visits`}>{t('record.nav.visits')}</NavLink>
              </li>
              <li>
                <NavLink to={`${base}/results`}>{t('record.nav.results')}</NavLink>
              </li>
            </>
          )}
        </ul>
      </nav>
      <RecordScopeContext value={scope}>
        <Outlet />
      </RecordScopeContext>
    </div>
  );
}

/** The chart's visits and results pages: shown only to people who may read clinical content ('clinical.read'). */
export function ChartClinicalPages() {
  const user = useSignedInUser();
  return hasAbility(user, 'clinical.read') ? <Outlet /> : <NotFoundPage />;
}
