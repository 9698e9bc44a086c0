import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SupportPracticeChangeView } from '@portico/shared';
import { applyPracticeChange, declinePracticeChange, fetchPracticeChanges, supportKeys } from '../../api/support.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { NoteForm, QueueBody, runDecision } from './support-parts.tsx';

/** Who lost their sponsor when a move was applied: support tells the old practice. */
interface Unsponsored {
  userId: string;
  name: string;
  email: string;
}

/** One practice change: who, from where to where, the new email, whether they sponsored staff; apply or decline. */
function ChangeCard({
  change,
  onDone,
}: {
  change: SupportPracticeChangeView;
  onDone: (notice: string, unsponsored?: Unsponsored[]) => Promise<void>;
}) {
  const t = useT();
  const errors = useFormErrors();
  const [declining, setDeclining] = useState(false);
  const [pending, setPending] = useState(false);
  const headingId = `change-${change.id}`;
  const requester = [change.requester.name, change.requester.credentials].filter(Boolean).join(', ');

  async function apply() {
    setPending(true);
    let ended: Unsponsored[] = [];
    const ok = await runDecision(errors, async () => {
      ended = (await applyPracticeChange(change.id)).endedSponsoredUsers;
    });
    if (ok) await onDone(t('support.changes.applied'), ended);
    setPending(false);
  }

  return (
    <li className="card" aria-labelledby={headingId}>
      <h3 className="card__title" id={headingId} translate="no">
        {t('support.changes.requester', { name: requester })}
      </h3>
      <p>
        {change.requester.email}
        {change.requester.npi ? ` · ${t('support.requests.npi', { npi: change.requester.npi })}` : ''}
      </p>
      {change.oldPractice && <p>{t('support.changes.oldPractice', { name: change.oldPractice.name })}</p>}
      <p>{t('support.changes.newPractice', { name: change.newPractice.name })}</p>
      <p>
        {t('support.changes.newPracticeDetails', {
          address: change.newPractice.address ?? '—',
          phone: change.newPractice.phone ?? '—',
          fax: change.newPractice.fax ?? '—',
        })}
      </p>
      {!change.newPractice.id && <p className="muted">{t('support.changes.newPracticeCreated')}</p>}
      {change.newEmail && <p>{t('support.changes.newEmail', { email: change.newEmail })}</p>}
      <p>{change.wasSponsor ? t('support.changes.wasSponsor') : t('support.changes.notSponsor')}</p>
      <p className="muted">{t('support.received', { when: formatDateTime(change.createdAt) })}</p>
      <ErrorSummary errors={errors} />
      {declining ? (
        <NoteForm
          id={`decline-${change.id}`}
          label={t('support.changes.declineNote')}
          confirm={t('support.changes.confirmDecline')}
          onCancel={() => setDeclining(false)}
          onSubmit={async (note, formErrors) => {
            if (await runDecision(formErrors, () => declinePracticeChange(change.id, note))) await onDone(t('support.changes.declined'));
          }}
        />
      ) : (
        <div className="button-row">
          <button type="button" className="button" disabled={pending} onClick={() => void apply()}>
            {t('support.changes.apply')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setDeclining(true)}>
            {t('support.changes.decline')}
          </button>
        </div>
      )}
    </li>
  );
}

/** The practice changes waiting for support, oldest first. */
export function PracticeChangesSection() {
  const t = useT();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<{ text: string; unsponsored: Unsponsored[] } | null>(null);
  const query = useQuery({ queryKey: supportKeys.practiceChanges, queryFn: fetchPracticeChanges });
  async function done(text: string, unsponsored: Unsponsored[] = []) {
    setNotice({ text, unsponsored });
    await queryClient.invalidateQueries({ queryKey: supportKeys.practiceChanges });
  }
  return (
    <>
      {notice && (
        <StatusMessage tone="success">
          {notice.text}
          {notice.unsponsored.length > 0 && (
            <>
              {' '}
              {t('support.changes.unsponsored')}
              <ul>
                {notice.unsponsored.map((u) => (
                  <li key={u.userId} translate="no">
                    {u.name} ({u.email})
                  </li>
                ))}
              </ul>
            </>
          )}
        </StatusMessage>
      )}
      <QueueBody query={query} items={query.data?.changes} empty="support.changes.empty">
        {(changes) => changes.map((change) => <ChangeCard key={change.id} change={change} onDone={done} />)}
      </QueueBody>
    </>
  );
}
