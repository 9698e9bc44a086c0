import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConsoleProxyRelationship } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import {
  downloadProxyDocument,
  endPatientProxy,
  fetchPatientProxies,
  proxyConsoleKeys,
  setUpPatientProxy,
  uploadProxyDocument,
  type StaffProxy,
} from '../../api/proxy-console.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate } from '../../lib/format.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextAreaField } from '../TextAreaField.tsx';
import { TextField } from '../TextField.tsx';
import { saveFile } from '../record/save-file.ts';
import { AccessFields } from './AccessFields.tsx';
import { accessBodyOf, accessFieldOf, checkAccessDraft, emptyAccessDraft, type AccessDraft } from './access-draft.ts';
import { LoadProblem } from './LoadProblem.tsx';

/** What a document may be (the contract's proxyConsoleLimits). */
const documentTypes = ['application/pdf', 'image/png', 'image/jpeg'];
const documentMaxBytes = 5 * 1024 * 1024;

/** An address with something before and after one @ and a dot after it (the server checks it properly). */
function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** The file's problem before it is sent, or null. */
function fileProblem(t: ReturnType<typeof useT>, file: File): string | null {
  if (!documentTypes.includes(file.type)) return t('proxies.errors.documentType');
  if (file.size > documentMaxBytes) return t('proxies.errors.documentSize');
  return null;
}

/** Attach (or replace) the document of a set-up. */
function DocumentForm({ patientId, proxy, onNotice }: { patientId: string; proxy: StaffProxy; onNotice: (text: string) => void }) {
  const t = useT();
  const baseId = useId();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState(false);
  const fileId = `${baseId}-file`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    const problem = file ? fileProblem(t, file) : t('proxies.errors.documentType');
    if (!file || problem) {
      errors.show([{ id: fileId, message: problem ?? t('proxies.errors.documentType') }]);
      return;
    }
    setPending(true);
    try {
      await uploadProxyDocument(patientId, proxy.grantId, file);
      await queryClient.invalidateQueries({ queryKey: proxyConsoleKeys.patient(patientId) });
      errors.clear();
      onNotice(t('proxies.panel.uploaded'));
    } catch (error) {
      errors.show([{ id: fileId, message: errorMessage(error) }]);
    } finally {
      setPending(false);
    }
  }

  const error = errors.errorFor(fileId);
  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <div className={error ? 'field field--error' : 'field'}>
        <label className="field__label" htmlFor={fileId}>
          {t('proxies.panel.attach')}
        </label>
        <p className="field__hint" id={`${fileId}-hint`}>
          {t('proxies.panel.attachHint')}
        </p>
        {error && (
          <p className="field__error" id={`${fileId}-error`}>
            <span className="visually-hidden">{t('common.errorPrefix')}</span>
            {error}
          </p>
        )}
        <input
          ref={input}
          id={fileId}
          type="file"
          className="input"
          accept={documentTypes.join(',')}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${fileId}-hint ${fileId}-error` : `${fileId}-hint`}
        />
      </div>
      <button type="submit" className="button button--secondary" disabled={pending}>
        {t('proxies.panel.upload')}
      </button>
    </form>
  );
}

/** End a proxy's access, with the reason kept on the grant. */
function EndForm({ patientId, proxy, onNotice }: { patientId: string; proxy: StaffProxy; onNotice: (text: string) => void }) {
  const t = useT();
  const baseId = useId();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const reasonId = `${baseId}-reason`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      errors.show([{ id: reasonId, message: t('proxies.errors.reasonRequired') }]);
      return;
    }
    setPending(true);
    try {
      await endPatientProxy(patientId, proxy.grantId, reason.trim());
      await queryClient.invalidateQueries({ queryKey: proxyConsoleKeys.patient(patientId) });
      onNotice(t('proxies.panel.ended'));
    } catch (error) {
      errors.show([{ id: reasonId, message: errorMessage(error) }]);
    } finally {
      setPending(false);
    }
  }

  if (!open)
    return (
      <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
        {t('proxies.panel.end')}
      </button>
    );
  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      <TextAreaField
        id={reasonId}
        label={t('proxies.panel.endReason')}
        value={reason}
        maxLength={500}
        rows={2}
        onValueChange={setReason}
        error={errors.errorFor(reasonId)}
        autoFocus
      />
      <button type="submit" className="button" disabled={pending}>
        {t('proxies.panel.endConfirm')}
      </button>
    </form>
  );
}

/** One proxy: who, how related, what they see, since and until, how the console set them up, and the document. */
function ProxyCard({ patientId, proxy, onNotice }: { patientId: string; proxy: StaffProxy; onNotice: (text: string) => void }) {
  const t = useT();
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const access = proxy.level === 'full' ? t('proxies.level.full') : proxy.areas.map((area) => t(`proxies.area.${area}`)).join(', ');

  async function openDocument(name: string) {
    try {
      saveFile(await downloadProxyDocument(patientId, proxy.grantId, name));
      setDownloadError(null);
    } catch (error) {
      setDownloadError(errorMessage(error));
    }
  }

  return (
    <li className="card">
      <h3 className="card__title" translate="no">
        {proxy.name} ({proxy.email})
      </h3>
      {proxy.documentMissing && <p className="notice notice--warning">{t('proxies.panel.documentMissing')}</p>}
      <dl className="details">
        {proxy.relationship && (
          <div>
            <dt>{t('proxies.setUp.relationship')}</dt>
            <dd>{t(`proxies.panel.relationship.${proxy.relationship}`)}</dd>
          </div>
        )}
        <div>
          <dt>{t('proxies.panel.access')}</dt>
          <dd>{access}</dd>
        </div>
        <div>
          <dt>{t('proxies.panel.since')}</dt>
          <dd>{formatDate(proxy.since)}</dd>
        </div>
        <div>
          <dt>{t('proxies.panel.until')}</dt>
          <dd>{proxy.until ? formatDate(proxy.until) : t('proxies.panel.noEnd')}</dd>
        </div>
        {proxy.setup && (
          <>
            <div>
              <dt>{t('proxies.panel.identity')}</dt>
              <dd>
                {t(`proxies.identity.${proxy.setup.identityMethod}`)} · {t('proxies.panel.setUpBy', { name: proxy.setup.setUpByName })}
              </dd>
            </div>
            {proxy.setup.note && (
              <div>
                <dt>{t('proxies.note.label')}</dt>
                <dd>{proxy.setup.note}</dd>
              </div>
            )}
            {proxy.setup.document && (
              <div>
                <dt>{t('proxies.panel.document')}</dt>
                <dd>
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => void openDocument(proxy.setup?.document?.name ?? 'document')}
                  >
                    {t('proxies.panel.openDocument', { name: proxy.setup.document.name })}
                  </button>
                </dd>
              </div>
            )}
          </>
        )}
      </dl>
      {downloadError && (
        <p className="field__error" role="alert">
          {downloadError}
        </p>
      )}
      {proxy.setup && <DocumentForm patientId={patientId} proxy={proxy} onNotice={onNotice} />}
      <EndForm patientId={patientId} proxy={proxy} onNotice={onNotice} />
    </li>
  );
}

/** Set up a guardian or a legal representative for an existing account, with the document when there is one. */
function SetUpForm({ patientId, onNotice }: { patientId: string; onNotice: (text: string) => void }) {
  const t = useT();
  const baseId = useId();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = { email: `${baseId}-email`, relationship: `${baseId}-rel-guardian`, file: `${baseId}-file` };
  const [email, setEmail] = useState('');
  const [relationship, setRelationship] = useState<ConsoleProxyRelationship>('guardian');
  const [draft, setDraft] = useState<AccessDraft>(emptyAccessDraft);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const file = fileInput.current?.files?.[0];
    const problems: FieldError[] = [];
    if (!looksLikeEmail(email.trim())) problems.push({ id: ids.email, message: t('proxies.errors.emailRequired') });
    problems.push(...checkAccessDraft(t, draft, baseId));
    const problem = file ? fileProblem(t, file) : null;
    if (problem) problems.push({ id: ids.file, message: problem });
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const { proxy } = await setUpPatientProxy(patientId, { email: email.trim(), relationship, ...accessBodyOf(draft) });
      if (file) await uploadProxyDocument(patientId, proxy.grantId, file);
      await queryClient.invalidateQueries({ queryKey: proxyConsoleKeys.patient(patientId) });
      errors.clear();
      setEmail('');
      setDraft(emptyAccessDraft);
      if (fileInput.current) fileInput.current.value = '';
      onNotice(t('proxies.setUp.done'));
    } catch (error) {
      const field = isApiError(error) ? error.field : undefined;
      const id =
        field === 'email'
          ? ids.email
          : field === 'relationship'
            ? ids.relationship
            : field === 'document'
              ? ids.file
              : accessFieldOf(baseId, field);
      if (id) errors.show([{ id, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
      await queryClient.invalidateQueries({ queryKey: proxyConsoleKeys.patient(patientId) });
    } finally {
      setPending(false);
    }
  }

  const relationshipError = errors.errorFor(ids.relationship);
  const fileError = errors.errorFor(ids.file);
  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      <TextField
        id={ids.email}
        type="email"
        label={t('proxies.setUp.email')}
        autoComplete="off"
        spellCheck={false}
        value={email}
        onValueChange={setEmail}
        error={errors.errorFor(ids.email)}
      />
      <fieldset className={relationshipError ? 'fieldset field--error' : 'fieldset'}>
        <legend>{t('proxies.setUp.relationship')}</legend>
        {relationshipError && (
          <p className="field__error" id={`${baseId}-rel-error`}>
            <span className="visually-hidden">{t('common.errorPrefix')}</span>
            {relationshipError}
          </p>
        )}
        {(['guardian', 'legal_representative'] as const).map((value) => (
          <div className="radio" key={value}>
            <input
              type="radio"
              id={`${baseId}-rel-${value}`}
              name={`${baseId}-rel`}
              checked={relationship === value}
              onChange={() => setRelationship(value)}
              aria-describedby={relationshipError ? `${baseId}-rel-error` : undefined}
            />
            <label htmlFor={`${baseId}-rel-${value}`}>{t(`proxies.setUp.${value}`)}</label>
          </div>
        ))}
        {relationship === 'legal_representative' && <p className="field__hint">{t('proxies.setUp.documentNote')}</p>}
      </fieldset>
      <AccessFields baseId={baseId} draft={draft} onChange={setDraft} errors={errors} />
      <div className={fileError ? 'field field--error' : 'field'}>
        <label className="field__label" htmlFor={ids.file}>
          {t('proxies.panel.attach')}
        </label>
        <p className="field__hint" id={`${ids.file}-hint`}>
          {t('proxies.panel.attachHint')}
        </p>
        {fileError && (
          <p className="field__error" id={`${ids.file}-error`}>
            <span className="visually-hidden">{t('common.errorPrefix')}</span>
            {fileError}
          </p>
        )}
        <input
          ref={fileInput}
          id={ids.file}
          type="file"
          className="input"
          accept={documentTypes.join(',')}
          aria-invalid={fileError ? true : undefined}
          aria-describedby={fileError ? `${ids.file}-hint ${ids.file}-error` : `${ids.file}-hint`}
        />
      </div>
      <button type="submit" className="button" disabled={pending}>
        {t('proxies.setUp.submit')}
      </button>
    </form>
  );
}

/**
 * "Family access" on the staff chart (issue 11 §1): the patient's proxies in force with how the console set them up
 * (identity method, who, the document, "document missing" for a legal representative without one), attach a
 * document, end an access with a reason, and set up a guardian or legal representative for an existing account.
 * Shown only to staff whose abilities include `proxies.manage` (the chart decides from GET /api/me).
 */
export function PatientProxiesPanel({ patientId }: { patientId: string }) {
  const t = useT();
  const headingId = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const query = useQuery({ queryKey: proxyConsoleKeys.patient(patientId), queryFn: () => fetchPatientProxies(patientId) });

  let list: ReactNode;
  if (query.isPending) list = <p role="status">{t('proxies.panel.loading')}</p>;
  else if (query.isError) list = <LoadProblem error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.proxies.length === 0) list = <p className="empty-state">{t('proxies.panel.empty')}</p>;
  else
    list = (
      <ul className="plain-list">
        {query.data.proxies.map((proxy) => (
          <ProxyCard key={proxy.grantId} patientId={patientId} proxy={proxy} onNotice={setNotice} />
        ))}
      </ul>
    );

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('proxies.panel.title')}</h2>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {list}
      <h3>{t('proxies.setUp.heading')}</h3>
      <SetUpForm patientId={patientId} onNotice={setNotice} />
    </section>
  );
}
