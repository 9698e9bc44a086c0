import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { shareLinkLimits, type ShareLinkScope } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import {
  createShareLink,
  fetchShareLinks,
  revokeShareLink,
  shareLinkKeys,
  type CreatedShareLink,
  type ShareLink,
} from '../../api/share-links.ts';
import { sharingKeys } from '../../api/sharing.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { usePendingAction } from '../../hooks/use-pending-action.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextField } from '../TextField.tsx';
import './share.css';

/** An address with something before and after one @, and a dot after it (the server checks it properly). */
function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** The passcode as it is easiest to read aloud: two groups of four. */
function groupedPasscode(passcode: string): string {
  return passcode.length === 8 ? `${passcode.slice(0, 4)} ${passcode.slice(4)}` : passcode;
}

/**
 * "Share my record" (issue 11 §2), for the Sharing and privacy page: make a link for any clinician (a read-only summary
 * or a PDF, 1 to 30 days, optionally emailed: the transmit), see its address and passcode once with copy buttons, and
 * the list of links with where each stands and Revoke.
 */
export function ShareLinksPanel({ patientId }: { patientId: string }) {
  const t = useT();
  const headingId = useId();
  const [created, setCreated] = useState<CreatedShareLink | null>(null);
  /** Whether the form was shown again after a new link (then its heading takes focus back). */
  const [returned, setReturned] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const links = useQuery({ queryKey: shareLinkKeys.all(patientId), queryFn: () => fetchShareLinks(patientId) });

  return (
    <section className="share-links" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('share.title')}</h2>
      <p>{t('share.intro')}</p>
      {status && <StatusMessage tone="success">{status}</StatusMessage>}
      {created ? (
        <CreatedLink
          created={created}
          onDone={() => {
            setCreated(null);
            setReturned(true);
          }}
        />
      ) : (
        <CreateForm patientId={patientId} onCreated={setCreated} focusOnMount={returned} />
      )}
      <h3>{t('share.list.heading')}</h3>
      {links.isPending ? (
        <p>{t('share.list.loading')}</p>
      ) : links.isError ? (
        <div className="error-summary" role="alert">
          <p className="error-summary__message">{errorMessage(links.error)}</p>
        </div>
      ) : links.data.length === 0 ? (
        <p>{t('share.list.empty')}</p>
      ) : (
        <ul className="share-links__list">
          {links.data.map((link) => (
            <ShareLinkItem
              key={link.id}
              patientId={patientId}
              link={link}
              onRevoked={() => setStatus(t('share.list.revoked', { label: link.label }))}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The form: who it is for, what it shows, how many days, and an optional email address. */
function CreateForm({
  patientId,
  onCreated,
  focusOnMount,
}: {
  patientId: string;
  onCreated: (created: CreatedShareLink) => void;
  focusOnMount: boolean;
}) {
  const t = useT();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnMount) headingRef.current?.focus();
  }, [focusOnMount]);
  const queryClient = useQueryClient();
  const baseId = useId();
  const ids = { label: `${baseId}-label`, days: `${baseId}-days`, email: `${baseId}-email` };
  const [label, setLabel] = useState('');
  const [scope, setScope] = useState<ShareLinkScope>('summary');
  const [days, setDays] = useState('7');
  const [email, setEmail] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();

  function check(): FieldError[] {
    const problems: FieldError[] = [];
    if (!label.trim()) problems.push({ id: ids.label, message: t('share.create.labelRequired') });
    else if (label.trim().length > shareLinkLimits.labelMaxLength)
      problems.push({ id: ids.label, message: t('share.create.labelTooLong', { count: shareLinkLimits.labelMaxLength }) });
    const n = Number(days);
    if (!/^\d+$/.test(days.trim()) || n < 1 || n > shareLinkLimits.maxDays)
      problems.push({ id: ids.days, message: t('share.create.daysRange', { max: shareLinkLimits.maxDays }) });
    if (email.trim() && !looksLikeEmail(email.trim())) problems.push({ id: ids.email, message: t('share.create.emailInvalid') });
    return problems;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const problems = check();
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const recipient = email.trim();
      const created = await createShareLink(patientId, {
        label: label.trim(),
        scope,
        expiresInDays: Number(days),
        ...(recipient ? { recipientEmail: recipient } : {}),
      });
      await queryClient.invalidateQueries({ queryKey: shareLinkKeys.all(patientId) });
      await queryClient.invalidateQueries({ queryKey: sharingKeys.all(patientId) });
      errors.clear();
      onCreated(created);
    } catch (error) {
      const field = isApiError(error) ? error.field : undefined;
      const id = field === 'label' ? ids.label : field === 'expiresInDays' ? ids.days : field === 'recipientEmail' ? ids.email : null;
      if (id) errors.show([{ id, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <h3 ref={headingRef} tabIndex={-1}>
        {t('share.create.heading')}
      </h3>
      <ErrorSummary errors={errors} />
      <TextField
        id={ids.label}
        label={t('share.create.label')}
        hint={t('share.create.labelHint')}
        autoComplete="off"
        value={label}
        onValueChange={setLabel}
        error={errors.errorFor(ids.label)}
      />
      <fieldset className="fieldset">
        <legend>{t('share.create.scope')}</legend>
        {(['summary', 'download'] as const).map((choice) => (
          <div className="radio" key={choice}>
            <input
              type="radio"
              id={`${baseId}-scope-${choice}`}
              name={`${baseId}-scope`}
              checked={scope === choice}
              onChange={() => setScope(choice)}
              aria-describedby={`${baseId}-scope-${choice}-hint`}
            />
            <label htmlFor={`${baseId}-scope-${choice}`}>{t(choice === 'summary' ? 'share.scope.summary' : 'share.scope.download')}</label>
            <p className="field__hint" id={`${baseId}-scope-${choice}-hint`}>
              {t(choice === 'summary' ? 'share.scope.summaryHint' : 'share.scope.downloadHint')}
            </p>
          </div>
        ))}
      </fieldset>
      <TextField
        id={ids.days}
        label={t('share.create.days')}
        hint={t('share.create.daysHint', { max: shareLinkLimits.maxDays })}
        inputMode="numeric"
        autoComplete="off"
        value={days}
        onValueChange={setDays}
        error={errors.errorFor(ids.days)}
      />
      <TextField
        id={ids.email}
        label={t('share.create.email')}
        hint={t('share.create.emailHint')}
        type="email"
        autoComplete="off"
        spellCheck={false}
        value={email}
        onValueChange={setEmail}
        error={errors.errorFor(ids.email)}
      />
      <p className="field__hint">{t('share.create.hidden')}</p>
      <button type="submit" className="button" disabled={pending}>
        {pending ? t('share.create.creating') : t('share.create.submit')}
      </button>
    </form>
  );
}

/** A secret shown once, with a copy button that says whether it worked. */
function CopyableSecret({ label, value, shown }: { label: string; value: string; shown: string }) {
  const t = useT();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }
  return (
    <div>
      <p>
        <strong>{label}</strong>
      </p>
      <div className="share-secret">
        <code translate="no">{shown}</code>
        <button type="button" className="button button--secondary" onClick={() => void copy()}>
          {t('share.created.copy', { what: label })}
        </button>
      </div>
      <p role="status" className="field__hint">
        {copied === 'yes' ? t('share.created.copied') : copied === 'failed' ? t('share.created.copyFailed') : ''}
      </p>
    </div>
  );
}

/** The new link's address and passcode, shown this once: the patient gives the passcode to the clinician separately. */
function CreatedLink({ created, onDone }: { created: CreatedShareLink; onDone: () => void }) {
  const t = useT();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="notice notice--warning" role="region" aria-label={t('share.created.heading')}>
      <h3 ref={headingRef} tabIndex={-1}>
        {t('share.created.heading')}
      </h3>
      <p>
        {created.link.recipientEmail
          ? t('share.created.emailed', { email: created.link.recipientEmail, date: formatDate(created.link.expiresAt) })
          : t('share.created.intro', { date: formatDate(created.link.expiresAt) })}
      </p>
      <p>
        <strong>{t('share.created.once')}</strong>
      </p>
      <CopyableSecret label={t('share.created.url')} value={created.url} shown={created.url} />
      <CopyableSecret label={t('share.created.passcode')} value={created.passcode} shown={groupedPasscode(created.passcode)} />
      <p>{t('share.created.separately')}</p>
      <button type="button" className="button" onClick={onDone}>
        {t('share.created.done')}
      </button>
    </div>
  );
}

/** One link: for whom, what, where it stands, opens, and Revoke while it can still be opened. */
function ShareLinkItem({ patientId, link, onRevoked }: { patientId: string; link: ShareLink; onRevoked: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const {
    pending,
    problem,
    run: revoke,
  } = usePendingAction(async () => {
    await revokeShareLink(patientId, link.id);
    await queryClient.invalidateQueries({ queryKey: shareLinkKeys.all(patientId) });
    await queryClient.invalidateQueries({ queryKey: sharingKeys.all(patientId) });
    onRevoked();
  });

  const statusWords = {
    active: t('share.status.active'),
    expired: t('share.status.expired'),
    revoked: t('share.status.revoked'),
    locked: t('share.status.locked'),
  }[link.status];
  return (
    <li className="share-links__item">
      <h4>{link.label}</h4>
      <p>
        {t(link.scope === 'summary' ? 'share.scope.summary' : 'share.scope.download')} · {statusWords}
      </p>
      <p>
        {link.status === 'active'
          ? t('share.list.expires', { date: formatDate(link.expiresAt) })
          : t('share.list.created', { date: formatDate(link.createdAt) })}
      </p>
      {link.recipientEmail && <p>{t('share.list.emailedTo', { email: link.recipientEmail })}</p>}
      <p>
        {link.lastOpenedAt
          ? t('share.list.opens', { count: link.openCount, date: formatDateTime(link.lastOpenedAt) })
          : t('share.list.neverOpened')}
      </p>
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      {link.status === 'active' && (
        <button type="button" className="button button--secondary" onClick={() => void revoke()} disabled={pending}>
          {t('share.list.revoke')}
          <span className="visually-hidden"> {link.label}</span>
        </button>
      )}
    </li>
  );
}
