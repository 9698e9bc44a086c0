import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { PracticeChangeBody, PracticeChangeView } from '@portico/shared';
import { errorMessage } from '../../api/client.ts';
import { fetchMyPracticeChange, searchPractices, sendPracticeChange, supportKeys } from '../../api/support.ts';
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

const ids = {
  search: 'change-search',
  choice: (id: string) => `change-practice-${id}`,
  describe: 'change-practice-new',
  name: 'change-name',
  address: 'change-address',
  phone: 'change-phone',
  fax: 'change-fax',
  email: 'change-email',
  sponsor: 'change-sponsor',
};

/** The member's latest request and where it stands. */
function LatestChange({ change }: { change: PracticeChangeView }) {
  const t = useT();
  return (
    <section aria-labelledby="latest-change-heading" className="card">
      <h2 id="latest-change-heading">{t('support.practiceChange.latest')}</h2>
      <p>
        <strong>{t(`support.practiceChange.status.${change.status}`)}</strong>
      </p>
      <p translate="no">{t('support.practiceChange.to', { name: change.newPractice.name })}</p>
      <p className="muted">{t('support.received', { when: formatDateTime(change.createdAt) })}</p>
      {change.decisionNote && <p>{t('support.practiceChange.note', { note: change.decisionNote })}</p>}
    </section>
  );
}

/**
 * `/mypatients/practice-change` (issue 12 §1; the seed: "If you have switched practices…"): a practice member names
 * their new practice (found by name, or described), a new email if it changed, and whether they sponsored staff at the
 * old one; the support team applies it. One request waits at a time.
 */
export function PracticeChangePage() {
  const t = useT();
  useDocumentTitle(t('support.practiceChange.title'));
  const allowed = hasAbility(useSignedInUser(), 'practice.patients');
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const latest = useQuery({ queryKey: supportKeys.myPracticeChange, queryFn: fetchMyPracticeChange, enabled: allowed });
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{ id: string; name: string; address: string | null }[] | null>(null);
  const [choice, setChoice] = useState<string>('new');
  const [practice, setPractice] = useState({ name: '', address: '', phone: '', fax: '' });
  const [newEmail, setNewEmail] = useState('');
  const [wasSponsor, setWasSponsor] = useState(false);
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  if (!allowed) return <NotFoundPage />;

  async function search() {
    try {
      const answer = await searchPractices(q.trim());
      setFound(answer.practices);
      setChoice(answer.practices[0]?.id ?? 'new');
    } catch (error) {
      errors.show([], errorMessage(error));
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSent(false);
    const describing = choice === 'new';
    if (describing && (!practice.name.trim() || !practice.address.trim() || !practice.phone.trim())) {
      errors.show([
        ...(practice.name.trim() ? [] : [{ id: ids.name, message: t('support.practiceChange.practiceRequired') }]),
        ...(practice.address.trim() ? [] : [{ id: ids.address, message: t('support.practiceChange.practiceRequired') }]),
        ...(practice.phone.trim() ? [] : [{ id: ids.phone, message: t('support.practiceChange.practiceRequired') }]),
      ]);
      return;
    }
    const body: PracticeChangeBody = {
      wasSponsor,
      ...(describing
        ? {
            newPractice: {
              name: practice.name.trim(),
              address: practice.address.trim(),
              phone: practice.phone.trim(),
              ...(practice.fax.trim() ? { fax: practice.fax.trim() } : {}),
            },
          }
        : { newPracticeId: choice }),
      ...(newEmail.trim() ? { newEmail: newEmail.trim() } : {}),
    };
    setPending(true);
    try {
      await sendPracticeChange(body);
      errors.clear();
      setSent(true);
      await queryClient.invalidateQueries({ queryKey: supportKeys.myPracticeChange });
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page page--narrow">
      <h1>{t('support.practiceChange.title')}</h1>
      <p className="lede">{t('support.practiceChange.intro')}</p>
      {sent && <StatusMessage tone="success">{t('support.practiceChange.sent')}</StatusMessage>}
      {latest.data?.change && <LatestChange change={latest.data.change} />}
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        <TextField id={ids.search} label={t('support.practiceChange.search')} value={q} onValueChange={setQ} autoComplete="off" />
        <button type="button" className="button button--secondary" onClick={() => void search()}>
          {t('support.practiceChange.searchButton')}
        </button>
        {found && found.length === 0 && <p role="status">{t('support.practiceChange.noMatch')}</p>}
        <fieldset className="fieldset">
          <legend>{t('support.practiceChange.choose')}</legend>
          {(found ?? []).map((p) => (
            <div className="radio" key={p.id}>
              <input type="radio" id={ids.choice(p.id)} name="new-practice" checked={choice === p.id} onChange={() => setChoice(p.id)} />
              <label htmlFor={ids.choice(p.id)} translate="no">
                {p.address ? `${p.name}, ${p.address}` : p.name}
              </label>
            </div>
          ))}
          <div className="radio">
            <input type="radio" id={ids.describe} name="new-practice" checked={choice === 'new'} onChange={() => setChoice('new')} />
            <label htmlFor={ids.describe}>{t('support.practiceChange.describe')}</label>
          </div>
        </fieldset>
        {choice === 'new' && (
          <>
            <TextField
              id={ids.name}
              label={t('support.practiceChange.name')}
              value={practice.name}
              onValueChange={(name) => setPractice({ ...practice, name })}
              error={errors.errorFor(ids.name)}
              maxLength={200}
              autoComplete="organization"
            />
            <TextField
              id={ids.address}
              label={t('support.practiceChange.address')}
              value={practice.address}
              onValueChange={(address) => setPractice({ ...practice, address })}
              error={errors.errorFor(ids.address)}
              maxLength={500}
              autoComplete="street-address"
            />
            <TextField
              id={ids.phone}
              type="tel"
              label={t('support.practiceChange.phone')}
              value={practice.phone}
              onValueChange={(phone) => setPractice({ ...practice, phone })}
              error={errors.errorFor(ids.phone)}
              autoComplete="tel"
            />
            <TextField
              id={ids.fax}
              type="tel"
              label={t('support.practiceChange.fax')}
              value={practice.fax}
              onValueChange={(fax) => setPractice({ ...practice, fax })}
            />
          </>
        )}
        <TextField
          id={ids.email}
          type="email"
          label={t('support.practiceChange.newEmail')}
          value={newEmail}
          onValueChange={setNewEmail}
          autoComplete="email"
        />
        <div className="checkbox">
          <input type="checkbox" id={ids.sponsor} checked={wasSponsor} onChange={(event) => setWasSponsor(event.target.checked)} />
          <label htmlFor={ids.sponsor}>{t('support.practiceChange.wasSponsor')}</label>
        </div>
        <button type="submit" className="button" disabled={pending}>
          {t('support.practiceChange.send')}
        </button>
      </form>
    </div>
  );
}
