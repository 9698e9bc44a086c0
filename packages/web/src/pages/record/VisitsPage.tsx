import { useRecordScope } from '../../components/record/record-scope.ts';
import { VisitList } from '../../components/record/VisitList.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';

/** `/record/visits` and a chart's visits: past visits, newest first, a page at a time. */
export function VisitsPage() {
  const scope = useRecordScope();
  useDocumentTitle(scope.audience === 'self' ? 'Visits' : 'Chart: visits');
  return (
    <div className="page">
      <h1>Visits</h1>
      <p className="lede">
        {scope.audience === 'self'
          ? 'Your past visits, newest first. Open one to see what was found and done, and what to do next.'
          : 'Past visits, newest first.'}
      </p>
      <VisitList />
    </div>
  );
}
