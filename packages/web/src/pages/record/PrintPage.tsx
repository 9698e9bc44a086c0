import { useId, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { fetchPatientSummary, patientSummaryKey } from '../../api/patients.ts';
import { HealthSummarySections } from '../../components/record/HealthSummarySections.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useHealthSummary } from '../../components/record/record-queries.ts';
import { recordSectionChoices, readPrintChoice } from '../../components/record/record-sections.ts';
import { useRecordScope } from '../../components/record/record-scope.ts';
import { ResultList } from '../../components/record/ResultList.tsx';
import { VisitList } from '../../components/record/VisitList.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
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

/** `/record/print`: the sections chosen on the download page, laid out for paper (print CSS hides the page frame). */
export function PrintPage() {
  useDocumentTitle('Print your record');
  const { patientId } = useRecordScope();
  const location = useLocation();
  const choice = readPrintChoice(location.state);
  const shown = new Set(choice.sections);
  const needsSummary = choice.sections.some((s) => s !== 'visits' && s !== 'results');
  const summary = useHealthSummary(patientId, needsSummary);
  const patient = useQuery({ queryKey: patientSummaryKey(patientId), queryFn: () => fetchPatientSummary(patientId) });
  const range = { from: choice.from, to: choice.to };
  const names = recordSectionChoices.filter((c) => shown.has(c.key)).map((c) => c.label);

  return (
    <div className="page print-page">
      <div className="no-print">
        <p className="back-link">
          <Link to="/record/download">Back to download</Link>
        </p>
      </div>
      <h1>Health record</h1>
      <dl className="details details--inline">
        <div>
          <dt>Name</dt>
          <dd>{patient.data ? `${patient.data.patient.givenName} ${patient.data.patient.familyName}` : '…'}</dd>
        </div>
        {patient.data && (
          <div>
            <dt>Date of birth</dt>
            <dd>{formatBirthDate(patient.data.patient.birthDate)}</dd>
          </div>
        )}
        <div>
          <dt>Printed</dt>
          <dd>{formatDate(new Date().toISOString())}</dd>
        </div>
        <div>
          <dt>Dates</dt>
          <dd>
            {choice.from || choice.to
              ? `${choice.from ? formatBirthDate(choice.from) : 'the start'} to ${choice.to ? formatBirthDate(choice.to) : 'today'}`
              : 'Whole record'}
          </dd>
        </div>
      </dl>
      <p>Sections: {names.join(', ')}.</p>
      <div className="no-print">
        {(shown.has('visits') || shown.has('results')) && (
          <p className="notice">
            Visits and test results show a page at a time. Choose Show more to add older ones before you print. For your complete record,
            download the PDF instead.
          </p>
        )}
        <div className="button-row">
          <button type="button" className="button" onClick={() => window.print()}>
            Print this page
          </button>
        </div>
      </div>

      {needsSummary &&
        (summary.data ? (
          <HealthSummarySections summary={summary.data} sections={choice.sections} />
        ) : summary.isError ? (
          <QueryProblem error={summary.error} what="the health summary" onRetry={() => void summary.refetch()} />
        ) : (
          <p role="status">Loading the health summary…</p>
        ))}
      {shown.has('visits') && (
        <PrintSection title="Visits">
          <VisitList range={range} />
        </PrintSection>
      )}
      {shown.has('results') && (
        <PrintSection title="Test results">
          <ResultList range={range} />
        </PrintSection>
      )}
    </div>
  );
}
