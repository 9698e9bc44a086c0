import { useEffect, useId, useRef } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../api/client.ts';
import { fetchPatientSummary, patientSummaryKey } from '../api/patients.ts';
import { useT } from '../i18n/i18n-context.ts';
import { formatBirthDate } from '../lib/format.ts';
import { AppointmentCard } from './AppointmentCard.tsx';
import { CodeLabel } from './record/CodeLabel.tsx';
import { sexWords } from './record/record-text.ts';
import { ResultsTable } from './ResultsTable.tsx';

/** Props of the summary; `staff` adds the patient's identity and moves focus to it when shown. */
interface PatientSummaryViewProps {
  patientId: string;
  audience: 'self' | 'staff';
}

/** One patient's home-page view (next appointment, recent results), shared by the patient and staff homes. */
export function PatientSummaryView({ patientId, audience }: PatientSummaryViewProps) {
  const t = useT();
  const query = useQuery({ queryKey: patientSummaryKey(patientId), queryFn: () => fetchPatientSummary(patientId) });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const loaded = query.data !== undefined;

  useEffect(() => {
    if (audience === 'staff' && loaded) headingRef.current?.focus();
  }, [audience, loaded, patientId]);

  if (query.isPending) return <p role="status">{t('home.summary.loading')}</p>;
  if (query.isError) {
    return (
      <div className="error-summary" role="alert">
        <p className="error-summary__title">{t('home.summary.loadFailed')}</p>
        <p className="error-summary__message">{errorMessage(query.error)}</p>
        <button type="button" className="button button--secondary" onClick={() => void query.refetch()}>
          {t('home.summary.tryAgain')}
        </button>
      </div>
    );
  }

  const { patient, nextAppointment, recentResults } = query.data;
  const level = audience === 'staff' ? 3 : 2;
  const subject = audience === 'staff' ? 'patient' : 'self';
  const body = (
    <div className="summary-grid">
      <AppointmentCard
        appointment={nextAppointment}
        level={level}
        subject={subject}
        detailsPath={audience === 'self' && nextAppointment ? `/appointments/${encodeURIComponent(nextAppointment.id)}` : undefined}
      />
      <ResultsTable results={recentResults} level={level} subject={subject} />
    </div>
  );
  if (audience === 'self') return body;
  return (
    <section className="patient-summary" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1} translate="no">
        {patient.givenName} {patient.familyName}
      </h2>
      <dl className="details details--inline">
        <div>
          <dt>{t('home.patient.mrn')}</dt>
          <dd translate="no">{patient.mrn}</dd>
        </div>
        <div>
          <dt>{t('home.patient.birthDate')}</dt>
          <dd>{formatBirthDate(patient.birthDate)}</dd>
        </div>
        <div>
          <dt>{t('home.patient.sex')}</dt>
          <dd>{patient.sex ? <CodeLabel words={sexWords} code={patient.sex} asWritten /> : t('home.patient.notRecorded')}</dd>
        </div>
        <div>
          <dt>{t('home.patient.pcp')}</dt>
          <dd>{patient.pcpName ? <span translate="no">{patient.pcpName}</span> : t('home.patient.noneRecorded')}</dd>
        </div>
      </dl>
      <p>
        <Link className="button" to={`/patients/${encodeURIComponent(patientId)}/chart`}>
          {t('home.patient.openChart')}
        </Link>
      </p>
      {body}
    </section>
  );
}
