import { ActivityLog } from '../../components/activity/ActivityLog.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { allows, useActingFor } from '../../session/acting-for.ts';

/**
 * `/account/activity`: "Who has seen my record" (issue 11 §3), the patient's activity log read from the audit trail.
 * The record is the one the person is viewing (their own, or one they act for: the server answers only the patient and
 * a proxy with the settings area).
 */
export function ActivityPage() {
  const t = useT();
  useDocumentTitle(t('activity.title'));
  const { current } = useActingFor();
  const patientId = current && allows(current, 'preferences') ? current.patientId : null;
  return (
    <div className="page">
      <h1>{t('activity.title')}</h1>
      <p className="lede">{t('activity.intro')}</p>
      <p>{t('activity.refusedNote')}</p>
      {patientId ? <ActivityLog patientId={patientId} /> : <p>{t('activity.notFound')}</p>}
    </div>
  );
}
