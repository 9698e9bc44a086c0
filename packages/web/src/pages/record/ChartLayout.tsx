import { Fragment, useId, useMemo } from 'react';
import { NavLink, Outlet, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { ChartHeader } from '@portico/shared';
import { chartHeaderKey, fetchChartHeader } from '../../api/patients.ts';
import { CodeLabel } from '../../components/record/CodeLabel.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { RecordScopeContext, type RecordScope } from '../../components/record/record-scope.ts';
import { sexWords } from '../../components/record/record-text.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/** A patient's age as a chart shows it: years, or months under two years (an infant's age is given in months). */
function AgeText({ age }: { age: ChartHeader['age'] }) {
  const t = useT();
  return <>{age.years >= 2 ? t('record.chart.ageYears', { years: age.years }) : t('record.chart.ageMonths', { months: age.months })}</>;
}

/**
 * The allergy line: the active allergies by name (data), "high risk" in words beside the critical ones, how many more
 * the record holds; or that the record says there are none, or says nothing.
 */
function AllergiesText({ allergies }: { allergies: NonNullable<ChartHeader['allergies']> }) {
  const t = useT();
  if (allergies.status === 'none_known') return <>{t('record.chart.allergiesNone')}</>;
  if (allergies.status === 'not_recorded') return <>{t('record.chart.allergiesNotRecorded')}</>;
  return (
    <>
      {allergies.items.map((allergy, index) => (
        <Fragment key={allergy.id}>
          {index > 0 && ', '}
          <span translate="no">{allergy.substance}</span>
          {allergy.criticality === 'high' && <strong> ({t('record.chart.allergyHighRisk')})</strong>}
        </Fragment>
      ))}
      {allergies.more > 0 && ` ${t('record.chart.allergiesMore', { count: allergies.more })}`}
    </>
  );
}

/**
 * `/patients/:patientId/chart/*`: a patient's record as the care team reads it, read-only, under a header naming the
 * patient (name, MRN, birth date and age) with their allergies, so nobody reads, comments on or treats the wrong chart
 * without seeing them (issue 10 §5.5; the header is an audited clinical read). The id in the path is an opaque UUID.
 * Open to people who may find the organization's patients ('patients.search') or read their clinical content
 * ('clinical.read'), and to outside providers and their practice staff ('practice.patients', issue 12 §2), who read
 * the chart read-only (the server's policy decides which patients) with its upcoming appointments and care team and
 * none of the staff tools; readers without clinical access see no allergy line; the visits and results pages need
 * 'clinical.read' or 'practice.patients' (see ChartClinicalPages).
 */
export function ChartLayout() {
  const t = useT();
  const user = useSignedInUser();
  const { patientId = '' } = useParams();
  const headerId = useId();
  const base = `/patients/${encodeURIComponent(patientId)}/chart`;
  const scope = useMemo<RecordScope>(() => ({ patientId, audience: 'staff', base }), [patientId, base]);
  const outside = hasAbility(user, 'practice.patients');
  const allowed = hasAbility(user, 'patients.search') || hasAbility(user, 'clinical.read') || outside;
  const clinical = hasAbility(user, 'clinical.read') || outside;
  const patient = useQuery({
    queryKey: chartHeaderKey(patientId),
    queryFn: () => fetchChartHeader(patientId),
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
  const { age, allergies } = patient.data;
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
            <dt>{t('record.chart.age')}</dt>
            <dd>
              <AgeText age={age} />
            </dd>
          </div>
          <div>
            <dt>{t('record.chart.sex')}</dt>
            <dd>{sex ? <CodeLabel words={sexWords} code={sex} asWritten /> : t('record.notRecorded')}</dd>
          </div>
          {allergies && (
            <div>
              <dt>{t('record.chart.allergies')}</dt>
              <dd>
                <AllergiesText allergies={allergies} />
              </dd>
            </div>
          )}
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
          {outside && (
            <>
              <li>
                <NavLink to={`${base}/appointments`}>{t('mypatients.chart.appointments')}</NavLink>
              </li>
              <li>
                <NavLink to={`${base}/care-team`}>{t('mypatients.chart.careTeam')}</NavLink>
              </li>
            </>
          )}
          {!outside && hasAbility(user, 'patients.search') && (
            <li>
              <NavLink to={`${base}/outside-care-team`}>{t('careteam.chart.tab')}</NavLink>
            </li>
          )}
          {hasAbility(user, 'proxies.manage') && (
            <li>
              <NavLink to={`${base}/family`}>{t('nav.familyAccess')}</NavLink>
            </li>
          )}
        </ul>
      </nav>
      <RecordScopeContext value={scope}>
        <Outlet />
      </RecordScopeContext>
    </div>
  );
}

/**
 * The chart's visits and results pages: shown only to people who may read clinical content ('clinical.read') and to
 * outside practices ('practice.patients'), whose reads the server's policy checks patient by patient.
 */
export function ChartClinicalPages() {
  const user = useSignedInUser();
  return hasAbility(user, 'clinical.read') || hasAbility(user, 'practice.patients') ? <Outlet /> : <NotFoundPage />;
}
