import { useId, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActingForView } from '@portico/shared';
import { careTeamKeys } from '../../api/care-team.ts';
import { errorMessage } from '../../api/client.ts';
import { fetchSharing, sharingKeys, type Sharing, type SharingEntry } from '../../api/sharing.ts';
import { InvitationList } from '../../components/sharing/InvitationList.tsx';
import { InviteForm } from '../../components/sharing/InviteForm.tsx';
import { ShareLinksPanel } from '../../components/share/ShareLinksPanel.tsx';
import { CareTeamPanel } from '../care-team/CareTeamPanel.tsx';
import { ProviderRequestsPanel } from '../care-team/ProviderRequestsPanel.tsx';
import { ProviderTokensPanel } from '../care-team/ProviderTokensPanel.tsx';
import { SharingEntryCard } from '../../components/sharing/SharingEntryCard.tsx';
import { kindInWords } from '../../components/sharing/sharing-text.ts';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { allows, allowsWrite, useActingFor } from '../../session/acting-for.ts';

/** The order the kinds of entry are listed in: family first, then the kinds still to come (issue 11 §2). */
const kindOrder: readonly SharingEntry['kind'][] = ['proxy', 'care_team', 'approved_request', 'token', 'app', 'share_link'];

/** Entries grouped by kind, in kindOrder, leaving out kinds with none. */
function groupByKind(entries: readonly SharingEntry[]): { kind: SharingEntry['kind']; entries: SharingEntry[] }[] {
  return kindOrder.map((kind) => ({ kind, entries: entries.filter((e) => e.kind === kind) })).filter((group) => group.entries.length > 0);
}

/** The page's sections once the list has loaded: who can see the record, open invitations, and the invite form. */
function SharingSections({ patient, sharing }: { patient: ActingForView; sharing: Sharing }) {
  const t = useT();
  const baseId = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const entriesHeadingRef = useRef<HTMLHeadingElement>(null);
  const queryClient = useQueryClient();
  const canManage = allowsWrite(patient, 'preferences');
  const pending = sharing.invitations.filter((invitation) => invitation.status === 'pending');
  const groups = groupByKind(sharing.entries);
  const many = groups.length > 1;

  return (
    <>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {canManage && <ProviderRequestsPanel patientId={patient.patientId} mayChooseSensitive={patient.relationship === 'self'} />}
      <section className="section" aria-labelledby={`${baseId}-entries`}>
        <h2 id={`${baseId}-entries`} ref={entriesHeadingRef} tabIndex={-1}>
          {t('sharing.entries.heading')}
        </h2>
        {sharing.entries.length === 0 && <p className="empty-state">{t('sharing.entries.empty')}</p>}
        {groups.map((group) => (
          <div key={group.kind} className="sharing-group">
            {many && <h3 className="sharing-group__heading">{kindInWords(t, group.kind)}</h3>}
            <ul className="sharing-list">
              {group.entries.map((entry) => (
                <SharingEntryCard
                  key={entry.grantId}
                  patientId={patient.patientId}
                  entry={entry}
                  mayChooseSensitive={patient.relationship === 'self'}
                  onRevoked={(revoked) => {
                    const doneWords = revoked.kind === 'share_link' ? 'sharing.revokeLink.done' : 'sharing.revoke.done';
                    setNotice(t(doneWords, { name: revoked.name }));
                    entriesHeadingRef.current?.focus();
                    // A care-team member or a validated token ended here shows so in their own sections too.
                    if (revoked.kind === 'care_team')
                      void queryClient.invalidateQueries({ queryKey: careTeamKeys.team(patient.patientId) });
                    if (revoked.kind === 'token') void queryClient.invalidateQueries({ queryKey: careTeamKeys.tokens(patient.patientId) });
                  }}
                />
              ))}
            </ul>
          </div>
        ))}
      </section>
      {pending.length > 0 && (
        <section className="section" aria-labelledby={`${baseId}-invitations`}>
          <h2 id={`${baseId}-invitations`}>{t('sharing.invitations.heading')}</h2>
          <InvitationList patientId={patient.patientId} invitations={pending} canManage={canManage} onNotice={setNotice} />
        </section>
      )}
      {canManage && (
        <section className="section" aria-labelledby={`${baseId}-invite`}>
          <h2 id={`${baseId}-invite`}>{t('sharing.invite.heading')}</h2>
          <p>{t('sharing.invite.intro')}</p>
          <InviteForm patientId={patient.patientId} onSent={setNotice} />
        </section>
      )}
      {allows(patient, 'demographics') && <CareTeamPanel patientId={patient.patientId} place="sharing" />}
      {canManage && <ProviderTokensPanel patientId={patient.patientId} />}
      {canManage && <ShareLinksPanel patientId={patient.patientId} />}
    </>
  );
}

/**
 * `/account/sharing`, "Sharing and privacy" (issue 11 §2): everyone who can see the current patient's record besides
 * the care team's staff, by kind (proxies now; outside providers, apps and share links join the same list), with what
 * each can see and a revoke button; the invitations still open; and the invite form. A proxy sees it for the patient
 * they are viewing when their access includes the patient's settings; otherwise the page says they cannot manage it.
 * The consent center of outside providers too (issue 12 §2): their requests waiting for an answer, the care team, and
 * tokens for a provider to validate in MyPatients.
 */
export function SharingPage() {
  const t = useT();
  useDocumentTitle(t('sharing.title'));
  const { current, isOther } = useActingFor();
  const patientId = current?.patientId ?? null;
  const mayRead = allows(current, 'preferences');
  const query = useQuery({
    queryKey: sharingKeys.all(patientId ?? 'none'),
    queryFn: () => fetchSharing(patientId ?? ''),
    enabled: patientId !== null && mayRead,
  });

  let body: ReactNode;
  if (!current) body = <p className="empty-state">{t('sharing.noRecord')}</p>;
  else if (!mayRead) body = <p>{t('sharing.cannotManage', { name: current.displayName })}</p>;
  else if (query.isPending) body = <p role="status">{t('sharing.loading')}</p>;
  else if (query.isError) {
    body = (
      <div className="error-summary" role="alert">
        <p className="error-summary__title">{t('sharing.loadFailed')}</p>
        <p className="error-summary__message">{errorMessage(query.error)}</p>
        <button type="button" className="button button--secondary" onClick={() => void query.refetch()}>
          {t('sharing.tryAgain')}
        </button>
      </div>
    );
  } else body = <SharingSections key={current.patientId} patient={current} sharing={query.data} />;

  return (
    <div className="page page--narrow">
      <h1>{t('sharing.title')}</h1>
      {current && mayRead && (
        <p className="lede">{isOther ? t('sharing.lede.other', { name: current.displayName }) : t('sharing.lede.self')}</p>
      )}
      {body}
    </div>
  );
}
