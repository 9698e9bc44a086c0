import { useRecordScope } from '../../components/record/record-scope.ts';
import { VisitList } from '../../components/record/VisitList.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';

/**
 * `/record/visits` and a chart's visits: past visits, newest first, a page at a time. Visits are the record's
 * encounters, with their notes, medicines and results; past appointments (the appointments page) are the bookings.
 * One encounter shows once in each, and a visit that was a booking links to it, so neither list stands in for the other.
 */
export function VisitsPage() {
  const t = useT();
  const scope = useRecordScope();
  useDocumentTitle(scope.audience === 'self' ? t('record.visits.title') : t('record.visits.chartTitle'));
  return (
    <div className="page">
      <h1>{t('record.visits.title')}</h1>
      <p className="lede">{scope.audience === 'self' ? t('record.visits.introSelf') : t('record.visits.intro')}</p>
      <p>{scope.audience === 'self' ? t('record.visits.notAppointmentsSelf') : t('record.visits.notAppointments')}</p>
      <VisitList />
    </div>
  );
}
