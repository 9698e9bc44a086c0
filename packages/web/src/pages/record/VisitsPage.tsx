import { useRecordScope } from '../../components/record/record-scope.ts';
import { VisitList } from '../../components/record/VisitList.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** `/record/visits` and a chart's visits: past visits, newest first, a page at a time. */
export function VisitsPage() {
  const t = useT();
  const scope = useRecordScope();
  useDocumentTitle(scope.audience === 'self' ? t('record.visits.title') : t('record.visits.chartTitle'));
  return (
    <div className="page">
      <h1>{t('record.visits.title')}</h1>
      <p className="lede">{scope.audience === 'self' ? t('record.visits.introSelf') : t('record.visits.intro')}</p>
      <VisitList />
    </div>
  );
}
