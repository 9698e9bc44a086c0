import { useId, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { fetchPatientSummary, patientSummaryKey } from '../../api/patients.ts';
import { HealthSummarySections } from '../../components/record/HealthSummarySections.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useHealthSummary } from '../../components/record/record-queries.ts';
import { recordSectionChoices, readPrintChoice } from '../../components/record/record-sections.ts';
import { useRecordScope } from '../../components/record/record-scope.ts';
import type { Translate } from '../../components/record/record-text.ts';
import { ResultList } from '../../components/record/ResultList.tsx';
import { VisitList } from '../../components/record/VisitList.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate, formatDate } from '../../lib/format.ts';

function PrintSection({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="record-section print-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

/** The printed range: "12 Mar 2024 to today", or the whole record. */
function datesText(t: Translate, from: string | undefined, to: string | undefined): string {
  if (from && to) return t('record.print.datesFromTo', { from: formatBirthDate(from), to: formatBirthDate(to) });
  if (from) return t('record.print.datesFrom', { from: formatBirthDate(from) });
  if (to) return t('record.print.datesTo', { to: formatBirthDate(to) });
  return t('record.print.datesAll');
}

/** `/record/print`: the sections chosen on the download page, laid out for paper (print CSS hides the page frame). */
export function PrintPage() {
  const t = useT();
  useDocumentTitle(t('record.print.title'));
  const { patientId } = useRecordScope();
  const location = useLocation();
  const choice = readPrintChoice(location.state);
  const shown = new Set(choice.sections);
  const needsSummary = choice.sections.some((s) => s !== 'visits' && s !== 'results');
  const summary = useHealthSummary(patientId, needsSummary);
  const patient = useQuery({ queryKey: patientSummaryKey(patientId), queryFn: () => fetchPatientSummary(patientId) });
  const range = { from: choice.from, to: choice.to };
  const names = recordSectionChoices.filter((c) => shown.has(c.key)).map((c) => t(c.label));

  return (
    <div className="page print-page">
      <div className="no-print">
        <p className="back-link">
          <Link to="/record/download">{t('record.print.back')}</Link>
        </p>
      </div>
      <h1>{t('record.print.heading')}</h1>
      <dl className="details details--inline">
        <div>
          <dt>{t('record.print.name')}</dt>
          <dd translate="no">{patient.data ? `${patient.data.patient.givenName} ${patient.data.patient.familyName}` : '…'}</dd>
        </div>
        {patient.data && (
          <div>
            <dt>{t('record.chart.birthDate')}</dt>
            <dd>{formatBirthDate(patient.data.patient.birthDate)}</dd>
          </div>
        )}
        <div>
          <dt>{t('record.print.printed')}</dt>
          <dd>{formatDate(new Date().toISOString())}</dd>
        </div>
        <div>
          <dt>{t('record.print.dates')}</dt>
          <dd>{datesText(t, choice.from, choice.to)}</dd>
        </div>
      </dl>
      <p>{t('record.print.sections', { sections: names.join(', ') })}</p>
      <div className="no-print">
        {(shown.has('visits') || shown.has('results')) && <p className="notice">{t('record.print.pagedNotice')}</p>}
        <div className="button-row">
          <button type="button" className="button" onClick={() => window.print()}>
            {t('record.print.submit')}
          </button>
        </div>
      </div>

      {needsSummary &&
        (summary.data ? (
          <HealthSummarySections summary={summary.data} sections={choice.sections} />
        ) : summary.isError ? (
          <QueryProblem error={summary.error} what={t('record.what.summary')} onRetry={() => void summary.refetch()} />
        ) : (
          <p role="status">{t('record.summary.loading')}</p>
        ))}
      {shown.has('visits') && (
        <PrintSection title={t('record.section.visits')}>
          <VisitList range={range} />
        </PrintSection>
      )}
      {shown.has('results') && (
        <PrintSection title={t('record.section.results')}>
          <ResultList range={range} printed />
        </PrintSection>
      )}
    </div>
  );
}
