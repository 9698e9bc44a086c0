import { useId, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { ResultDetail } from '@portico/shared';
import { CodeLabel } from '../../components/record/CodeLabel.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useResult } from '../../components/record/record-queries.ts';
import { recordPaths, useRecordScope } from '../../components/record/record-scope.ts';
import { resultStatusMeaningOf, resultStatusWords, roleLabel } from '../../components/record/record-text.ts';
import { RecordTable } from '../../components/record/RecordTable.tsx';
import { ResultFlag } from '../../components/record/ResultFlag.tsx';
import { HeldBadge, ResultValue } from '../../components/record/ResultList.tsx';
import { ResultStaffActions } from '../../components/record/ResultStaffActions.tsx';
import { TrendChart } from '../../components/record/TrendChart.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime, formatFhirDate } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';

/** A headed part of the result page. */
function Part({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="record-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

/** Free text as paragraphs: blank lines separate them, single line breaks are kept (imaging reports read as written). */
function Paragraphs({ text }: { text: string }) {
  const paragraphs = text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <>
      {paragraphs.map((paragraph, index) => (
        <p key={index} className="record-text" translate="no">
          {paragraph}
        </p>
      ))}
    </>
  );
}

function When({ value }: { value: string | null }) {
  const t = useT();
  return <>{value ? formatFhirDate(value, { withTime: true }) : t('record.notRecorded')}</>;
}

/** A value from the record, marked as the record's text, or "Not recorded". */
function Recorded({ value }: { value: string | null }) {
  const t = useT();
  return value ? <span translate="no">{value}</span> : <>{t('record.notRecorded')}</>;
}

/** The result's facts: value, range, interpretation, status in words, who ordered it and when. */
function Facts({ detail }: { detail: ResultDetail }) {
  const t = useT();
  const { result } = detail;
  const meaning = resultStatusMeaningOf(t, result.status);
  return (
    <dl className="details record-details">
      {result.kind === 'observation' && (
        <div>
          <dt>{t('record.column.result')}</dt>
          <dd>
            <span className="result-value">
              <ResultValue result={result} />
            </span>{' '}
            <ResultFlag flag={result.flag} />
          </dd>
        </div>
      )}
      {result.kind === 'observation' && (
        <div>
          <dt>{t('record.column.referenceRange')}</dt>
          <dd>{result.referenceRange ? <span translate="no">{result.referenceRange}</span> : t('record.notGiven')}</dd>
        </div>
      )}
      {detail.interpretation && (
        <div>
          <dt>{t('record.result.interpretation')}</dt>
          <dd translate="no">{detail.interpretation}</dd>
        </div>
      )}
      <div>
        <dt>{t('record.column.status')}</dt>
        <dd>
          <strong>
            <CodeLabel words={resultStatusWords} code={result.status} />
          </strong>
          {meaning && <span className="record-meta">{meaning}</span>}
        </dd>
      </div>
      <div>
        <dt>{t('record.result.orderedBy')}</dt>
        <dd>
          <Recorded value={detail.orderedBy} />
        </dd>
      </div>
      {detail.performer && (
        <div>
          <dt>{t('record.result.performedBy')}</dt>
          <dd translate="no">{detail.performer}</dd>
        </div>
      )}
      <div>
        <dt>{t('record.result.collected')}</dt>
        <dd>
          <When value={detail.collectedAt ?? result.effectiveAt} />
        </dd>
      </div>
      <div>
        <dt>{t('record.result.resulted')}</dt>
        <dd>
          <When value={detail.resultedAt} />
        </dd>
      </div>
    </dl>
  );
}

/** `/record/results/:resultId` and a chart's result: one result in full, its trend, report text, notes and comments; staff tools for staff. */
export function ResultDetailPage() {
  const t = useT();
  const scope = useRecordScope();
  useDocumentTitle(scope.audience === 'self' ? t('record.result.title') : t('record.result.chartTitle'));
  const { resultId = '' } = useParams();
  const query = useResult(scope.patientId, resultId);
  const back = { to: recordPaths.results(scope), label: t('record.result.back') };
  const isSelf = scope.audience === 'self';
  const user = useSignedInUser();

  if (!query.data) {
    return (
      <div className="page">
        <h1>{t('record.result.title')}</h1>
        {query.isError ? (
          <QueryProblem error={query.error} what={t('record.what.result')} onRetry={() => void query.refetch()} back={back} />
        ) : (
          <p role="status">{t('record.result.loading')}</p>
        )}
      </div>
    );
  }

  const detail = query.data;
  const { result, report, trend, notes, comments } = detail;
  return (
    <div className="page">
      <p className="back-link">
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1>
        <span translate="no">{result.name}</span>
        {!isSelf && result.held && <HeldBadge />}
      </h1>
      <Facts detail={detail} />

      {trend && trend.points.length > 0 && (
        <Part title={t('record.result.trend')}>
          <TrendChart name={result.name} trend={trend} currentId={result.id} />
        </Part>
      )}

      {report && (
        <Part title={t('record.result.report')}>
          {report.conclusion && (
            <>
              <h3>{t('record.result.conclusion')}</h3>
              <Paragraphs text={report.conclusion} />
            </>
          )}
          {report.text && (
            <>
              <h3>{t('record.result.fullReport')}</h3>
              <div className="report-text">
                <Paragraphs text={report.text} />
              </div>
            </>
          )}
          {!report.conclusion && !report.text && report.members.length === 0 && (
            <p className="empty-state">{t('record.result.noReportText')}</p>
          )}
          {report.members.length > 0 && (
            <>
              <h3>{t('record.result.members')}</h3>
              <RecordTable caption={t('record.result.members')}>
                <thead>
                  <tr>
                    <th scope="col">{t('record.column.test')}</th>
                    <th scope="col">{t('record.column.result')}</th>
                    <th scope="col">{t('record.column.referenceRange')}</th>
                    <th scope="col">{t('record.column.flag')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.members.map((member) => (
                    <tr key={member.id} className={member.flag ? 'row--flagged' : undefined}>
                      <th scope="row">
                        <Link to={recordPaths.result(scope, member.id)} translate="no">
                          {member.name}
                        </Link>
                      </th>
                      <td data-label={t('record.column.result')}>
                        <ResultValue result={member} />
                      </td>
                      <td data-label={t('record.column.referenceRange')}>
                        {member.referenceRange ? (
                          <span translate="no">{member.referenceRange}</span>
                        ) : (
                          <span className="muted">{t('record.notGiven')}</span>
                        )}
                      </td>
                      <td data-label={t('record.column.flag')}>
                        <ResultFlag flag={member.flag} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </RecordTable>
            </>
          )}
        </Part>
      )}

      {notes.length > 0 && (
        <Part title={t('record.result.labNotes')}>
          {notes.map((note, index) => (
            <Paragraphs key={index} text={note} />
          ))}
        </Part>
      )}

      <Part title={isSelf ? t('record.comments.titleSelf') : t('record.comments.title')}>
        {comments.length === 0 ? (
          <p className="empty-state">{isSelf ? t('record.comments.emptySelf') : t('record.comments.empty')}</p>
        ) : (
          <ul className="plain-list comment-list">
            {comments.map((comment) => (
              <li key={comment.id} className="comment">
                <p className="comment__author">
                  <span translate="no">{comment.authorName}</span>, {roleLabel(comment.authorRole, t)}
                  <span className="record-meta">{formatDateTime(comment.createdAt)}</span>
                </p>
                <Paragraphs text={comment.text} />
              </li>
            ))}
          </ul>
        )}
      </Part>

      {/* Holds and comments are the care team's tools: never shown to an outside practice reading the chart. */}
      {!isSelf && hasAbility(user, 'clinical.read') && (
        <ResultStaffActions patientId={scope.patientId} resultId={result.id} detail={detail} />
      )}
    </div>
  );
}
