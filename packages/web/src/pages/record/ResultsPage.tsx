import { ResultList } from '../../components/record/ResultList.tsx';
import { ResultsReleaseSettings } from '../../components/record/ResultsReleaseSettings.tsx';
import { useRecordScope } from '../../components/record/record-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';

const settingsId = 'results-release-settings';

/** `/record/results` and a chart's results: every result, newest first, a page at a time; patients also choose how new results reach them. */
export function ResultsPage() {
  const t = useT();
  const scope = useRecordScope();
  useDocumentTitle(scope.audience === 'self' ? t('record.results.title') : t('record.results.chartTitle'));
  const isSelf = scope.audience === 'self';
  return (
    <div className="page">
      <h1>{t('record.results.title')}</h1>
      <p className="lede">
        {isSelf ? (
          <>
            {t('record.results.introSelf')}{' '}
            <a
              href={`#${settingsId}`}
              onClick={(event) => {
                event.preventDefault();
                const target = document.getElementById(settingsId);
                target?.scrollIntoView();
                target?.focus();
              }}
            >
              {t('record.results.releaseLink')}
            </a>
            {t('record.results.releaseLinkEnd')}
          </>
        ) : (
          t('record.results.intro')
        )}
      </p>
      <p>{isSelf ? t('record.results.newExplainedSelf') : t('record.results.newExplained')}</p>
      <ResultList />
      {isSelf && <ResultsReleaseSettings patientId={scope.patientId} headingId={settingsId} />}
    </div>
  );
}
