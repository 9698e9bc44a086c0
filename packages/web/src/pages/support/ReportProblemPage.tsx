import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { supportLimits } from '@portico/shared';
import { errorMessage } from '../../api/client.ts';
import { fetchMyErrorReports, sendErrorReport, supportKeys } from '../../api/support.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { FieldFrame } from '../../components/FieldFrame.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { TextField } from '../../components/TextField.tsx';
import { LoadProblem } from '../../components/proxy-console/LoadProblem.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';
import './support.css';

const ids = { page: 'report-page', description: 'report-description', screenshot: 'report-screenshot' };

/** Whether the bytes start as a PNG or a JPEG does (the server checks the same, and decides). */
function looksLikeImage(bytes: Uint8Array): boolean {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const jpeg = [0xff, 0xd8, 0xff];
  return [png, jpeg].some((signature) => signature.every((b, i) => bytes[i] === b));
}

/** A file's bytes as base64, for the JSON body. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The page a person came from (the footer link passes it), without query or fragment; the home page otherwise. */
function pageFrom(state: unknown): string {
  const from = typeof state === 'object' && state !== null && 'from' in state ? state.from : null;
  return typeof from === 'string' && from.startsWith('/') ? from.split(/[?#]/)[0]!.slice(0, supportLimits.pageMaxLength) : '/';
}

/** The reporter's earlier reports, newest first, with support's answers. */
function MyReports() {
  const t = useT();
  const query = useQuery({ queryKey: supportKeys.myErrorReports, queryFn: fetchMyErrorReports });
  let body: ReactNode;
  if (query.isPending) body = <p role="status">{t('common.loading')}</p>;
  else if (query.isError) body = <LoadProblem error={query.error} onRetry={() => void query.refetch()} title="support.loadFailed" />;
  else if (query.data.reports.length === 0) body = <p className="empty-state">{t('support.report.none')}</p>;
  else
    body = (
      <ul className="plain-list">
        {query.data.reports.map((report) => (
          <li className="card" key={report.id}>
            <p className="muted">
              {t('support.received', { when: formatDateTime(report.createdAt) })} · <code>{report.page}</code>
            </p>
            <p className="messaging-text">{report.description}</p>
            {report.answer && report.answeredAt ? (
              <>
                <h3>{t('support.report.answer', { when: formatDateTime(report.answeredAt) })}</h3>
                <p className="messaging-text">{report.answer}</p>
              </>
            ) : (
              <p>{t('support.report.open', { when: formatDateTime(report.dueAt) })}</p>
            )}
          </li>
        ))}
      </ul>
    );
  return (
    <section aria-labelledby="my-reports-heading">
      <h2 id="my-reports-heading">{t('support.report.mine')}</h2>
      {body}
    </section>
  );
}

/**
 * `/support/report` (issue 12 §3; the seed: "take a screen shot and send to the MyPatients team"): a practice member
 * describes a problem, with the page it happened on and optionally a screenshot (PNG or JPEG, 2 MB), and reads their
 * earlier reports with the answers. Support answers within 2 business days.
 */
export function ReportProblemPage() {
  const t = useT();
  useDocumentTitle(t('support.report.title'));
  const location = useLocation();
  const queryClient = useQueryClient();
  const allowed = hasAbility(useSignedInUser(), 'practice.patients');
  const errors = useFormErrors();
  const fileInput = useRef<HTMLInputElement>(null);
  const [page, setPage] = useState(() => pageFrom(location.state));
  const [description, setDescription] = useState('');
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  if (!allowed) return <NotFoundPage />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSent(null);
    const file = fileInput.current?.files?.[0];
    const problems = description.trim() ? [] : [{ id: ids.description, message: t('support.report.descriptionRequired') }];
    if (file && file.size > supportLimits.screenshotMaxBytes)
      problems.push({ id: ids.screenshot, message: t('support.report.screenshotTooBig') });
    else if (file && !looksLikeImage(new Uint8Array(await file.slice(0, 8).arrayBuffer())))
      problems.push({ id: ids.screenshot, message: t('support.report.screenshotType') });
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const screenshot = file ? await base64Of(file) : undefined;
      const { report } = await sendErrorReport({
        page: page.trim() || '/',
        description: description.trim(),
        ...(screenshot ? { screenshot } : {}),
      });
      errors.clear();
      setDescription('');
      if (fileInput.current) fileInput.current.value = '';
      setSent(t('support.report.sent', { when: formatDateTime(report.dueAt) }));
      await queryClient.invalidateQueries({ queryKey: supportKeys.myErrorReports });
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page page--narrow">
      <h1>{t('support.report.title')}</h1>
      <p className="lede">{t('support.report.intro')}</p>
      {sent && <StatusMessage tone="success">{sent}</StatusMessage>}
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        <TextField
          id={ids.page}
          label={t('support.report.page')}
          hint={t('support.report.pageHint')}
          value={page}
          onValueChange={setPage}
          maxLength={supportLimits.pageMaxLength}
          autoComplete="off"
        />
        <TextAreaField
          id={ids.description}
          label={t('support.report.description')}
          hint={t('support.report.descriptionHint')}
          value={description}
          onValueChange={setDescription}
          error={errors.errorFor(ids.description)}
          maxLength={supportLimits.descriptionMaxLength}
        />
        <FieldFrame
          id={ids.screenshot}
          label={t('support.report.screenshot')}
          hint={t('support.report.screenshotHint')}
          error={errors.errorFor(ids.screenshot)}
        >
          {(aria) => <input ref={fileInput} id={ids.screenshot} type="file" className="input" accept="image/png,image/jpeg" {...aria} />}
        </FieldFrame>
        <button type="submit" className="button" disabled={pending}>
          {t('support.report.send')}
        </button>
      </form>
      <MyReports />
    </div>
  );
}
