import { Link } from 'react-router';
import { HealthSummarySections } from '../../components/record/HealthSummarySections.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useHealthSummary } from '../../components/record/record-queries.ts';
import { useRecordScope } from '../../components/record/record-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** `/record` and a chart's first page: problems, allergies, medications, immunizations, care plans and goals. */
export function HealthSummaryPage() {
  const t = useT();
  const scope = useRecordScope();
  // Titles reach the browser's history, so they name the page, never the patient or a clinical detail.
  useDocumentTitle(scope.audience === 'self' ? t('record.summary.title') : t('record.summary.chartTitle'));
  const query = useHealthSummary(scope.patientId);
  return (
    <div className="page">
      <h1>{t('record.summary.title')}</h1>
      {scope.audience === 'self' && (
        <p className="lede">
          {t('record.summary.intro')} <Link to="/record/download">{t('record.summary.introLink')}</Link>
          {t('record.summary.introEnd')}
        </p>
      )}
      {query.data ? (
        <HealthSummarySections summary={query.data} />
      ) : query.isError ? (
        <QueryProblem error={query.error} what={t('record.what.summary')} onRetry={() => void query.refetch()} />
      ) : (
        <p role="status">{t('record.summary.loading')}</p>
      )}
    </div>
  );
}
