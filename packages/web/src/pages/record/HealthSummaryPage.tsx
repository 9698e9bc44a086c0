import { Link } from 'react-router';
import { HealthSummarySections } from '../../components/record/HealthSummarySections.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useHealthSummary } from '../../components/record/record-queries.ts';
import { useRecordScope } from '../../components/record/record-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';

/** `/record` and a chart's first page: problems, allergies, medications, immunizations, care plans and goals. */
export function HealthSummaryPage() {
  const scope = useRecordScope();
  // Titles reach the browser's history, so they name the page, never the patient or a clinical detail.
  useDocumentTitle(scope.audience === 'self' ? 'Health summary' : 'Chart: health summary');
  const query = useHealthSummary(scope.patientId);
  return (
    <div className="page">
      <h1>Health summary</h1>
      {scope.audience === 'self' && (
        <p className="lede">
          What your care team has recorded about your health. To keep a copy, <Link to="/record/download">download or print it</Link>.
        </p>
      )}
      {query.data ? (
        <HealthSummarySections summary={query.data} />
      ) : query.isError ? (
        <QueryProblem error={query.error} what="the health summary" onRetry={() => void query.refetch()} />
      ) : (
        <p role="status">Loading the health summary…</p>
      )}
    </div>
  );
}
