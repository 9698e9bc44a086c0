import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { MessageId } from '@portico/shared/i18n';
import {
  careTeamKeys,
  fetchProviderTokens,
  issueProviderToken,
  revokeProviderToken,
  type IssuedProviderToken,
  type ProviderToken,
} from '../../api/care-team.ts';
import { errorMessage, isApiError } from '../../api/client.ts';
import { sharingKeys } from '../../api/sharing.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { usePendingAction } from '../../hooks/use-pending-action.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate } from '../../lib/format.ts';
import './care-team.css';

/** Most characters a token's label may hold (the contract's providerTokenBody). */
const labelMaxLength = 200;

const statusWords: Record<ProviderToken['status'], MessageId> = {
  active: 'careteam.tokens.status.active',
  redeemed: 'careteam.tokens.status.redeemed',
  expired: 'careteam.tokens.status.expired',
  revoked: 'careteam.tokens.status.revoked',
};

/**
 * "Tokens for outside providers" (issue 12 §2): a token lets an outside provider with a MyPatients account see the
 * record once they choose "Validate a token" and enter it with the MRN; it works six months. Issue one (its code and
 * the MRN are shown once), see where each stands (who validated it), revoke one (and the access it gave).
 */
export function ProviderTokensPanel({ patientId }: { patientId: string }) {
  const t = useT();
  const headingId = useId();
  const [issued, setIssued] = useState<IssuedProviderToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const tokens = useQuery({ queryKey: careTeamKeys.tokens(patientId), queryFn: () => fetchProviderTokens(patientId) });

  return (
    <section className="section care-team" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('careteam.tokens.heading')}</h2>
      <p>{t('careteam.tokens.intro')}</p>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {issued ? <IssuedToken issued={issued} onDone={() => setIssued(null)} /> : <IssueForm patientId={patientId} onIssued={setIssued} />}
      <h3>{t('careteam.tokens.listHeading')}</h3>
      {tokens.isPending ? (
        <p role="status">{t('careteam.loading')}</p>
      ) : tokens.isError ? (
        <div className="error-summary" role="alert">
          <p className="error-summary__message">{errorMessage(tokens.error)}</p>
        </div>
      ) : tokens.data.length === 0 ? (
        <p className="empty-state">{t('careteam.tokens.none')}</p>
      ) : (
        <ul className="care-team__list">
          {tokens.data.map((token) => (
            <TokenItem
              key={token.id}
              patientId={patientId}
              token={token}
              onRevoked={() => setNotice(t('careteam.tokens.revoked', { label: token.label }))}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Who the token is for, and Issue. */
function IssueForm({ patientId, onIssued }: { patientId: string; onIssued: (issued: IssuedProviderToken) => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const baseId = useId();
  const labelId = `${baseId}-label`;
  const [label, setLabel] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const text = label.trim();
    if (!text) return errors.show([{ id: labelId, message: t('careteam.tokens.labelRequired') }]);
    if (text.length > labelMaxLength)
      return errors.show([{ id: labelId, message: t('careteam.tokens.labelTooLong', { count: labelMaxLength }) }]);
    setPending(true);
    try {
      const issued = await issueProviderToken(patientId, text);
      await queryClient.invalidateQueries({ queryKey: careTeamKeys.tokens(patientId) });
      errors.clear();
      setLabel('');
      onIssued(issued);
    } catch (error) {
      if (isApiError(error) && error.field === 'label') errors.show([{ id: labelId, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <h3>{t('careteam.tokens.issueHeading')}</h3>
      <ErrorSummary errors={errors} />
      <TextField
        id={labelId}
        label={t('careteam.tokens.label')}
        hint={t('careteam.tokens.labelHint')}
        autoComplete="off"
        value={label}
        onValueChange={setLabel}
        error={errors.errorFor(labelId)}
      />
      <button type="submit" className="button" disabled={pending}>
        {pending ? t('careteam.tokens.issuing') : t('careteam.tokens.issue')}
      </button>
    </form>
  );
}

/** The new token's code and the MRN, shown this once, with what the provider does with them. */
function IssuedToken({ issued, onDone }: { issued: IssuedProviderToken; onDone: () => void }) {
  const t = useT();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="notice notice--warning" role="region" aria-label={t('careteam.tokens.issuedHeading')}>
      <h3 ref={headingRef} tabIndex={-1}>
        {t('careteam.tokens.issuedHeading')}
      </h3>
      <p>
        <strong>{t('careteam.tokens.once')}</strong>
      </p>
      <dl className="care-team__secret">
        <div>
          <dt>{t('careteam.tokens.code')}</dt>
          <dd>
            <code translate="no">{issued.code}</code>
          </dd>
        </div>
        <div>
          <dt>{t('careteam.tokens.mrn')}</dt>
          <dd>
            <code translate="no">{issued.mrn}</code>
          </dd>
        </div>
        <div>
          <dt>{t('careteam.tokens.expires')}</dt>
          <dd>{formatDate(issued.expiresAt)}</dd>
        </div>
      </dl>
      <p>{t('careteam.tokens.instructions')}</p>
      <button type="button" className="button" onClick={onDone}>
        {t('careteam.tokens.done')}
      </button>
    </div>
  );
}

/** One token: for whom, where it stands, who validated it, and Revoke while it can still give or gives access. */
function TokenItem({ patientId, token, onRevoked }: { patientId: string; token: ProviderToken; onRevoked: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const {
    pending,
    problem,
    run: revoke,
  } = usePendingAction(async () => {
    await revokeProviderToken(patientId, token.id);
    await queryClient.invalidateQueries({ queryKey: careTeamKeys.tokens(patientId) });
    await queryClient.invalidateQueries({ queryKey: sharingKeys.all(patientId) });
    onRevoked();
  });

  const revocable = token.status === 'active' || token.status === 'redeemed';
  return (
    <li className="care-team__item">
      <p className="care-team__name" translate="no">
        {token.label}
      </p>
      <p>{t(statusWords[token.status])}</p>
      {token.redeemedBy && (
        <p>
          {t('careteam.tokens.redeemedBy')}{' '}
          <span translate="no">
            {token.redeemedBy.practiceName ? `${token.redeemedBy.name} (${token.redeemedBy.practiceName})` : token.redeemedBy.name}
          </span>
        </p>
      )}
      <p>{t('careteam.tokens.dates', { created: formatDate(token.createdAt), expires: formatDate(token.expiresAt) })}</p>
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      {revocable && (
        <button type="button" className="button button--secondary" onClick={() => void revoke()} disabled={pending}>
          {t('careteam.tokens.revoke')}
          <span className="visually-hidden"> {token.label}</span>
        </button>
      )}
    </li>
  );
}
