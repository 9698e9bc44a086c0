import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProxyRequestStatus } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { approveRequest, denyRequest, fetchConsoleRequests, proxyConsoleKeys, type ConsoleRequest } from '../../api/proxy-console.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { AccessFields } from '../../components/proxy-console/AccessFields.tsx';
import {
  accessBodyOf,
  accessFieldOf,
  checkAccessDraft,
  emptyAccessDraft,
  type AccessDraft,
} from '../../components/proxy-console/access-draft.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate, formatDateTime } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';
import { LoadProblem } from '../../components/proxy-console/LoadProblem.tsx';

const statuses: readonly ProxyRequestStatus[] = ['pending', 'approved', 'denied', 'cancelled'];

/** Approve: choose the child's record among the candidates, how identity was checked, and what the parent may see. */
function ApproveForm({ request, onDone }: { request: ConsoleRequest; onDone: (text: string) => void }) {
  const t = useT();
  const baseId = useId();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [patientId, setPatientId] = useState(request.candidates.length === 1 ? (request.candidates[0]?.id ?? '') : '');
  const [draft, setDraft] = useState<AccessDraft>(emptyAccessDraft);
  const [pending, setPending] = useState(false);
  const patientFieldId = `${baseId}-patient-${request.candidates[0]?.id ?? 'none'}`;
  const patientError = errors.errorFor(patientFieldId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const problems: FieldError[] = [];
    if (!patientId) problems.push({ id: patientFieldId, message: t('proxies.errors.patientRequired') });
    problems.push(...checkAccessDraft(t, draft, baseId));
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      await approveRequest(request.id, { patientId, ...accessBodyOf(draft) });
      await queryClient.invalidateQueries({ queryKey: ['proxy-console'] });
      onDone(t('proxies.approve.done'));
    } catch (error) {
      const field = isApiError(error) ? error.field : undefined;
      const id = field === 'patientId' ? patientFieldId : accessFieldOf(baseId, field);
      if (id) errors.show([{ id, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
      if (isApiError(error, 'request_not_pending')) await queryClient.invalidateQueries({ queryKey: ['proxy-console'] });
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${baseId}-heading`}>
      <h3 id={`${baseId}-heading`}>{t('proxies.approve.heading')}</h3>
      <ErrorSummary errors={errors} />
      <fieldset className={patientError ? 'fieldset field--error' : 'fieldset'}>
        <legend>{t('proxies.candidates.legend')}</legend>
        {patientError && (
          <p className="field__error" id={`${baseId}-patient-error`}>
            <span className="visually-hidden">{t('common.errorPrefix')}</span>
            {patientError}
          </p>
        )}
        {request.candidates.length === 0 && <p>{t('proxies.candidates.none')}</p>}
        {request.candidates.map((candidate) => {
          const id = `${baseId}-patient-${candidate.id}`;
          return (
            <div className="radio" key={candidate.id}>
              <input
                type="radio"
                id={id}
                name={`${baseId}-patient`}
                checked={patientId === candidate.id}
                onChange={() => setPatientId(candidate.id)}
                aria-invalid={patientError ? true : undefined}
                aria-describedby={patientError ? `${baseId}-patient-error` : undefined}
              />
              <label htmlFor={id} translate="no">
                {t('proxies.candidates.option', {
                  given: candidate.givenName,
                  family: candidate.familyName,
                  birthDate: formatBirthDate(candidate.birthDate),
                  mrn: candidate.mrn,
                })}
              </label>
            </div>
          );
        })}
      </fieldset>
      {request.candidates.length > 0 && (
        <>
          <AccessFields baseId={baseId} draft={draft} onChange={setDraft} errors={errors} />
          <button type="submit" className="button" disabled={pending}>
            {t('proxies.approve.submit')}
          </button>
        </>
      )}
    </form>
  );
}

/** Deny: the reason the parent reads in the portal. */
function DenyForm({ request, onDone }: { request: ConsoleRequest; onDone: (text: string) => void }) {
  const t = useT();
  const baseId = useId();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const reasonId = `${baseId}-reason`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    if (!reason.trim()) {
      errors.show([{ id: reasonId, message: t('proxies.errors.reasonRequired') }]);
      return;
    }
    setPending(true);
    try {
      await denyRequest(request.id, reason.trim());
      await queryClient.invalidateQueries({ queryKey: ['proxy-console'] });
      onDone(t('proxies.deny.done'));
    } catch (error) {
      const field = isApiError(error) ? error.field : undefined;
      if (field === 'reason') errors.show([{ id: reasonId, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${baseId}-heading`}>
      <h3 id={`${baseId}-heading`}>{t('proxies.deny.heading')}</h3>
      <ErrorSummary errors={errors} />
      <TextAreaField
        id={reasonId}
        label={t('proxies.deny.reason')}
        hint={t('proxies.deny.reasonHint')}
        value={reason}
        maxLength={500}
        rows={3}
        onValueChange={setReason}
        error={errors.errorFor(reasonId)}
      />
      <button type="submit" className="button button--secondary" disabled={pending}>
        {t('proxies.deny.submit')}
      </button>
    </form>
  );
}

/** One request: who asked, for which child as they typed it, and (while pending) the two decisions. */
function RequestCard({ request, onDone }: { request: ConsoleRequest; onDone: (text: string) => void }) {
  const t = useT();
  const headingId = useId();
  return (
    <li className="card" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId} translate="no">
        {t('proxies.queue.childName', {
          given: request.childGivenName,
          family: request.childFamilyName,
          birthDate: formatBirthDate(request.childBirthDate),
        })}
      </h2>
      <dl className="details">
        <div>
          <dt>{t('proxies.queue.requester')}</dt>
          <dd translate="no">
            {request.requester.name} ({request.requester.email})
          </dd>
        </div>
        <div>
          <dt>{t('proxies.queue.relationship')}</dt>
          <dd>{t(`proxies.relationship.${request.relationship}`)}</dd>
        </div>
        {request.note && (
          <div>
            <dt>{t('proxies.queue.note')}</dt>
            <dd>{request.note}</dd>
          </div>
        )}
        <div>
          <dt>{t('proxies.queue.received')}</dt>
          <dd>{formatDateTime(request.createdAt)}</dd>
        </div>
        {request.status !== 'pending' && (
          <div>
            <dt>{t('proxies.console.show')}</dt>
            <dd>{t(`proxies.status.${request.status}`)}</dd>
          </div>
        )}
        {request.decisionReason && (
          <div>
            <dt>{t('proxies.queue.reason')}</dt>
            <dd>{request.decisionReason}</dd>
          </div>
        )}
      </dl>
      {request.status === 'pending' && (
        <>
          <ApproveForm request={request} onDone={onDone} />
          <DenyForm request={request} onDone={onDone} />
        </>
      )}
    </li>
  );
}

/**
 * `/proxy-console`, the staff's family access requests (issue 11 §1): the organization's queue, oldest first, each with
 * the requester, the child as the parent typed them and the records that match; staff approve with how they checked
 * identity and what the parent may see, or deny with a reason the parent reads in the portal. For staff with
 * `proxies.manage` (front desk, administrators); anyone else sees the not-found page.
 */
export function ProxyConsolePage() {
  const t = useT();
  useDocumentTitle(t('proxies.console.title'));
  const filterId = useId();
  const [status, setStatus] = useState<ProxyRequestStatus>('pending');
  const [notice, setNotice] = useState<string | null>(null);
  const allowed = hasAbility(useSignedInUser(), 'proxies.manage');
  const query = useQuery({ queryKey: proxyConsoleKeys.queue(status), queryFn: () => fetchConsoleRequests(status), enabled: allowed });

  if (!allowed) return <NotFoundPage />;

  let body: ReactNode;
  if (query.isPending) body = <p role="status">{t('proxies.console.loading')}</p>;
  else if (query.isError)
    body = <LoadProblem error={query.error} onRetry={() => void query.refetch()} title="proxies.console.loadFailed" />;
  else if (query.data.requests.length === 0) body = <p className="empty-state">{t('proxies.console.empty')}</p>;
  else
    body = (
      <ul className="plain-list">
        {query.data.requests.map((request) => (
          <RequestCard key={request.id} request={request} onDone={setNotice} />
        ))}
      </ul>
    );

  return (
    <div className="page">
      <h1>{t('proxies.console.title')}</h1>
      <p className="lede">{t('proxies.console.lede')}</p>
      <div className="field">
        <label className="field__label" htmlFor={filterId}>
          {t('proxies.console.show')}
        </label>
        <select id={filterId} className="input" value={status} onChange={(event) => setStatus(event.target.value as ProxyRequestStatus)}>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {t(`proxies.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {body}
    </div>
  );
}
