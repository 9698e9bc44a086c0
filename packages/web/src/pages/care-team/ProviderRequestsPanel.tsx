import { useId, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SensitiveCategoryName } from '@portico/shared';
import {
  approveProviderRequest,
  careTeamKeys,
  denyProviderRequest,
  fetchProviderRequests,
  type ProviderRequest,
} from '../../api/care-team.ts';
import { errorMessage } from '../../api/client.ts';
import { sharingKeys } from '../../api/sharing.ts';
import { sensitiveChoices, sensitiveLabel } from '../../components/sharing/sharing-text.ts';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate } from '../../lib/format.ts';
import { providerInWords } from './care-team-text.ts';
import './care-team.css';

/**
 * "Provider requests" (issue 12 §2), for the Sharing and privacy page: outside providers who asked in MyPatients to see
 * the record. The patient (or a guardian, for a child) lets them (optionally showing sensitive categories, which stay
 * hidden otherwise) or refuses. Shown only when there is something to answer.
 */
export function ProviderRequestsPanel({ patientId, mayChooseSensitive }: { patientId: string; mayChooseSensitive: boolean }) {
  const t = useT();
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const requests = useQuery({ queryKey: careTeamKeys.requests(patientId), queryFn: () => fetchProviderRequests(patientId) });

  if (!notice && (requests.isPending || (requests.data && requests.data.length === 0))) return null;
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {t('careteam.requests.heading')}
      </h2>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {requests.isError ? (
        <div className="error-summary" role="alert">
          <p className="error-summary__title">{t('careteam.requests.loadFailed')}</p>
          <p className="error-summary__message">{errorMessage(requests.error)}</p>
        </div>
      ) : requests.data && requests.data.length > 0 ? (
        <>
          <p>{t('careteam.requests.intro')}</p>
          <ul className="care-team__list">
            {requests.data.map((request) => (
              <RequestItem
                key={request.id}
                patientId={patientId}
                request={request}
                mayChooseSensitive={mayChooseSensitive}
                onDecided={(text) => {
                  setNotice(text);
                  headingRef.current?.focus();
                }}
              />
            ))}
          </ul>
        </>
      ) : (
        <p className="empty-state">{t('careteam.requests.none')}</p>
      )}
    </section>
  );
}

/** One request: who asks, from which practice, why and when; Allow (with the sensitive choices) or Refuse. */
function RequestItem(props: {
  patientId: string;
  request: ProviderRequest;
  mayChooseSensitive: boolean;
  onDecided: (notice: string) => void;
}) {
  const { patientId, request, mayChooseSensitive, onDecided } = props;
  const t = useT();
  const baseId = useId();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<ReadonlySet<SensitiveCategoryName>>(new Set());
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  function toggle(category: SensitiveCategoryName, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(category);
    else next.delete(category);
    setChosen(next);
  }

  async function decide(verb: 'approve' | 'deny') {
    if (pending) return;
    setPending(true);
    setProblem(null);
    try {
      if (verb === 'approve')
        await approveProviderRequest(
          patientId,
          request.id,
          sensitiveChoices.filter((c) => chosen.has(c)),
        );
      else await denyProviderRequest(patientId, request.id);
      await queryClient.invalidateQueries({ queryKey: careTeamKeys.requests(patientId) });
      await queryClient.invalidateQueries({ queryKey: sharingKeys.all(patientId) });
      onDecided(t(verb === 'approve' ? 'careteam.requests.approved' : 'careteam.requests.denied', { name: request.providerName }));
    } catch (error) {
      setProblem(errorMessage(error));
      setPending(false);
    }
  }

  const legendId = `${baseId}-legend`;
  return (
    <li className="care-team__item">
      <p className="care-team__name" translate="no">
        {providerInWords({ name: request.providerName, credentials: request.credentials, practiceName: request.practiceName })}
      </p>
      <p>{t('careteam.requests.asked', { date: formatDate(request.createdAt) })}</p>
      {request.reason && (
        <p>
          {t('careteam.requests.reason')} <span translate="no">{request.reason}</span>
        </p>
      )}
      {mayChooseSensitive && (
        <fieldset className="fieldset sharing-sensitive" aria-describedby={`${baseId}-hint`}>
          <legend id={legendId}>{t('careteam.requests.sensitiveLegend')}</legend>
          <p className="field__hint" id={`${baseId}-hint`}>
            {t('careteam.requests.sensitiveHint')}
          </p>
          {sensitiveChoices.map((category) => {
            const id = `${baseId}-${category}`;
            return (
              <div className="checkbox" key={category}>
                <input
                  type="checkbox"
                  id={id}
                  checked={chosen.has(category)}
                  onChange={(event) => toggle(category, event.target.checked)}
                />
                <label htmlFor={id}>{sensitiveLabel(t, category)}</label>
              </div>
            );
          })}
        </fieldset>
      )}
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="button" onClick={() => void decide('approve')} disabled={pending}>
          {t('careteam.requests.approve')}
          <span className="visually-hidden"> {request.providerName}</span>
        </button>
        <button type="button" className="button button--secondary" onClick={() => void decide('deny')} disabled={pending}>
          {t('careteam.requests.deny')}
          <span className="visually-hidden"> {request.providerName}</span>
        </button>
      </div>
    </li>
  );
}
