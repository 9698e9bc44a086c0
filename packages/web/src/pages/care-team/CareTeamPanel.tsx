import { useId, useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  addCareTeamMember,
  careTeamKeys,
  fetchCareTeam,
  removeCareTeamMember,
  searchCareTeamDirectory,
  type CareTeam,
  type CareTeamMember,
  type DirectoryProvider,
} from '../../api/care-team.ts';
import { errorMessage } from '../../api/client.ts';
import { sharingKeys } from '../../api/sharing.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate } from '../../lib/format.ts';
import { providerInWords } from './care-team-text.ts';
import './care-team.css';

/** Where the panel is shown: the consent center, e-check-in, or a staff chart; each has its own introduction. */
export type CareTeamPlace = 'sharing' | 'checkIn' | 'chart';

const introIds = {
  sharing: 'careteam.intro.sharing',
  checkIn: 'careteam.intro.checkIn',
  chart: 'careteam.intro.chart',
} as const;

/** Fewest characters the directory searches with (the contract's careTeamDirectoryQuery). */
const minQueryLength = 2;

/**
 * The care team (issue 12 §2): the PCP on record and the outside providers on the care team, who see the record in
 * MyPatients while they are on it; whoever may change it (the server says: `canManage`) removes a member or finds one
 * in the organization's directory of outside providers (name, NPI or practice) and adds them.
 */
export function CareTeamPanel({ patientId, place }: { patientId: string; place: CareTeamPlace }) {
  const t = useT();
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const team = useQuery({ queryKey: careTeamKeys.team(patientId), queryFn: () => fetchCareTeam(patientId) });

  function announce(text: string) {
    setNotice(text);
    headingRef.current?.focus();
  }

  return (
    <section className="section care-team" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {t('careteam.heading')}
      </h2>
      <p>{t(introIds[place])}</p>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {team.isPending ? (
        <p role="status">{t('careteam.loading')}</p>
      ) : team.isError ? (
        <div className="error-summary" role="alert">
          <p className="error-summary__title">{t('careteam.loadFailed')}</p>
          <p className="error-summary__message">{errorMessage(team.error)}</p>
          <button type="button" className="button button--secondary" onClick={() => void team.refetch()}>
            {t('careteam.tryAgain')}
          </button>
        </div>
      ) : (
        <CareTeamLists patientId={patientId} team={team.data} onNotice={announce} />
      )}
    </section>
  );
}

/** The PCP, the members with Remove, and (for whoever may change it) the directory search. */
function CareTeamLists({ patientId, team, onNotice }: { patientId: string; team: CareTeam; onNotice: (text: string) => void }) {
  const t = useT();
  return (
    <>
      <h3>{t('careteam.pcp.heading')}</h3>
      {team.pcp ? <p translate="no">{providerInWords(team.pcp)}</p> : <p className="empty-state">{t('careteam.pcp.none')}</p>}
      <h3>{t('careteam.members.heading')}</h3>
      {team.members.length === 0 ? (
        <p className="empty-state">{t('careteam.members.none')}</p>
      ) : (
        <ul className="care-team__list">
          {team.members.map((member) => (
            <MemberItem
              key={member.grantId}
              patientId={patientId}
              member={member}
              canManage={team.canManage}
              onRemoved={() => onNotice(t('careteam.members.removed', { name: member.name }))}
            />
          ))}
        </ul>
      )}
      {team.canManage && (
        <DirectorySearch
          patientId={patientId}
          memberIds={new Set(team.members.map((m) => m.providerUserId))}
          onAdded={(provider) => onNotice(t('careteam.add.added', { name: provider.name }))}
        />
      )}
    </>
  );
}

/** After a change: the care team, and the Sharing and privacy list (which lists care-team members too). */
async function refreshAfterChange(queryClient: ReturnType<typeof useQueryClient>, patientId: string) {
  await queryClient.invalidateQueries({ queryKey: careTeamKeys.team(patientId) });
  await queryClient.invalidateQueries({ queryKey: sharingKeys.all(patientId) });
}

/** One member: who, their practice, since when, and Remove (with a confirmation). */
function MemberItem(props: { patientId: string; member: CareTeamMember; canManage: boolean; onRemoved: () => void }) {
  const { patientId, member, canManage, onRemoved } = props;
  const t = useT();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function remove() {
    if (pending) return;
    setPending(true);
    setProblem(null);
    try {
      await removeCareTeamMember(patientId, member.grantId);
      await refreshAfterChange(queryClient, patientId);
      onRemoved();
    } catch (error) {
      setProblem(errorMessage(error));
      setPending(false);
    }
  }

  return (
    <li className="care-team__item">
      <p className="care-team__name" translate="no">
        {providerInWords(member)}
      </p>
      <p>{t('careteam.members.since', { date: formatDate(member.since) })}</p>
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      {canManage &&
        (confirming ? (
          <div className="care-team__confirm" role="group" aria-label={t('careteam.members.confirmLabel', { name: member.name })}>
            <p>{t('careteam.members.confirm', { name: member.name })}</p>
            <div className="button-row">
              <button type="button" className="button button--danger" onClick={() => void remove()} disabled={pending}>
                {t('careteam.members.confirmYes')}
              </button>
              <button type="button" className="button button--secondary" onClick={() => setConfirming(false)} disabled={pending}>
                {t('careteam.members.confirmNo')}
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
            {t('careteam.members.remove')}
            <span className="visually-hidden"> {member.name}</span>
          </button>
        ))}
    </li>
  );
}

/** Find an outside provider by name, NPI or practice, and add them. */
function DirectorySearch(props: { patientId: string; memberIds: ReadonlySet<string>; onAdded: (provider: DirectoryProvider) => void }) {
  const { patientId, memberIds, onAdded } = props;
  const t = useT();
  const queryClient = useQueryClient();
  const baseId = useId();
  const inputId = `${baseId}-q`;
  const [q, setQ] = useState('');
  const [results, setResults] = useState<DirectoryProvider[] | null>(null);
  const [pending, setPending] = useState(false);
  const [adding, setAdding] = useState<string | null>(null);
  const errors = useFormErrors();

  async function search(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const text = q.trim();
    if (text.length < minQueryLength) {
      errors.show([{ id: inputId, message: t('careteam.add.tooShort', { count: minQueryLength }) }]);
      return;
    }
    setPending(true);
    try {
      setResults(await searchCareTeamDirectory(patientId, text));
      errors.clear();
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  async function add(provider: DirectoryProvider) {
    if (adding) return;
    setAdding(provider.providerUserId);
    try {
      await addCareTeamMember(patientId, provider.providerUserId);
      await refreshAfterChange(queryClient, patientId);
      errors.clear();
      setResults(null);
      setQ('');
      onAdded(provider);
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setAdding(null);
    }
  }

  return (
    <div className="care-team__add">
      <h3>{t('careteam.add.heading')}</h3>
      <ErrorSummary errors={errors} />
      <form className="form care-team__search" role="search" onSubmit={(event) => void search(event)} noValidate>
        <TextField
          id={inputId}
          label={t('careteam.add.label')}
          hint={t('careteam.add.hint')}
          autoComplete="off"
          value={q}
          onValueChange={setQ}
          error={errors.errorFor(inputId)}
        />
        <button type="submit" className="button button--secondary" disabled={pending}>
          {t('careteam.add.search')}
        </button>
      </form>
      <p className="live-text" role="status">
        {pending ? t('careteam.add.searching') : results ? t('careteam.add.found', { count: results.length }) : ''}
      </p>
      {results && results.length > 0 && (
        <ul className="care-team__list">
          {results.map((provider) => (
            <li key={provider.providerUserId} className="care-team__item">
              <p className="care-team__name" translate="no">
                {providerInWords(provider)}
              </p>
              {memberIds.has(provider.providerUserId) ? (
                <p>{t('careteam.add.already')}</p>
              ) : (
                <button type="button" className="button" onClick={() => void add(provider)} disabled={adding !== null}>
                  {t('careteam.add.button')}
                  <span className="visually-hidden"> {provider.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
