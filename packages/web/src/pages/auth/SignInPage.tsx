import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import type { ChallengeMethod, Me } from '@portico/shared';
import type { MessageId } from '@portico/shared/i18n';
import { setupTotp, signIn } from '../../api/auth.ts';
import { errorMessage, isApiError } from '../../api/client.ts';
import type { SessionInfo, TotpEnableResult, TotpSetup } from '../../api/types.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { MfaChallenge } from '../../components/MfaChallenge.tsx';
import { RecoveryCodes } from '../../components/RecoveryCodes.tsx';
import { ResendVerificationForm } from '../../components/ResendVerificationForm.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { TotpEnrolment } from '../../components/TotpEnrolment.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useSession } from '../../session/session-context.ts';
import { rememberedLocale } from '../../i18n/catalogues.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { LanguagePicker } from '../../i18n/LanguagePicker.tsx';

/** Where the sign-in page is in its flow; everything happens in place, nothing goes into the URL. */
type Step =
  | { kind: 'credentials'; notice: string | null }
  | { kind: 'mfa'; methods: ChallengeMethod[]; enrollmentRequired: boolean }
  | { kind: 'enrol'; setup: TotpSetup }
  | { kind: 'codes'; codes: string[] };

const headings: Record<Step['kind'], MessageId> = {
  credentials: 'auth.signIn.heading',
  mfa: 'auth.signIn.mfaHeading',
  enrol: 'auth.signIn.enrolHeading',
  codes: 'auth.signIn.codesHeading',
};

const reasonNotices: Record<string, MessageId> = {
  idle: 'auth.signIn.reason.idle',
  'signed-out': 'auth.signIn.reason.signedOut',
  expired: 'auth.signIn.reason.expired',
};

/** The page a signed-in user returns to: the one they asked for (kept in router state, never in the URL). */
function readFrom(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state && typeof state.from === 'string') {
    if (state.from.startsWith('/') && !state.from.startsWith('//') && state.from !== '/sign-in') return state.from;
  }
  return '/';
}

/** The username of an account just opened with a family-access invitation (router state), to greet on the page. */
function readAccountCreated(state: unknown): string | null {
  if (typeof state === 'object' && state !== null && 'accountCreated' in state && typeof state.accountCreated === 'string') {
    return state.accountCreated;
  }
  return null;
}

/** /sign-in: password, then the second factor (or authenticator enrolment for staff without one), then home. */
export function SignInPage() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const [step, setStep] = useState<Step>({ kind: 'credentials', notice: null });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstStep = useRef(true);
  const from = readFrom(location.state);
  const accountCreated = readAccountCreated(location.state);
  const t = useT();
  useDocumentTitle(t(headings[step.kind]));

  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step.kind]);

  function finish(user: Me, info: SessionInfo) {
    session.signedIn(user, info);
    void navigate(from, { replace: true });
  }

  async function startEnrolment() {
    try {
      setStep({ kind: 'enrol', setup: await setupTotp() });
    } catch {
      setStep({ kind: 'credentials', notice: t('auth.signIn.enrolFailed') });
    }
  }

  function enrolled(result: TotpEnableResult) {
    // The session is fully signed in now; the codes stay on screen until the user has saved them.
    session.signedIn(result.user, result.session);
    setStep({ kind: 'codes', codes: result.recoveryCodes });
  }

  if (session.state.status === 'signed_in' && step.kind === 'credentials') return <Navigate to={from} replace />;

  const reason = searchParams.get('reason');
  const reasonId = reason ? reasonNotices[reason] : undefined;
  const reasonNotice = reasonId ? t(reasonId) : undefined;

  return (
    <div className="page page--narrow">
      {step.kind === 'credentials' && <LanguagePicker className="language-picker--sign-in" />}
      <h1 ref={headingRef} tabIndex={-1}>
        {t(headings[step.kind])}
      </h1>
      {step.kind === 'credentials' && (
        <>
          {reasonNotice && !step.notice && <StatusMessage>{reasonNotice}</StatusMessage>}
          {accountCreated && !step.notice && (
            <StatusMessage tone="success">{t('auth.signIn.accountCreated', { username: accountCreated })}</StatusMessage>
          )}
          <CredentialsForm
            restartMessage={step.notice}
            onSignedIn={finish}
            onMfa={(methods, enrollmentRequired) => setStep({ kind: 'mfa', methods, enrollmentRequired })}
          />
        </>
      )}
      {step.kind === 'mfa' && (
        <>
          {step.enrollmentRequired && <p>{t('auth.signIn.enrolmentRequired')}</p>}
          <MfaChallenge
            methods={step.methods}
            onSignedIn={finish}
            onRestart={(message) => setStep({ kind: 'credentials', notice: message })}
            onEnrol={() => void startEnrolment()}
          />
        </>
      )}
      {step.kind === 'enrol' && (
        <>
          <p>{t('auth.signIn.enrolIntro')}</p>
          <TotpEnrolment setup={step.setup} onEnabled={enrolled} />
        </>
      )}
      {step.kind === 'codes' && <RecoveryCodes codes={step.codes} onDone={() => void navigate(from, { replace: true })} />}
    </div>
  );
}

/** Props of the password step. */
interface CredentialsFormProps {
  /** Why the user is back at this step (for example, too many wrong codes). */
  restartMessage: string | null;
  onSignedIn: (user: Me, session: SessionInfo) => void;
  onMfa: (methods: ChallengeMethod[], enrollmentRequired: boolean) => void;
}

/** Username-or-email and password; routes the answer to the right next step. */
function CredentialsForm({ restartMessage, onSignedIn, onMfa }: CredentialsFormProps) {
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [unverified, setUnverified] = useState(false);
  const errors = useFormErrors();
  const { show } = errors;
  const t = useT();

  useEffect(() => {
    if (restartMessage) show([], restartMessage);
  }, [restartMessage, show]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: FieldError[] = [];
    if (identifier.trim() === '') problems.push({ id: 'sign-in-identifier', message: t('auth.signIn.identifierRequired') });
    if (password === '') problems.push({ id: 'sign-in-password', message: t('auth.signIn.passwordRequired') });
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    setUnverified(false);
    try {
      // A language chosen on this device's sign-in page becomes the account's language.
      const answer = await signIn(identifier.trim(), password, rememberedLocale() ?? undefined);
      if (answer.status === 'signed_in') onSignedIn(answer.user, answer.session);
      else onMfa(answer.methods, answer.enrollmentRequired);
    } catch (error) {
      if (isApiError(error, 'invalid_credentials')) setPassword('');
      if (isApiError(error, 'email_not_verified')) setUnverified(true);
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <ErrorSummary errors={errors} />
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="sign-in-identifier"
          label={t('auth.signIn.identifier')}
          value={identifier}
          onValueChange={setIdentifier}
          error={errors.errorFor('sign-in-identifier')}
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          required
        />
        <TextField
          id="sign-in-password"
          label={t('auth.signIn.password')}
          type="password"
          value={password}
          onValueChange={setPassword}
          error={errors.errorFor('sign-in-password')}
          autoComplete="current-password"
          required
        />
        <button type="submit" className="button" disabled={pending}>
          {t('auth.signIn.submit')}
        </button>
      </form>
      {unverified && (
        <section className="panel" aria-labelledby="unverified-heading">
          <h2 id="unverified-heading">{t('auth.signIn.unverifiedHeading')}</h2>
          <p>{t('auth.signIn.unverifiedText')}</p>
          <ResendVerificationForm idPrefix="sign-in-resend" {...(identifier.includes('@') ? { knownEmail: identifier.trim() } : {})} />
        </section>
      )}
      <ul className="link-list link-list--spaced">
        <li>
          <Link to="/forgot-password">{t('auth.signIn.forgotPassword')}</Link>
        </li>
        <li>
          {t('auth.signIn.newHere')} <Link to="/sign-up">{t('auth.signIn.createAccount')}</Link>
        </li>
      </ul>
    </>
  );
}
