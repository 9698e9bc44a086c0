import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ApiError, errorMessage } from '../../api/client.ts';
import { acceptInvitation, previewInvitation, type InvitationPreview } from '../../api/sharing.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { InvitationAccountForm } from '../../components/sharing/InvitationAccountForm.tsx';
import { accessInWords } from '../../components/sharing/sharing-text.ts';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate } from '../../lib/format.ts';
import { dropFragment, readFragmentToken } from '../../lib/url-fragment.ts';
import { useActingFor } from '../../session/acting-for.ts';
import { useSession } from '../../session/session-context.ts';

/**
 * The invitation's token while the invitee signs in: in this tab's memory only (never storage or a URL), so the page
 * still has it when sign-in brings them back. A new page load forgets it; the emailed link works again.
 */
const invitationMemory: { token: string | null } = { token: null };

/**
 * The invitation's token: from the link's fragment (dropped from the address bar at once), else the one remembered while
 * the invitee signed in. Also read when only the fragment changes (the link opened again in a tab already on this page).
 */
function useInvitationToken(): string | null {
  const { hash } = useLocation();
  const [token, setToken] = useState(() => readFragmentToken() ?? invitationMemory.token);
  useEffect(() => {
    const fromLink = readFragmentToken(hash) ?? readFragmentToken();
    if (fromLink) {
      invitationMemory.token = fromLink;
      setToken(fromLink);
    }
    if (window.location.hash) dropFragment();
  }, [hash]);
  return token;
}

/** Where this page came from, for sign-in to return to (router state, in memory: SignInPage's `from`). */
const returnHere = { from: '/proxy-invitation' };

/**
 * Why an invitation cannot be used, from the server's answer: locked by the fifth wrong date (a 400 saying so), or gone
 * (unknown, expired, cancelled or used: 404; or answered already: 409).
 */
function unusableReason(error: unknown): 'locked' | 'expired' | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'too_many_attempts' || (error.code === 'birth_date_mismatch' && /\bnow locked\b/i.test(error.message)))
    return 'locked';
  if (error.status === 404 || error.code === 'invalid_token' || error.code === 'invitation_not_pending') return 'expired';
  return null;
}

/** The tries left that the server's wrong-date answer names ("3 tries left", "2 more attempts"), when it does. */
function triesLeft(error: ApiError): number | null {
  const match = /(\d+)\s+(?:more\s+)?(?:tr(?:y|ies)|attempts?)\b/i.exec(error.message);
  return match ? Number(match[1]) : null;
}

/** What the invitation offers: who invites, as whom, and what the invitee would see. */
function PreviewFacts({ preview }: { preview: InvitationPreview }) {
  const t = useT();
  return (
    <>
      <p className="lede">{t('sharing.accept.offer', { organization: preview.organizationName })}</p>
      <dl className="details">
        <div>
          <dt>{t('sharing.accept.invitedAs')}</dt>
          <dd translate="no">{preview.invitedAs}</dd>
        </div>
        <div>
          <dt>{t('sharing.accept.access')}</dt>
          <dd>{accessInWords(t, preview.level, preview.areas)}</dd>
        </div>
        <div>
          <dt>{t('sharing.accept.until')}</dt>
          <dd>{formatDate(preview.expiresAt)}</dd>
        </div>
      </dl>
    </>
  );
}

/** The date-of-birth step, signed in: accepts, switches to the new patient and goes home. */
function AcceptForm({ token, onUnusable }: { token: string; onUnusable: (reason: 'locked' | 'expired') => void }) {
  const t = useT();
  const navigate = useNavigate();
  const { choose } = useActingFor();
  const [birthDate, setBirthDate] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const fieldId = 'proxy-invitation-birth-date';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
      errors.show([{ id: fieldId, message: t('sharing.accept.birthDateRequired') }]);
      return;
    }
    setPending(true);
    try {
      const accepted = await acceptInvitation(token, birthDate);
      invitationMemory.token = null;
      await choose(accepted.patientId);
      void navigate('/');
    } catch (error) {
      setPending(false);
      const unusable = unusableReason(error);
      if (unusable) {
        invitationMemory.token = null;
        onUnusable(unusable);
      } else if (error instanceof ApiError && error.status === 400) {
        const left = triesLeft(error);
        const message =
          left === null
            ? t('sharing.accept.wrongDate')
            : `${t('sharing.accept.wrongDate')} ${t('sharing.accept.triesLeft', { count: left })}`;
        errors.show([{ id: fieldId, message }]);
      } else errors.show([], `${t('sharing.accept.failed')} ${errorMessage(error)}`);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      <TextField
        id={fieldId}
        label={t('sharing.accept.birthDate')}
        hint={t('sharing.accept.birthDateHint')}
        type="date"
        value={birthDate}
        onValueChange={setBirthDate}
        error={errors.errorFor(fieldId)}
      />
      <button type="submit" className="button" aria-disabled={pending}>
        {t('sharing.accept.submit')}
      </button>
      <p className="live-text" role="status">
        {pending ? t('sharing.accept.accepting') : ''}
      </p>
    </form>
  );
}

/**
 * `/proxy-invitation#token=…` (issue 11 §1): the invitation emailed to someone a patient asked to help with their care.
 * The token is read from the fragment and dropped from the address bar at once (kept in memory while the invitee signs
 * in); the page shows what the invitation offers, asks a signed-out invitee to sign in, or to open an account with the
 * invitation (InvitationAccountForm), and a signed-in one for the patient's date of birth, and on success switches to that patient's record and goes home.
 */
export function ProxyInvitationPage() {
  const t = useT();
  useDocumentTitle(t('sharing.accept.title'));
  const token = useInvitationToken();
  const { state } = useSession();
  const [unusable, setUnusable] = useState<'locked' | 'expired' | null>(null);

  const preview = useQuery({
    queryKey: ['proxy-invitation', token],
    queryFn: () => previewInvitation(token ?? ''),
    enabled: token !== null,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });

  let body: ReactNode;
  const gone = unusable ?? (preview.isError ? unusableReason(preview.error) : null);
  if (!token) {
    body = (
      <div className="error-summary" role="alert">
        <p className="error-summary__title">{t('sharing.accept.unusable')}</p>
        <p className="error-summary__message">{t('sharing.accept.noLink')}</p>
      </div>
    );
  } else if (gone) {
    body = (
      <div className="error-summary" role="alert">
        <p className="error-summary__title">{t('sharing.accept.unusable')}</p>
        <p className="error-summary__message">{gone === 'locked' ? t('sharing.accept.locked') : t('sharing.accept.expired')}</p>
      </div>
    );
  } else if (preview.isPending || state.status === 'loading') {
    body = <p role="status">{t('sharing.accept.loading')}</p>;
  } else if (preview.isError) {
    body = (
      <div className="error-summary" role="alert">
        <p className="error-summary__title">{t('sharing.accept.failed')}</p>
        <p className="error-summary__message">{errorMessage(preview.error)}</p>
        <button type="button" className="button button--secondary" onClick={() => void preview.refetch()}>
          {t('sharing.tryAgain')}
        </button>
      </div>
    );
  } else {
    body = (
      <>
        <PreviewFacts preview={preview.data} />
        {state.status === 'signed_in' ? (
          <AcceptForm token={token} onUnusable={setUnusable} />
        ) : (
          <>
            <p>{t('sharing.accept.signInFirst')}</p>
            <p>
              <Link className="button" to="/sign-in" state={returnHere}>
                {t('sharing.accept.signIn')}
              </Link>
            </p>
            <InvitationAccountForm
              token={token}
              onUnusable={(error) => {
                const reason = unusableReason(error);
                if (reason) setUnusable(reason);
                return reason !== null;
              }}
            />
          </>
        )}
      </>
    );
  }

  return (
    <div className="page page--narrow">
      <h1>{t('sharing.accept.title')}</h1>
      {body}
    </div>
  );
}
