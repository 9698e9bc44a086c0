import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SupportAccessRequestView } from '@portico/shared';
import { approveNonPcp, approvePcp, denyRequest, fetchRoutedRequests, supportKeys } from '../../api/support.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { FieldFrame } from '../../components/FieldFrame.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate, formatDateTime } from '../../lib/format.ts';
import { DueClock, NoteForm, QueueBody, runDecision } from './support-parts.tsx';

/** The PCP update: who in the family confirmed it by phone, when, and which physician of the practice is the PCP. */
function PcpApproval({ request, onDone }: { request: SupportAccessRequestView; onDone: () => Promise<void> }) {
  const t = useT();
  const errors = useFormErrors();
  const base = `pcp-${request.id}`;
  const ids = { by: `${base}-by`, at: `${base}-at`, physician: `${base}-physician` };
  const [confirmedBy, setConfirmedBy] = useState('');
  const [confirmedAt, setConfirmedAt] = useState('');
  const [physician, setPhysician] = useState(request.physicians.length === 1 ? (request.physicians[0]?.userId ?? '') : '');
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems = [
      ...(confirmedBy.trim() ? [] : [{ id: ids.by, message: t('support.pcp.confirmedByRequired') }]),
      ...(confirmedAt ? [] : [{ id: ids.at, message: t('support.pcp.confirmedAtRequired') }]),
      ...(physician ? [] : [{ id: ids.physician, message: t('support.pcp.physicianRequired') }]),
    ];
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    const body = { confirmedBy: confirmedBy.trim(), confirmedAt: new Date(confirmedAt).toISOString(), physicianUserId: physician };
    if (await runDecision(errors, () => approvePcp(request.id, body))) await onDone();
    setPending(false);
  }

  if (request.physicians.length === 0) return <p>{t('support.pcp.noPhysician')}</p>;
  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      <TextField
        id={ids.by}
        label={t('support.pcp.confirmedBy')}
        hint={t('support.pcp.confirmedByHint')}
        value={confirmedBy}
        onValueChange={setConfirmedBy}
        error={errors.errorFor(ids.by)}
        maxLength={200}
        autoComplete="off"
      />
      <TextField
        id={ids.at}
        type="datetime-local"
        label={t('support.pcp.confirmedAt')}
        value={confirmedAt}
        onValueChange={setConfirmedAt}
        error={errors.errorFor(ids.at)}
      />
      <FieldFrame id={ids.physician} label={t('support.pcp.physician')} error={errors.errorFor(ids.physician)}>
        {(aria) => (
          <select id={ids.physician} className="input" value={physician} onChange={(event) => setPhysician(event.target.value)} {...aria}>
            <option value="">{t('support.pcp.physicianRequired')}</option>
            {request.physicians.map((p) => (
              <option key={p.userId} value={p.userId}>
                {[p.name, p.credentials, p.npi ? `NPI ${p.npi}` : null].filter(Boolean).join(' · ')}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      <button type="submit" className="button" disabled={pending}>
        {t('support.pcp.approve')}
      </button>
    </form>
  );
}

/** One routed request: the provider, the patient, the reason, the clock, and the decisions. */
function RequestCard({ request, onDone }: { request: SupportAccessRequestView; onDone: (notice: string) => Promise<void> }) {
  const t = useT();
  const errors = useFormErrors();
  const [denying, setDenying] = useState(false);
  const [pending, setPending] = useState(false);
  const headingId = `request-${request.id}`;
  const provider = [request.provider.name, request.provider.credentials].filter(Boolean).join(', ');
  const patient = `${request.patient.givenName} ${request.patient.familyName}`;

  async function approve() {
    setPending(true);
    if (await runDecision(errors, () => approveNonPcp(request.id, ''))) await onDone(t('support.nonPcp.approved'));
    setPending(false);
  }

  return (
    <li className="card" aria-labelledby={headingId}>
      <h3 className="card__title" id={headingId} translate="no">
        {t('support.requests.patient', { name: patient })}
      </h3>
      <p>
        {t('support.requests.mrn', { mrn: request.patient.mrn })} ·{' '}
        {t('support.requests.birthDate', { date: formatBirthDate(request.patient.birthDate) })}
      </p>
      <p translate="no">{t('support.requests.provider', { name: provider })}</p>
      <p>{request.provider.npi ? t('support.requests.npi', { npi: request.provider.npi }) : t('support.requests.noNpi')}</p>
      <p>
        {request.provider.practiceName
          ? t('support.requests.practice', { name: request.provider.practiceName })
          : t('support.requests.noPractice')}
      </p>
      {request.reason && <p>{t('support.requests.reason', { reason: request.reason })}</p>}
      <p className="muted">{t('support.received', { when: formatDateTime(request.createdAt) })}</p>
      <DueClock dueAt={request.dueAt} />
      {request.kind === 'pcp' && <p className="muted">{t('support.requests.pcpWindow')}</p>}
      <ErrorSummary errors={errors} />
      {denying ? (
        <NoteForm
          id={`deny-${request.id}`}
          label={t('support.requests.denyNote')}
          confirm={t('support.requests.confirmDeny')}
          onCancel={() => setDenying(false)}
          onSubmit={async (note, formErrors) => {
            if (await runDecision(formErrors, () => denyRequest(request.id, note))) await onDone(t('support.requests.denied'));
          }}
        />
      ) : (
        <>
          {request.kind === 'pcp' ? (
            <PcpApproval request={request} onDone={() => onDone(t('support.pcp.approved'))} />
          ) : (
            <button type="button" className="button" disabled={pending} onClick={() => void approve()}>
              {t('support.nonPcp.approve')}
            </button>
          )}
          <div className="button-row">
            <button type="button" className="button button--secondary" onClick={() => setDenying(true)}>
              {t('support.requests.deny')}
            </button>
          </div>
        </>
      )}
    </li>
  );
}

/** The PCP update requests or the non-PCP requests routed to support, oldest first, each with its clock. */
export function RoutedRequestsSection({ kind }: { kind: 'pcp' | 'non_pcp' }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const query = useQuery({ queryKey: supportKeys.requests(kind), queryFn: () => fetchRoutedRequests(kind) });
  async function done(message: string) {
    setNotice(message);
    await queryClient.invalidateQueries({ queryKey: supportKeys.requests(kind) });
  }
  return (
    <>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      <QueueBody query={query} items={query.data?.requests} empty="support.requests.empty">
        {(requests) => requests.map((request) => <RequestCard key={request.id} request={request} onDone={done} />)}
      </QueueBody>
    </>
  );
}
