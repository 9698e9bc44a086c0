import { ResultList } from '../../components/record/ResultList.tsx';
import { ResultsReleaseSettings } from '../../components/record/ResultsReleaseSettings.tsx';
import { useRecordScope } from '../../components/record/record-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';

const settingsId = 'results-release-settings';

/** `/record/results` and a chart's results: every result, newest first, a page at a time; patients also choose how new results reach them. */
export function ResultsPage() {
  const scope = useRecordScope();
  useDocumentTitle(scope.audience === 'self' ? 'Test results' : 'Chart: test results');
  const isSelf = scope.audience === 'self';
  return (
    <div className="page">
      <h1>Test results</h1>
      <p className="lede">
        {isSelf ? (
          <>
            Your lab tests, imaging and other results, newest first. Open one for its details, what it means and any comments from your care
            team.{' '}
            <a
              href={`#${settingsId}`}
              onClick={(event) => {
                event.preventDefault();
                const target = document.getElementById(settingsId);
                target?.scrollIntoView();
                target?.focus();
              }}
            >
              Choose when new results reach you
            </a>
            .
          </>
        ) : (
          'Results, newest first. Held results are marked “Held”: the patient cannot see them yet.'
        )}
      </p>
      <ResultList />
      {isSelf && <ResultsReleaseSettings patientId={scope.patientId} headingId={settingsId} />}
    </div>
  );
}
