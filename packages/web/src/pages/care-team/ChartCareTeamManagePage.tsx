import { useQuery } from '@tanstack/react-query';
import { careTeamKeys, fetchCareTeam } from '../../api/care-team.ts';
import { useRecordScope } from '../../components/record/record-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { CareTeamPanel } from './CareTeamPanel.tsx';
import { ProviderTokensPanel } from './ProviderTokensPanel.tsx';

/**
 * A staff chart's "Care team" tab (issue 12 §2): at scheduling or check-in the front desk, nurses and clinicians add or
 * remove the patient's outside providers, and they and administrators issue a token for one. What each may do is the
 * server's to say (`canManage`, `canIssueTokens` of the care team); the page shows only that.
 */
export function ChartCareTeamManagePage() {
  const t = useT();
  const { patientId } = useRecordScope();
  useDocumentTitle(t('careteam.chart.title'));
  const team = useQuery({ queryKey: careTeamKeys.team(patientId), queryFn: () => fetchCareTeam(patientId) });
  return (
    <div className="page">
      <h1>{t('careteam.chart.title')}</h1>
      <CareTeamPanel patientId={patientId} place="chart" />
      {team.data?.canIssueTokens && <ProviderTokensPanel patientId={patientId} />}
    </div>
  );
}
