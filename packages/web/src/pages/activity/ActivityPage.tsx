import { ActivityLog } from '../../components/activity/ActivityLog.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { useSignedInUser } from '../../session/session-context.ts';

/**
 * `/account/activity`: "Who has seen my record" (issue 11 §3), the patient's activity log read from the audit trail.
 * The record is the signed-in person's own for now; the proxy switcher will hand it the patient being viewed.
 */
export function ActivityPage() {
  const t = useT();
  useDocumentTitle(t('activity.title'));
  const { patientId } = useSignedInUser();
  return (
    <div className="page">
      <h1>{t('activity.title')}</h1>
      <p className="lede">{t('activity.intro')}</p>
      <p>{t('activity.refusedNote')}</p>
      {patientId ? <ActivityLog patientId={patientId} /> : <p>{t('activity.notFound')}</p>}
    </div>
  );
}
