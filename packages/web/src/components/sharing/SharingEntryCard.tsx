import { useEffect, useId, useRef, useState } from 'react';
import type { MessageId } from '@portico/shared/i18n';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/client.ts';
import { revokeSharing, sharingKeys, type SharingEntry } from '../../api/sharing.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate } from '../../lib/format.ts';
import { TextAreaField } from '../TextAreaField.tsx';
import { SensitiveSharingForm } from './SensitiveSharingForm.tsx';
import { accessInWords, listInWords, relationshipInWords, sensitiveChoices, sensitiveLabel } from './sharing-text.ts';

/** Props of one entry of the Sharing and privacy list. */
interface SharingEntryCardProps {
  patientId: string;
  entry: SharingEntry;
  /**
   * Whether the reader may choose the sensitive categories shared: the patient only (the server refuses a proxy's
   * choice for themself, and for others when the patient has an account of their own).
   */
  mayChooseSensitive: boolean;
  /** Called once the entry is revoked (the list reloads without it), with the entry. */
  onRevoked: (entry: SharingEntry) => void;
}

/** Most a revoke reason may hold (the contract's revokeSharingBody). */
const reasonMaxLength = 500;

/** The words of Stop sharing: a person loses access; a share link is turned off, whoever holds it. */
const revokeWords = {
  person: {
    button: 'sharing.revoke.button',
    question: 'sharing.revoke.question',
    explained: 'sharing.revoke.explained',
    reasonHint: 'sharing.revoke.reasonHint',
    yes: 'sharing.revoke.yes',
    no: 'sharing.revoke.no',
  },
  link: {
    button: 'sharing.revokeLink.button',
    question: 'sharing.revokeLink.question',
    explained: 'sharing.revokeLink.explained',
    reasonHint: 'sharing.revokeLink.reasonHint',
    yes: 'sharing.revokeLink.yes',
    no: 'sharing.revokeLink.no',
  },
} as const satisfies Record<string, Record<string, MessageId>>;

/** Which words Stop sharing uses for an entry. */
function revokeWordsOf(kind: SharingEntry['kind']) {
  return kind === 'share_link' ? revokeWords.link : revokeWords.person;
}

/**
 * One person (or, later, an app or a link) who can see the record: who, how related, what they can see, since and until
 * when, the sensitive categories shared with them (a form, for proxies), and Stop sharing with a confirmation and an
 * optional reason.
 */
export function SharingEntryCard({ patientId, entry, mayChooseSensitive, onRevoked }: SharingEntryCardProps) {
  const t = useT();
  const queryClient = useQueryClient();
  const baseId = useId();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const questionRef = useRef<HTMLHeadingElement>(null);
  const revokeButtonRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  useEffect(() => {
    if (confirming) questionRef.current?.focus();
    else if (wasConfirming.current) revokeButtonRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  async function revoke() {
    if (pending) return;
    setPending(true);
    setProblem(null);
    try {
      await revokeSharing(patientId, entry.grantId, reason);
      await queryClient.invalidateQueries({ queryKey: sharingKeys.all(patientId) });
      onRevoked(entry);
    } catch (error) {
      setProblem(errorMessage(error));
      setPending(false);
    }
  }

  const words = revokeWordsOf(entry.kind);
  const shared = sensitiveChoices.filter((c) => entry.sensitiveCategories.includes(c)).map((c) => sensitiveLabel(t, c));
  const headingId = `${baseId}-heading`;
  return (
    <li className="sharing-entry">
      <h3 className="sharing-entry__name" id={headingId} translate="no">
        {entry.name}
      </h3>
      <dl className="details">
        <div>
          <dt>{t('sharing.entry.relationship')}</dt>
          <dd>{relationshipInWords(t, entry)}</dd>
        </div>
        <div>
          <dt>{t('sharing.entry.canSee')}</dt>
          <dd>{accessInWords(t, entry.level, entry.areas)}</dd>
        </div>
        <div>
          <dt>{t('sharing.entry.since')}</dt>
          <dd>{formatDate(entry.since)}</dd>
        </div>
        <div>
          <dt>{t('sharing.entry.until')}</dt>
          <dd>{entry.until ? formatDate(entry.until) : t('sharing.entry.noEnd')}</dd>
        </div>
        <div>
          <dt>{t('sharing.entry.sensitive')}</dt>
          <dd>{shared.length > 0 ? listInWords(shared) : t('sharing.entry.sensitiveNone')}</dd>
        </div>
      </dl>
      {entry.limitedByAge && <p className="notice notice--warning">{t('sharing.entry.limitedByAge')}</p>}
      {mayChooseSensitive && entry.kind === 'proxy' && !entry.limitedByAge && <SensitiveSharingForm patientId={patientId} entry={entry} />}
      {entry.canRevoke && !confirming && (
        <button ref={revokeButtonRef} type="button" className="button button--danger" onClick={() => setConfirming(true)}>
          {t(words.button, { name: entry.name })}
        </button>
      )}
      {entry.canRevoke && confirming && (
        <div className="panel sharing-entry__confirm" role="group" aria-labelledby={`${baseId}-question`}>
          <h4 id={`${baseId}-question`} ref={questionRef} tabIndex={-1}>
            {t(words.question, { name: entry.name })}
          </h4>
          <p>{t(words.explained, { name: entry.name })}</p>
          <TextAreaField
            id={`${baseId}-reason`}
            label={t('sharing.revoke.reason')}
            hint={t(words.reasonHint, { name: entry.name })}
            value={reason}
            onValueChange={setReason}
            maxLength={reasonMaxLength}
            rows={3}
          />
          {problem && (
            <div className="error-summary" role="alert">
              <p className="error-summary__title">{t('sharing.revoke.failed')}</p>
              <p className="error-summary__message">{problem}</p>
            </div>
          )}
          <div className="button-row">
            <button type="button" className="button button--danger" aria-disabled={pending} onClick={() => void revoke()}>
              {t(words.yes)}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              {t(words.no)}
            </button>
          </div>
          <p className="live-text" role="status">
            {pending ? t('sharing.revoke.pending') : ''}
          </p>
        </div>
      )}
    </li>
  );
}
