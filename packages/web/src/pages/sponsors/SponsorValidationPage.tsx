import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SponsorValidationView } from '@portico/shared';
import { errorMessage } from '../../api/client.ts';
import { completeSponsorValidation, fetchSponsorValidation, sponsorKeys } from '../../api/sponsors.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSession, useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/** The form: for each active sponsored user, keep or remove (a radio group each); every one must be chosen. */
function ValidationForm({ validation, onDone }: { validation: SponsorValidationView; onDone: (notice: string) => void }) {
  const t = useT();
  const { refresh } = useSession();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [choices, setChoices] = useState<Record<string, boolean>>({});
  const [pending, setPending] = useState(false);
  const firstRadio = (userId: string) => `validation-${userId}-keep`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const missing = validation.users.filter((u) => choices[u.userId] === undefined);
    if (missing.length > 0) {
      errors.show(missing.map((u) => ({ id: firstRadio(u.userId), message: t('sponsors.validation.choose', { name: u.displayName }) })));
      return;
    }
    setPending(true);
    try {
      const result = await completeSponsorValidation({
        decisions: validation.users.map((u) => ({ userId: u.userId, keep: choices[u.userId] === true })),
      });
      errors.clear();
      await queryClient.invalidateQueries({ queryKey: sponsorKeys.validation });
      await queryClient.invalidateQueries({ queryKey: sponsorKeys.users });
      // GET /api/me says the validation is done: the banner goes, the practice's pages come back.
      await refresh();
      onDone(t('sponsors.validation.done', result));
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      {validation.users.length === 0 && <p>{t('sponsors.validation.noUsers')}</p>}
      {validation.users.map((u) => {
        const error = errors.errorFor(firstRadio(u.userId));
        const errorId = `validation-${u.userId}-error`;
        return (
          <fieldset key={u.userId} className={error ? 'fieldset field--error' : 'fieldset'}>
            <legend translate="no">{`${u.displayName} (${u.email})`}</legend>
            {error && (
              <p className="field__error" id={errorId}>
                <span className="visually-hidden">{t('common.errorPrefix')}</span>
                {error}
              </p>
            )}
            {(['keep', 'remove'] as const).map((choice) => {
              const id = `validation-${u.userId}-${choice}`;
              return (
                <div className="radio" key={choice}>
                  <input
                    type="radio"
                    id={id}
                    name={`validation-${u.userId}`}
                    checked={choices[u.userId] === (choice === 'keep')}
                    onChange={() => setChoices((current) => ({ ...current, [u.userId]: choice === 'keep' }))}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? errorId : undefined}
                  />
                  <label htmlFor={id}>{t(`sponsors.validation.${choice}`)}</label>
                </div>
              );
            })}
          </fieldset>
        );
      })}
      <button type="submit" className="button" disabled={pending}>
        {t('sponsors.validation.submit')}
      </button>
    </form>
  );
}

/**
 * `/sponsor/validation` (issue 12 §1): the twice-yearly Sponsored User Validation. The sponsor keeps or removes each
 * active sponsored user; completing it unlocks their account and their sponsored users'. The one page a sponsor whose
 * validation is past due reaches. For sponsors (`practice.sponsor`, or an open validation); anyone else: not found.
 */
export function SponsorValidationPage() {
  const t = useT();
  useDocumentTitle(t('sponsors.validation.title'));
  const user = useSignedInUser();
  const [notice, setNotice] = useState<string | null>(null);
  const allowed = hasAbility(user, 'practice.sponsor') || Boolean(user.sponsorValidation);
  const query = useQuery({ queryKey: sponsorKeys.validation, queryFn: fetchSponsorValidation, enabled: allowed });

  if (!allowed && !notice) return <NotFoundPage />;

  let body;
  if (notice) body = <StatusMessage tone="success">{notice}</StatusMessage>;
  else if (query.isPending) body = <p role="status">{t('sponsors.validation.loading')}</p>;
  else if (query.isError)
    body = (
      <div className="error-summary" role="alert">
        <p className="error-summary__title">{t('sponsors.validation.loadFailed')}</p>
        <p className="error-summary__message">{errorMessage(query.error)}</p>
        <button type="button" className="button button--secondary" onClick={() => void query.refetch()}>
          {t('sponsors.users.tryAgain')}
        </button>
      </div>
    );
  else if (!query.data) body = <p className="empty-state">{t('sponsors.validation.none')}</p>;
  else
    body = (
      <>
        {query.data.locked ? (
          <div className="notice notice--warning" role="alert">
            {t('sponsors.validation.lockedNotice')}
          </div>
        ) : (
          <p>
            <strong>{t('sponsors.validation.dueBy', { date: formatBirthDate(query.data.lastDay) })}</strong>
          </p>
        )}
        <ValidationForm validation={query.data} onDone={setNotice} />
      </>
    );

  return (
    <div className="page">
      <h1>{t('sponsors.validation.title')}</h1>
      <p className="lede">{t('sponsors.validation.intro')}</p>
      {body}
    </div>
  );
}
