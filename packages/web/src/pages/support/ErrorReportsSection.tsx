import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SupportErrorReportView } from '@portico/shared';
import { answerErrorReport, fetchOpenErrorReports, screenshotUrl, supportKeys } from '../../api/support.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { DueClock, QueueBody, runDecision } from './support-parts.tsx';

/**
 * The report's screenshot, served by the API with its own type, inline and nosniff; the same-origin URL carries the
 * session cookie (the page's CSP allows images from 'self' only).
 */
function Screenshot({ reportId }: { reportId: string }) {
  const t = useT();
  return (
    <figure className="support-screenshot">
      <img src={screenshotUrl(reportId)} alt={t('support.reports.screenshotAlt')} />
      <figcaption>{t('support.reports.screenshot')}</figcaption>
    </figure>
  );
}

/** One open report: who, the page, what happened, the screenshot, the clock, and the answer form. */
function ReportCard({ report, onDone }: { report: SupportErrorReportView; onDone: () => Promise<void> }) {
  const t = useT();
  const errors = useFormErrors();
  const [answer, setAnswer] = useState('');
  const [pending, setPending] = useState(false);
  const headingId = `report-${report.id}`;
  const answerId = `answer-${report.id}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!answer.trim()) {
      errors.show([{ id: answerId, message: t('support.reports.answerRequired') }]);
      return;
    }
    setPending(true);
    if (await runDecision(errors, () => answerErrorReport(report.id, answer.trim()))) await onDone();
    setPending(false);
  }

  return (
    <li className="card" aria-labelledby={headingId}>
      <h3 className="card__title" id={headingId} translate="no">
        {t('support.reports.from', { name: report.reporter.name, email: report.reporter.email })}
      </h3>
      {report.reporter.practiceName && <p>{t('support.reports.fromPractice', { name: report.reporter.practiceName })}</p>}
      <p>
        <code>{t('support.reports.page', { page: report.page })}</code>
      </p>
      <p className="muted">{t('support.received', { when: formatDateTime(report.createdAt) })}</p>
      <DueClock dueAt={report.dueAt} />
      <h4>{t('support.reports.description')}</h4>
      <p className="messaging-text">{report.description}</p>
      {report.screenshotType && <Screenshot reportId={report.id} />}
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        <TextAreaField
          id={answerId}
          label={t('support.reports.answer')}
          value={answer}
          onValueChange={setAnswer}
          error={errors.errorFor(answerId)}
          maxLength={4000}
        />
        <button type="submit" className="button" disabled={pending}>
          {t('support.reports.send')}
        </button>
      </form>
    </li>
  );
}

/** The open problem reports, oldest first, each with its 2-business-day clock. */
export function ErrorReportsSection() {
  const t = useT();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const query = useQuery({ queryKey: supportKeys.errorReports, queryFn: fetchOpenErrorReports });
  async function done() {
    setNotice(t('support.reports.answered'));
    await queryClient.invalidateQueries({ queryKey: supportKeys.errorReports });
  }
  return (
    <>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      <QueueBody query={query} items={query.data?.reports} empty="support.reports.empty">
        {(reports) => reports.map((report) => <ReportCard key={report.id} report={report} onDone={done} />)}
      </QueueBody>
    </>
  );
}
