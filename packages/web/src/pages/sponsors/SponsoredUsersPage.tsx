import { useState, type FormEvent, type ReactNode } from 'react';
import { Navigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { sponsoredTitles, type SponsoredTitle, type SponsoredUserView } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { fetchSponsoredUsers, inviteSponsoredUser, removeSponsoredUser, sponsorKeys } from '../../api/sponsors.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { FieldFrame } from '../../components/FieldFrame.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

const ids = { givenName: 'sponsor-given-name', familyName: 'sponsor-family-name', email: 'sponsor-email', title: 'sponsor-title' };

/** The invitation form: name, email and role; the server makes the account and emails the activation link. */
function InviteForm({ onSent }: { onSent: (notice: string) => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [givenName, setGivenName] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [email, setEmail] = useState('');
  const [title, setTitle] = useState<SponsoredTitle>('registered_nurse');
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems = [
      ...(givenName.trim() ? [] : [{ id: ids.givenName, message: t('sponsors.invite.givenNameRequired') }]),
      ...(familyName.trim() ? [] : [{ id: ids.familyName, message: t('sponsors.invite.familyNameRequired') }]),
      ...(/^\S+@\S+\.\S+$/.test(email.trim()) ? [] : [{ id: ids.email, message: t('sponsors.invite.emailRequired') }]),
    ];
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const user = await inviteSponsoredUser({ givenName: givenName.trim(), familyName: familyName.trim(), email: email.trim(), title });
      errors.clear();
      setGivenName('');
      setFamilyName('');
      setEmail('');
      await queryClient.invalidateQueries({ queryKey: sponsorKeys.users });
      onSent(t('sponsors.invite.sent', { email: user.email }));
    } catch (error) {
      if (isApiError(error) && error.field && error.field in ids)
        errors.show([{ id: ids[error.field as keyof typeof ids], message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="sponsor-invite-heading">
      <h2 id="sponsor-invite-heading">{t('sponsors.invite.heading')}</h2>
      <p>{t('sponsors.invite.hint')}</p>
      <ErrorSummary errors={errors} />
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id={ids.givenName}
          label={t('sponsors.invite.givenName')}
          value={givenName}
          onValueChange={setGivenName}
          error={errors.errorFor(ids.givenName)}
          autoComplete="off"
          maxLength={100}
        />
        <TextField
          id={ids.familyName}
          label={t('sponsors.invite.familyName')}
          value={familyName}
          onValueChange={setFamilyName}
          error={errors.errorFor(ids.familyName)}
          autoComplete="off"
          maxLength={100}
        />
        <TextField
          id={ids.email}
          type="email"
          label={t('sponsors.invite.email')}
          value={email}
          onValueChange={setEmail}
          error={errors.errorFor(ids.email)}
          autoComplete="off"
          spellCheck={false}
        />
        <FieldFrame id={ids.title} label={t('sponsors.invite.title')} error={errors.errorFor(ids.title)}>
          {(aria) => (
            <select
              id={ids.title}
              className="input"
              value={title}
              onChange={(event) => setTitle(event.target.value as SponsoredTitle)}
              {...aria}
            >
              {sponsoredTitles.map((value) => (
                <option key={value} value={value}>
                  {t(`sponsors.titles.${value}`)}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
        <button type="submit" className="button" disabled={pending}>
          {t('sponsors.invite.submit')}
        </button>
      </form>
    </section>
  );
}

/** One sponsored user: who, their role, since when, activated or not; remove after a confirmation. */
function SponsoredUserItem({ user, onRemoved }: { user: SponsoredUserView; onRemoved: (notice: string) => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const name = user.displayName;

  async function remove() {
    setPending(true);
    try {
      await removeSponsoredUser(user.userId);
      await queryClient.invalidateQueries({ queryKey: sponsorKeys.users });
      onRemoved(t('sponsors.users.removed', { name }));
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <li className="card" aria-labelledby={`sponsored-${user.userId}`}>
      <h3 className="card__title" id={`sponsored-${user.userId}`} translate="no">
        {name}
      </h3>
      <p>
        <span translate="no">{user.email}</span>
        {user.title && <> · {t(`sponsors.titles.${user.title}`)}</>}
      </p>
      <p className="muted">
        {t('sponsors.users.since', { date: formatDate(user.since) })} ·{' '}
        {user.activated ? t('sponsors.users.activated') : t('sponsors.users.notActivated')}
      </p>
      <ErrorSummary errors={errors} />
      {confirming ? (
        <div>
          <p>{t('sponsors.users.confirmRemove', { name })}</p>
          <div className="button-row">
            <button type="button" className="button button--danger" disabled={pending} onClick={() => void remove()}>
              {t('sponsors.users.confirmRemoveButton', { name })}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              {t('sponsors.users.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="button-row">
          <button type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
            {t('sponsors.users.remove', { name })}
          </button>
        </div>
      )}
    </li>
  );
}

/**
 * `/sponsor/users` (issue 12 §1): a physician with an NPI sponsors their practice's staff (invite: an account and its
 * activation email), sees who they sponsor, and removes those who left. For `practice.sponsor`; a sponsor whose
 * validation is past due is sent to the validation; anyone else sees the not-found page.
 */
export function SponsoredUsersPage() {
  const t = useT();
  useDocumentTitle(t('sponsors.title'));
  const user = useSignedInUser();
  const [notice, setNotice] = useState<string | null>(null);
  const allowed = hasAbility(user, 'practice.sponsor');
  const query = useQuery({ queryKey: sponsorKeys.users, queryFn: fetchSponsoredUsers, enabled: allowed });

  if (user.sponsorValidation?.locked) return <Navigate to="/sponsor/validation" replace />;
  if (!allowed) return <NotFoundPage />;

  let list: ReactNode;
  if (query.isPending) list = <p role="status">{t('sponsors.users.loading')}</p>;
  else if (query.isError)
    list = (
      <div className="error-summary" role="alert">
        <p className="error-summary__title">{t('sponsors.users.loadFailed')}</p>
        <p className="error-summary__message">{errorMessage(query.error)}</p>
        <button type="button" className="button button--secondary" onClick={() => void query.refetch()}>
          {t('sponsors.users.tryAgain')}
        </button>
      </div>
    );
  else if (query.data.length === 0) list = <p className="empty-state">{t('sponsors.users.empty')}</p>;
  else
    list = (
      <ul className="plain-list">
        {query.data.map((sponsored) => (
          <SponsoredUserItem key={sponsored.userId} user={sponsored} onRemoved={setNotice} />
        ))}
      </ul>
    );

  return (
    <div className="page">
      <h1>{t('sponsors.title')}</h1>
      <p className="lede">{t('sponsors.users.intro')}</p>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      <section aria-labelledby="sponsored-list-heading">
        <h2 id="sponsored-list-heading">{t('sponsors.users.listHeading')}</h2>
        {list}
      </section>
      <InviteForm onSent={setNotice} />
    </div>
  );
}
