import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProxyRequestRelationship } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { cancelProxyRequest, fetchOwnRequests, proxyConsoleKeys, sendProxyRequest, type OwnRequest } from '../../api/proxy-console.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate, formatDate } from '../../lib/format.ts';
import { LoadProblem } from '../../components/proxy-console/LoadProblem.tsx';

const relationships: readonly ProxyRequestRelationship[] = ['parent', 'legal_guardian'];

/** The request form: the child's names and birth date as the parent knows them, the relationship, and a note. */
function RequestForm({ onSent }: { onSent: (text: string) => void }) {
  const t = useT();
  const baseId = useId();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const ids = {
    childGivenName: `${baseId}-given`,
    childFamilyName: `${baseId}-family`,
    childBirthDate: `${baseId}-birth`,
    relationship: `${baseId}-rel-parent`,
    note: `${baseId}-note`,
  };
  const [form, setForm] = useState({ childGivenName: '', childFamilyName: '', childBirthDate: '', note: '' });
  const [relationship, setRelationship] = useState<ProxyRequestRelationship | ''>('');
  const [pending, setPending] = useState(false);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const problems: FieldError[] = [];
    if (!form.childGivenName.trim()) problems.push({ id: ids.childGivenName, message: t('proxies.errors.givenNameRequired') });
    if (!form.childFamilyName.trim()) problems.push({ id: ids.childFamilyName, message: t('proxies.errors.familyNameRequired') });
    if (!form.childBirthDate) problems.push({ id: ids.childBirthDate, message: t('proxies.errors.birthDateRequired') });
    if (!relationship) problems.push({ id: ids.relationship, message: t('proxies.errors.relationshipRequired') });
    if (problems.length > 0 || !relationship) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      await sendProxyRequest({
        childGivenName: form.childGivenName.trim(),
        childFamilyName: form.childFamilyName.trim(),
        childBirthDate: form.childBirthDate,
        relationship,
        ...(form.note.trim() ? { note: form.note.trim() } : {}),
      });
      await queryClient.invalidateQueries({ queryKey: proxyConsoleKeys.own() });
      errors.clear();
      setForm({ childGivenName: '', childFamilyName: '', childBirthDate: '', note: '' });
      setRelationship('');
      onSent(t('proxies.request.sent'));
    } catch (error) {
      const field = isApiError(error) ? error.field : undefined;
      const id = field && field in ids ? ids[field as keyof typeof ids] : null;
      if (id) errors.show([{ id, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  const relationshipError = errors.errorFor(ids.relationship);
  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      <TextField
        id={ids.childGivenName}
        label={t('proxies.request.givenName')}
        autoComplete="off"
        maxLength={100}
        value={form.childGivenName}
        onValueChange={set('childGivenName')}
        error={errors.errorFor(ids.childGivenName)}
      />
      <TextField
        id={ids.childFamilyName}
        label={t('proxies.request.familyName')}
        autoComplete="off"
        maxLength={100}
        value={form.childFamilyName}
        onValueChange={set('childFamilyName')}
        error={errors.errorFor(ids.childFamilyName)}
      />
      <TextField
        id={ids.childBirthDate}
        type="date"
        label={t('proxies.request.birthDate')}
        value={form.childBirthDate}
        onValueChange={set('childBirthDate')}
        error={errors.errorFor(ids.childBirthDate)}
      />
      <fieldset className={relationshipError ? 'fieldset field--error' : 'fieldset'}>
        <legend>{t('proxies.request.relationship')}</legend>
        {relationshipError && (
          <p className="field__error" id={`${baseId}-rel-error`}>
            <span className="visually-hidden">{t('common.errorPrefix')}</span>
            {relationshipError}
          </p>
        )}
        {relationships.map((value) => (
          <div className="radio" key={value}>
            <input
              type="radio"
              id={`${baseId}-rel-${value}`}
              name={`${baseId}-rel`}
              checked={relationship === value}
              onChange={() => setRelationship(value)}
              aria-invalid={relationshipError ? true : undefined}
              aria-describedby={relationshipError ? `${baseId}-rel-error` : undefined}
            />
            <label htmlFor={`${baseId}-rel-${value}`}>{t(`proxies.relationship.${value}`)}</label>
          </div>
        ))}
      </fieldset>
      <TextAreaField
        id={ids.note}
        label={t('proxies.request.note')}
        value={form.note}
        maxLength={500}
        rows={3}
        onValueChange={set('note')}
        error={errors.errorFor(ids.note)}
      />
      <button type="submit" className="button" disabled={pending}>
        {t('proxies.request.submit')}
      </button>
    </form>
  );
}

/** One of the person's requests: the child, when it was sent, where it stands, the care team's reason for a denial. */
function OwnRequestItem({ request, onNotice }: { request: OwnRequest; onNotice: (text: string) => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function cancel() {
    setPending(true);
    try {
      await cancelProxyRequest(request.id);
      await queryClient.invalidateQueries({ queryKey: proxyConsoleKeys.own() });
      onNotice(t('proxies.mine.cancelled'));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <li className="card">
      <h3 className="card__title" translate="no">
        {t('proxies.mine.child', {
          given: request.childGivenName,
          family: request.childFamilyName,
          birthDate: formatBirthDate(request.childBirthDate),
        })}
      </h3>
      <p>
        <strong>{t(`proxies.status.${request.status}`)}</strong> · {t('proxies.mine.sentOn', { date: formatDate(request.createdAt) })}
      </p>
      {request.status === 'denied' && request.reason && <p>{t('proxies.mine.reason', { reason: request.reason })}</p>}
      {request.status === 'approved' && <p>{t('proxies.mine.approvedHint')}</p>}
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      {request.status === 'pending' && (
        <button type="button" className="button button--secondary" disabled={pending} onClick={() => void cancel()}>
          {t('proxies.mine.cancel')}
        </button>
      )}
    </li>
  );
}

/**
 * `/account/request-access`: a parent asks for access to a child's record (issue 11 §1) and follows their requests:
 * waiting, approved (the child then appears among the people they help), denied with the care team's reason, or
 * cancelled.
 */
export function RequestAccessPage() {
  const t = useT();
  useDocumentTitle(t('proxies.request.title'));
  const mineId = useId();
  const mineHeading = useRef<HTMLHeadingElement>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const query = useQuery({ queryKey: proxyConsoleKeys.own(), queryFn: fetchOwnRequests });

  function announce(text: string) {
    setNotice(text);
    mineHeading.current?.focus();
  }

  let mine: ReactNode;
  if (query.isPending) mine = <p role="status">{t('proxies.mine.loading')}</p>;
  else if (query.isError) mine = <LoadProblem error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.requests.length === 0) mine = <p className="empty-state">{t('proxies.mine.empty')}</p>;
  else
    mine = (
      <ul className="plain-list">
        {query.data.requests.map((request) => (
          <OwnRequestItem key={request.id} request={request} onNotice={announce} />
        ))}
      </ul>
    );

  return (
    <div className="page page--narrow">
      <h1>{t('proxies.request.title')}</h1>
      <p className="lede">{t('proxies.request.lede')}</p>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      <RequestForm onSent={announce} />
      <section className="section" aria-labelledby={mineId}>
        <h2 id={mineId} ref={mineHeading} tabIndex={-1}>
          {t('proxies.mine.heading')}
        </h2>
        {mine}
      </section>
    </div>
  );
}
