import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { RegistrationView } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { approveRegistration, fetchPendingRegistrations, registrationKeys, rejectRegistration } from '../../api/provider-registrations.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { LoadProblem } from '../../components/proxy-console/LoadProblem.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/** One waiting registration: what the provider told us, and approve, or reject with a reason. */
function RegistrationCard({ registration, onDone }: { registration: RegistrationView; onDone: (notice: string) => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const reasonId = `reject-reason-${registration.id}`;
  const name = [registration.givenName, registration.familyName, registration.credentials].filter(Boolean).join(' ');

  async function decide(work: () => Promise<unknown>, notice: string) {
    setPending(true);
    try {
      await work();
      await queryClient.invalidateQueries({ queryKey: registrationKeys.pending });
      onDone(notice);
    } catch (error) {
      errors.show([], errorMessage(error));
      if (isApiError(error, 'registration_not_pending')) await queryClient.invalidateQueries({ queryKey: registrationKeys.pending });
    } finally {
      setPending(false);
    }
  }

  function submitReject(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      errors.show([{ id: reasonId, message: t('providers.support.reasonRequired') }]);
      return;
    }
    void decide(() => rejectRegistration(registration.id, reason.trim()), t('providers.support.rejected', { name }));
  }

  return (
    <li className="card" aria-labelledby={`registration-${registration.id}`}>
      <h2 className="card__title" id={`registration-${registration.id}`} translate="no">
        {name}
      </h2>
      <p>{t('providers.support.npi', { npi: registration.npi })}</p>
      <p>{t('providers.support.contact', { email: registration.email, phone: registration.phone })}</p>
      <p>
        {t('providers.support.practice', {
          name: registration.practiceName ?? '',
          address: registration.practiceAddress ?? '',
          phone: registration.practicePhone ?? '',
        })}
      </p>
      <p className="muted">{t('providers.support.received', { date: formatDateTime(registration.createdAt) })}</p>
      <ErrorSummary errors={errors} />
      {rejecting ? (
        <form className="form" onSubmit={submitReject} noValidate>
          <TextAreaField
            id={reasonId}
            label={t('providers.support.reason', { name })}
            hint={t('providers.support.reasonHint')}
            value={reason}
            onValueChange={setReason}
            error={errors.errorFor(reasonId)}
            maxLength={500}
          />
          <div className="button-row">
            <button type="submit" className="button" disabled={pending}>
              {t('providers.support.confirmReject')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setRejecting(false)}>
              {t('providers.support.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="button-row">
          <button
            type="button"
            className="button"
            disabled={pending}
            onClick={() => void decide(() => approveRegistration(registration.id), t('providers.support.approved', { name }))}
          >
            {t('providers.support.approve')}
          </button>
          <button type="button" className="button button--secondary" disabled={pending} onClick={() => setRejecting(true)}>
            {t('providers.support.reject')}
          </button>
        </div>
      )}
    </li>
  );
}

/**
 * `/support/registrations` (issue 12 §3): the support team's queue of outside providers' registrations, oldest first;
 * approving makes the account and emails its activation link, rejecting emails the reason. For `support.registrations`;
 * anyone else sees the not-found page.
 */
export function SupportRegistrationsPage() {
  const t = useT();
  useDocumentTitle(t('providers.support.title'));
  const [notice, setNotice] = useState<string | null>(null);
  const allowed = hasAbility(useSignedInUser(), 'support.registrations');
  const query = useQuery({ queryKey: registrationKeys.pending, queryFn: fetchPendingRegistrations, enabled: allowed });

  if (!allowed) return <NotFoundPage />;

  let body: ReactNode;
  if (query.isPending) body = <p role="status">{t('common.loading')}</p>;
  else if (query.isError)
    body = <LoadProblem error={query.error} onRetry={() => void query.refetch()} title="providers.support.loadFailed" />;
  else if (query.data.registrations.length === 0) body = <p className="empty-state">{t('providers.support.empty')}</p>;
  else
    body = (
      <ul className="plain-list">
        {query.data.registrations.map((registration) => (
          <RegistrationCard key={registration.id} registration={registration} onDone={setNotice} />
        ))}
      </ul>
    );

  return (
    <div className="page">
      <h1>{t('providers.support.title')}</h1>
      <p className="lede">{t('providers.support.intro')}</p>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {body}
    </div>
  );
}
