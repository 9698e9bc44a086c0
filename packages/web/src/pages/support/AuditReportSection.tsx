import { useState, type FormEvent } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { AuditReportFilter } from '@portico/shared';
import { errorMessage } from '../../api/client.ts';
import { downloadAuditReport, fetchAuditReport, fetchSupportPractices, supportKeys } from '../../api/support.ts';
import { FieldFrame } from '../../components/FieldFrame.tsx';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { TextField } from '../../components/TextField.tsx';
import { saveFile } from '../../components/record/save-file.ts';
import { LoadProblem } from '../../components/proxy-console/LoadProblem.tsx';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';

const ids = { practiceId: 'audit-practice', userId: 'audit-user', from: 'audit-from', to: 'audit-to' };

/** Today and 30 days ago, as the form's first period. */
function defaultPeriod(): { from: string; to: string } {
  const today = new Date();
  const from = new Date(today.getTime() - 30 * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: today.toISOString().slice(0, 10) };
}

/** The report's table, page by page, with "Show more". */
function ReportTable({ filter }: { filter: AuditReportFilter }) {
  const t = useT();
  const query = useInfiniteQuery({
    queryKey: supportKeys.audit(filter),
    queryFn: ({ pageParam }) => fetchAuditReport(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (query.isPending) return <p role="status">{t('common.loading')}</p>;
  if (query.isError) return <LoadProblem error={query.error} onRetry={() => void query.refetch()} title="support.loadFailed" />;
  const entries = query.data.pages.flatMap((page) => page.entries);
  if (entries.length === 0) return <p className="empty-state">{t('support.audit.empty')}</p>;
  return (
    <>
      <div className="support-table-wrap">
        <table className="table">
          <caption>{t('support.audit.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('support.audit.column.when')}</th>
              <th scope="col">{t('support.audit.column.who')}</th>
              <th scope="col">{t('support.audit.column.role')}</th>
              <th scope="col">{t('support.audit.column.practice')}</th>
              <th scope="col">{t('support.audit.column.patient')}</th>
              <th scope="col">{t('support.audit.column.mrn')}</th>
              <th scope="col">{t('support.audit.column.action')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>{formatDateTime(entry.at)}</td>
                <td translate="no">{entry.who.name}</td>
                <td>{t(`support.audit.role.${entry.who.role}`)}</td>
                <td translate="no">{entry.who.practiceName ?? ''}</td>
                <td translate="no">{entry.patient.name}</td>
                <td>{entry.patient.mrn}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {query.hasNextPage && (
        <button
          type="button"
          className="button button--secondary"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {t('support.audit.more')}
        </button>
      )}
    </>
  );
}

/** The audit report: a period (at most 366 days), optionally a practice or a person; the table and the CSV. */
export function AuditReportSection() {
  const t = useT();
  const errors = useFormErrors();
  const [draft, setDraft] = useState({ practiceId: '', userId: '', ...defaultPeriod() });
  const [filter, setFilter] = useState<AuditReportFilter | null>(null);
  const [downloading, setDownloading] = useState(false);
  const practices = useQuery({ queryKey: supportKeys.practices, queryFn: fetchSupportPractices });
  const people = (practices.data?.practices ?? [])
    .filter((p) => !draft.practiceId || p.id === draft.practiceId)
    .flatMap((p) => p.members)
    .filter((m, i, all) => all.findIndex((o) => o.userId === m.userId) === i);

  function filterOf(): AuditReportFilter | null {
    if (!draft.from || !draft.to) {
      errors.show([
        ...(draft.from ? [] : [{ id: ids.from, message: t('support.audit.datesRequired') }]),
        ...(draft.to ? [] : [{ id: ids.to, message: t('support.audit.datesRequired') }]),
      ]);
      return null;
    }
    errors.clear();
    return {
      from: draft.from,
      to: draft.to,
      ...(draft.practiceId.trim() ? { practiceId: draft.practiceId.trim() } : {}),
      ...(draft.userId.trim() ? { userId: draft.userId.trim() } : {}),
    };
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = filterOf();
    if (next) setFilter(next);
  }

  async function download() {
    const next = filterOf();
    if (!next) return;
    setDownloading(true);
    try {
      saveFile(await downloadAuditReport(next));
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setDownloading(false);
    }
  }

  return (
    <>
      <p>{t('support.audit.intro')}</p>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary errors={errors} />
        <TextField
          id={ids.from}
          type="date"
          label={t('support.audit.from')}
          value={draft.from}
          onValueChange={(from) => setDraft({ ...draft, from })}
          error={errors.errorFor(ids.from)}
        />
        <TextField
          id={ids.to}
          type="date"
          label={t('support.audit.to')}
          value={draft.to}
          onValueChange={(to) => setDraft({ ...draft, to })}
          error={errors.errorFor(ids.to)}
        />
        <FieldFrame id={ids.practiceId} label={t('support.audit.practice')}>
          {(aria) => (
            <select
              id={ids.practiceId}
              className="input"
              value={draft.practiceId}
              onChange={(event) => setDraft({ ...draft, practiceId: event.target.value, userId: '' })}
              {...aria}
            >
              <option value="">{t('support.audit.allPractices')}</option>
              {(practices.data?.practices ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
        <FieldFrame id={ids.userId} label={t('support.audit.person')}>
          {(aria) => (
            <select
              id={ids.userId}
              className="input"
              value={draft.userId}
              onChange={(event) => setDraft({ ...draft, userId: event.target.value })}
              {...aria}
            >
              <option value="">{t('support.audit.everyone')}</option>
              {people.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {`${m.name} (${t(`support.audit.role.${m.role}`)})`}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
        <div className="button-row">
          <button type="submit" className="button">
            {t('support.audit.run')}
          </button>
          <button type="button" className="button button--secondary" disabled={downloading} onClick={() => void download()}>
            {t('support.audit.download')}
          </button>
        </div>
      </form>
      {filter && <ReportTable filter={filter} />}
    </>
  );
}
