import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { errorMessage, isApiError } from '../../api/client.ts';
import { downloadSharedRecord, openSharedRecord, type SharedRecord } from '../../api/share-links.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { HealthSummarySections } from '../../components/record/HealthSummarySections.tsx';
import { RecordTable } from '../../components/record/RecordTable.tsx';
import { ResultFlag } from '../../components/record/ResultFlag.tsx';
import { RecordScopeContext, type RecordScope } from '../../components/record/record-scope.ts';
import { saveFile } from '../../components/record/save-file.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { useFragmentToken } from '../../lib/url-fragment.ts';
import '../../components/share/share.css';

/** The summary as a link's reader sees it: read-only, read as the care team would ("this patient"), no links out. */
const sharedScope: RecordScope = { patientId: '', audience: 'staff', base: '/shared' };

type Summary = Extract<SharedRecord, { scope: 'summary' }>;

/**
 * /shared#token=…: a record someone shared (issue 11 §2), opened without signing in. The token is read from the
 * fragment and dropped from the address bar at once; the passcode, given apart, opens a read-only summary or the PDF.
 * Nothing is kept in the browser: leaving the page forgets the record.
 */
export function SharedRecordPage() {
  const t = useT();
  useDocumentTitle(t('share.open.title'));
  const token = useFragmentToken();
  const passcodeId = useId();
  const [passcode, setPasscode] = useState('');
  const [pending, setPending] = useState(false);
  const [record, setRecord] = useState<SharedRecord | null>(null);
  const [gone, setGone] = useState(false);
  const [downloadProblem, setDownloadProblem] = useState<string | null>(null);
  const [downloaded, setDownloaded] = useState(false);
  const errors = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!token || pending) return;
    if (!passcode.trim()) {
      errors.show([{ id: passcodeId, message: t('share.open.passcodeRequired') }]);
      return;
    }
    setPending(true);
    try {
      setRecord(await openSharedRecord(token, passcode));
      errors.clear();
    } catch (error) {
      if (isApiError(error, 'not_found')) setGone(true);
      else if (isApiError(error, 'wrong_passcode', 'validation_failed')) errors.show([{ id: passcodeId, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  async function download() {
    if (!token || pending) return;
    setPending(true);
    setDownloadProblem(null);
    try {
      saveFile(await downloadSharedRecord(token, passcode, 'health-record.pdf'));
      setDownloaded(true);
    } catch (error) {
      if (isApiError(error, 'not_found')) setGone(true);
      else setDownloadProblem(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  if (!token || gone) {
    return (
      <div className="page page--narrow">
        <h1>{t('share.open.title')}</h1>
        <div className="error-summary" role="alert">
          <p className="error-summary__title">{t('share.open.unavailable')}</p>
          <p className="error-summary__message">{token ? t('share.open.unavailableHint') : t('share.open.incomplete')}</p>
        </div>
      </div>
    );
  }

  if (record?.scope === 'summary') return <SharedSummary record={record} />;

  if (record?.scope === 'download') {
    return (
      <div className="page page--narrow">
        <FocusedHeading>{t('share.open.title')}</FocusedHeading>
        <p>{t('share.open.downloadIntro', { organization: record.organizationName, date: formatDate(record.expiresAt) })}</p>
        {downloadProblem && (
          <div className="error-summary" role="alert">
            <p className="error-summary__message">{downloadProblem}</p>
          </div>
        )}
        {downloaded && <StatusMessage tone="success">{t('share.open.downloaded')}</StatusMessage>}
        <p>
          <button type="button" className="button" onClick={() => void download()} disabled={pending}>
            {pending ? t('share.open.downloading') : t('share.open.download')}
          </button>
        </p>
      </div>
    );
  }

  return (
    <div className="page page--narrow">
      <h1>{t('share.open.title')}</h1>
      <p>{t('share.open.intro')}</p>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        <TextField
          id={passcodeId}
          label={t('share.open.passcode')}
          hint={t('share.open.passcodeHint')}
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          value={passcode}
          onValueChange={setPasscode}
          error={errors.errorFor(passcodeId)}
        />
        <button type="submit" className="button" disabled={pending}>
          {pending ? t('share.open.opening') : t('share.open.submit')}
        </button>
      </form>
    </div>
  );
}

/** A page heading that takes focus when it appears, so a screen reader starts at the new content. */
function FocusedHeading({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** The read-only summary: who, as of when, the health summary's sections and the newest results. */
function SharedSummary({ record }: { record: Summary }) {
  const t = useT();
  // No links out: a link's reader has no visit pages to go to.
  const summary = { ...record.summary, problems: record.summary.problems.map((p) => ({ ...p, visitId: null })) };
  return (
    <div className="page">
      <FocusedHeading>{t('share.summary.title', { name: record.patient.name })}</FocusedHeading>
      <dl className="shared-record__facts">
        <div>
          <dt>{t('share.summary.birthDate')}</dt>
          <dd>{formatDate(record.patient.birthDate)}</dd>
        </div>
        <div>
          <dt>{t('share.summary.from')}</dt>
          <dd>{record.organizationName}</dd>
        </div>
        <div>
          <dt>{t('share.summary.generatedAt')}</dt>
          <dd>{formatDateTime(record.generatedAt)}</dd>
        </div>
      </dl>
      <StatusMessage>{t('share.summary.notice', { date: formatDate(record.expiresAt) })}</StatusMessage>
      <RecordScopeContext.Provider value={sharedScope}>
        <HealthSummarySections summary={summary} />
      </RecordScopeContext.Provider>
      <section aria-labelledby="shared-results-heading">
        <h2 id="shared-results-heading">{t('share.summary.results')}</h2>
        {record.results.length === 0 ? (
          <p>{t('share.summary.noResults')}</p>
        ) : (
          <RecordTable caption={t('share.summary.resultsCaption')}>
            <thead>
              <tr>
                <th scope="col">{t('share.summary.resultColumn')}</th>
                <th scope="col">{t('share.summary.valueColumn')}</th>
                <th scope="col">{t('share.summary.rangeColumn')}</th>
                <th scope="col">{t('share.summary.dateColumn')}</th>
              </tr>
            </thead>
            <tbody>
              {record.results.map((result) => (
                <tr key={result.id}>
                  <th scope="row" translate="no">
                    {result.name}
                  </th>
                  <td data-label={t('share.summary.valueColumn')}>
                    {result.value ? `${result.value}${result.unit ? ` ${result.unit}` : ''}` : '—'} <ResultFlag flag={result.flag} />
                  </td>
                  <td data-label={t('share.summary.rangeColumn')}>{result.referenceRange ?? '—'}</td>
                  <td data-label={t('share.summary.dateColumn')}>{result.effectiveAt ? formatDate(result.effectiveAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </RecordTable>
        )}
      </section>
    </div>
  );
}
