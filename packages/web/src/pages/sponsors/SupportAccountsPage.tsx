import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { LockedValidationView, PausedAccountView } from '@portico/shared';
import { errorMessage } from '../../api/client.ts';
import { extendValidation, fetchLockedAccounts, sendPasswordReset, sponsorKeys, unlockSignIn } from '../../api/sponsors.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

type Notify = (notice: string) => void;

/** A sponsor locked by a validation past due, the users locked with them, and the extension form (days and reason). */
function LockedSponsor({ validation, onDone }: { validation: LockedValidationView; onDone: Notify }) {
  const t = useT();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [days, setDays] = useState('7');
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const ids = { days: `extend-days-${validation.id}`, reason: `extend-reason-${validation.id}` };
  const name = validation.sponsor.displayName;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const count = Number(days);
    const problems = [
      ...(Number.isInteger(count) && count >= 1 && count <= 30 ? [] : [{ id: ids.days, message: t('sponsors.accounts.daysInvalid') }]),
      ...(reason.trim() ? [] : [{ id: ids.reason, message: t('sponsors.accounts.reasonRequired') }]),
    ];
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const result = await extendValidation(validation.id, count, reason.trim());
      errors.clear();
      await queryClient.invalidateQueries({ queryKey: sponsorKeys.locked });
      onDone(t('sponsors.accounts.extended', { name, date: formatDateTime(result.dueAt) }));
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <li className="card" aria-labelledby={`locked-${validation.id}`}>
      <h3 className="card__title" id={`locked-${validation.id}`} translate="no">
        {`${name} (${validation.sponsor.email})`}
      </h3>
      <p>{t('sponsors.accounts.due', { date: formatDateTime(validation.dueAt) })}</p>
      <p>
        {validation.sponsoredUsers.length === 0 ? (
          t('sponsors.accounts.noSponsoredUsers')
        ) : (
          <span translate="no">
            {t('sponsors.accounts.sponsoredUsers', { names: validation.sponsoredUsers.map((u) => u.displayName).join(', ') })}
          </span>
        )}
      </p>
      <ErrorSummary errors={errors} />
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id={ids.days}
          label={t('sponsors.accounts.days')}
          inputMode="numeric"
          value={days}
          onValueChange={setDays}
          error={errors.errorFor(ids.days)}
          maxLength={2}
        />
        <TextField
          id={ids.reason}
          label={t('sponsors.accounts.reason')}
          value={reason}
          onValueChange={setReason}
          error={errors.errorFor(ids.reason)}
          maxLength={500}
        />
        <button type="submit" className="button" disabled={pending}>
          {t('sponsors.accounts.extend')}
        </button>
      </form>
    </li>
  );
}

/** An account whose sign-in is paused: lift the pause, or email a reset link (which lifts it when used). */
function PausedAccount({ account, onDone }: { account: PausedAccountView; onDone: Notify }) {
  const t = useT();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [pending, setPending] = useState(false);
  const name = account.displayName;

  async function act(work: () => Promise<unknown>, notice: string) {
    setPending(true);
    try {
      await work();
      errors.clear();
      await queryClient.invalidateQueries({ queryKey: sponsorKeys.locked });
      onDone(notice);
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <li className="card" aria-labelledby={`paused-${account.userId}`}>
      <h3 className="card__title" id={`paused-${account.userId}`} translate="no">
        {`${name} (${account.email})`}
      </h3>
      <p>{t('sponsors.accounts.failures', { count: account.failures, date: formatDateTime(account.lastFailureAt) })}</p>
      <ErrorSummary errors={errors} />
      <div className="button-row">
        <button
          type="button"
          className="button"
          disabled={pending}
          onClick={() => void act(() => unlockSignIn(account.userId), t('sponsors.accounts.unlocked', { name }))}
        >
          {t('sponsors.accounts.unlock', { name })}
        </button>
        <button
          type="button"
          className="button button--secondary"
          disabled={pending}
          onClick={() => void act(() => sendPasswordReset(account.userId), t('sponsors.accounts.resetSent', { name }))}
        >
          {t('sponsors.accounts.reset', { name })}
        </button>
      </div>
    </li>
  );
}

/**
 * `/support/accounts` (issue 12 §1, §3): the support team's account help for outside providers and sponsored users:
 * sponsors locked by a validation past due (extend it, with a reason) and accounts paused by repeated sign-in failures
 * (lift the pause, or email a reset link). For `support.accounts`; anyone else sees the not-found page.
 */
export function SupportAccountsPage() {
  const t = useT();
  useDocumentTitle(t('sponsors.accounts.title'));
  const [notice, setNotice] = useState<string | null>(null);
  const allowed = hasAbility(useSignedInUser(), 'support.accounts');
  const query = useQuery({ queryKey: sponsorKeys.locked, queryFn: fetchLockedAccounts, enabled: allowed });

  if (!allowed) return <NotFoundPage />;

  let body: ReactNode;
  if (query.isPending) body = <p role="status">{t('sponsors.accounts.loading')}</p>;
  else if (query.isError)
    body = (
      <div className="error-summary" role="alert">
        <p className="error-summary__title">{t('sponsors.accounts.loadFailed')}</p>
        <p className="error-summary__message">{errorMessage(query.error)}</p>
        <button type="button" className="button button--secondary" onClick={() => void query.refetch()}>
          {t('sponsors.users.tryAgain')}
        </button>
      </div>
    );
  else
    body = (
      <>
        <section aria-labelledby="locked-heading">
          <h2 id="locked-heading">{t('sponsors.accounts.lockedHeading')}</h2>
          {query.data.validations.length === 0 ? (
            <p className="empty-state">{t('sponsors.accounts.noLocked')}</p>
          ) : (
            <ul className="plain-list">
              {query.data.validations.map((v) => (
                <LockedSponsor key={v.id} validation={v} onDone={setNotice} />
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="paused-heading">
          <h2 id="paused-heading">{t('sponsors.accounts.pausedHeading')}</h2>
          {query.data.paused.length === 0 ? (
            <p className="empty-state">{t('sponsors.accounts.noPaused')}</p>
          ) : (
            <ul className="plain-list">
              {query.data.paused.map((a) => (
                <PausedAccount key={a.userId} account={a} onDone={setNotice} />
              ))}
            </ul>
          )}
        </section>
      </>
    );

  return (
    <div className="page">
      <h1>{t('sponsors.accounts.title')}</h1>
      <p className="lede">{t('sponsors.accounts.intro')}</p>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {body}
    </div>
  );
}
