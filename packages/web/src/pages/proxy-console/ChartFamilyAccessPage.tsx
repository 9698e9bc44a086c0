import { useParams } from 'react-router';
import { PatientProxiesPanel } from '../../components/proxy-console/PatientProxiesPanel.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/**
 * `/patients/:patientId/chart/family`: the chart's "Family access" panel (issue 11 §1) under the chart header, for staff
 * who work the proxy console (`proxies.manage`); anyone else sees the not-found page.
 */
export function ChartFamilyAccessPage() {
  const t = useT();
  useDocumentTitle(t('proxies.panel.title'));
  const { patientId = '' } = useParams();
  if (!hasAbility(useSignedInUser(), 'proxies.manage') || patientId === '') return <NotFoundPage />;
  return (
    <div className="page">
      <PatientProxiesPanel patientId={patientId} />
    </div>
  );
}
