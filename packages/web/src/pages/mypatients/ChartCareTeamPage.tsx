import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { careTeamKeys, fetchCareTeam, type CareTeam } from '../../api/care-team.ts';
import { providerInWords } from '../care-team/care-team-text.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useRecordScope } from '../../components/record/record-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate } from '../../lib/format.ts';

/** The PCP on record and the outside providers on the care team, since when. */
function CareTeamLists({ team }: { team: CareTeam }) {
  const t = useT();
  const pcpId = useId();
  const membersId = useId();
  return (
    <>
      <section className="record-section" aria-labelledby={pcpId}>
        <h2 id={pcpId}>{t('mypatients.careTeam.pcp')}</h2>
        {team.pcp ? <p translate="no">{providerInWords(team.pcp)}</p> : <p className="empty-state">{t('mypatients.careTeam.noPcp')}</p>}
      </section>
      <section className="record-section" aria-labelledby={membersId}>
        <h2 id={membersId}>{t('mypatients.careTeam.members')}</h2>
        {team.members.length === 0 ? (
          <p className="empty-state">{t('mypatients.careTeam.noMembers')}</p>
        ) : (
          <ul className="plain-list record-lines">
            {team.members.map((member) => (
              <li key={member.grantId}>
                <span translate="no">{providerInWords(member)}</span>, {t('mypatients.careTeam.since', { date: formatDate(member.since) })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/**
 * A chart's care team (issue 12 §2): the PCP on record and the outside providers on the patient's care team, read-only,
 * from GET /api/patients/:id/care-team (policy-checked and audited by the care-team module). Shown only when that
 * answers; a failure says the care team is not available, with a retry.
 */
export function ChartCareTeamPage() {
  const t = useT();
  const { patientId } = useRecordScope();
  useDocumentTitle(t('mypatients.careTeam.chartTitle'));
  const query = useQuery({ queryKey: careTeamKeys.team(patientId), queryFn: () => fetchCareTeam(patientId), retry: false });
  return (
    <div className="page">
      <h1>{t('mypatients.careTeam.title')}</h1>
      {query.isPending ? (
        <p role="status">{t('mypatients.careTeam.loading')}</p>
      ) : query.isError ? (
        <QueryProblem error={query.error} what={t('mypatients.careTeam.title')} onRetry={() => void query.refetch()} />
      ) : (
        <CareTeamLists team={query.data} />
      )}
    </div>
  );
}
