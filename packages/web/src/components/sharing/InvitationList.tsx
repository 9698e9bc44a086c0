import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/client.ts';
import { cancelInvitation, sharingKeys, type ProxyInvitation } from '../../api/sharing.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate } from '../../lib/format.ts';
import { accessInWords } from './sharing-text.ts';

/** Props of the pending invitations' list. */
interface InvitationListProps {
  patientId: string;
  invitations: readonly ProxyInvitation[];
  canManage: boolean;
  /** Called with what to announce after a cancel (the list reloads without it). */
  onNotice: (text: string) => void;
}

/** Invitations sent and not answered yet: to whom, what they would give, until when, and Cancel. */
export function InvitationList({ patientId, invitations, canManage, onNotice }: InvitationListProps) {
  const t = useT();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function cancel(invitation: ProxyInvitation) {
    if (pending) return;
    setPending(invitation.id);
    setProblem(null);
    try {
      await cancelInvitation(patientId, invitation.id);
      await queryClient.invalidateQueries({ queryKey: sharingKeys.all(patientId) });
      onNotice(t('sharing.invitations.cancelled', { name: invitation.name }));
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setPending(null);
    }
  }

  return (
    <>
      {problem && (
        <div className="error-summary" role="alert">
          <p className="error-summary__title">{t('sharing.invitations.cancelFailed')}</p>
          <p className="error-summary__message">{problem}</p>
        </div>
      )}
      <ul className="sharing-list">
        {invitations.map((invitation) => (
          <li className="sharing-entry" key={invitation.id}>
            <h3 className="sharing-entry__name" translate="no">
              {invitation.name}
            </h3>
            <p className="break-anywhere">{t('sharing.invitations.sentTo', { email: invitation.email })}</p>
            <dl className="details">
              <div>
                <dt>{t('sharing.entry.canSee')}</dt>
                <dd>{accessInWords(t, invitation.level, invitation.areas)}</dd>
              </div>
            </dl>
            <p>{t('sharing.invitations.expires', { date: formatDate(invitation.expiresAt) })}</p>
            {canManage && (
              <button
                type="button"
                className="button button--secondary"
                aria-disabled={pending !== null}
                onClick={() => void cancel(invitation)}
              >
                {t('sharing.invitations.cancel', { name: invitation.name })}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
