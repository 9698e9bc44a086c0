import { useId, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { ResultDetail } from '@portico/shared';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useResult } from '../../components/record/record-queries.ts';
import { recordPaths, useRecordScope } from '../../components/record/record-scope.ts';
import { resultStatusLabel, resultStatusMeaningOf, roleLabel } from '../../components/record/record-text.ts';
import { RecordTable } from '../../components/record/RecordTable.tsx';
import { ResultFlag } from '../../components/record/ResultFlag.tsx';
import { HeldBadge, ResultValue } from '../../components/record/ResultList.tsx';
import { ResultStaffActions } from '../../components/record/ResultStaffActions.tsx';
import { TrendChart } from '../../components/record/TrendChart.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { formatDateTime, formatFhirDate } from '../../lib/format.ts';

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
        <p key={index} className="record-text">
          {paragraph}
        </p>
      ))}
    </>
  );
}

function When({ value }: { value: string | null }) {
  return <>{value ? formatFhirDate(value, { withTime: true }) : 'Not recorded'}</>;
}

/** The result's facts: value, range, interpretation, status in words, who ordered it and when. */
function Facts({ detail }: { detail: ResultDetail }) {
  const { result } = detail;
  const meaning = resultStatusMeaningOf(result.status);
  return (
    <dl className="details record-details">
      {result.kind === 'observation' && (
        <div>
          <dt>Result</dt>
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
          <dt>Reference range</dt>
          <dd>{result.referenceRange ?? 'Not given'}</dd>
        </div>
      )}
      {detail.interpretation && (
        <div>
          <dt>Interpretation</dt>
          <dd>{detail.interpretation}</dd>
        </div>
      )}
      <div>
        <dt>Status</dt>
        <dd>
          <strong>{resultStatusLabel(result.status)}</strong>
          {meaning && <span className="record-meta">{meaning}</span>}
        </dd>
      </div>
      <div>
        <dt>Ordered by</dt>
        <dd>{detail.orderedBy ?? 'Not recorded'}</dd>
      </div>
      {detail.performer && (
        <div>
          <dt>Performed by</dt>
          <dd>{detail.performer}</dd>
        </div>
      )}
      <div>
        <dt>Collected</dt>
        <dd>
          <When value={detail.collectedAt ?? result.effectiveAt} />
        </dd>
      </div>
      <div>
        <dt>Resulted</dt>
        <dd>
          <When value={detail.resultedAt} />
        </dd>
      </div>
    </dl>
  );
}

/** `/record/results/:resultId` and a chart's result: one result in full, its trend, report text, notes and comments; staff tools for staff. */
export function ResultDetailPage() {
  const scope = useRecordScope();
  useDocumentTitle(scope.audience === 'self' ? 'Test result' : 'Chart: test result');
  const { resultId = '' } = useParams();
  const query = useResult(scope.patientId, resultId);
  const back = { to: recordPaths.results(scope), label: 'All test results' };
  const isSelf = scope.audience === 'self';

  if (!query.data) {
    return (
      <div className="page">
        <h1>Test result</h1>
        {query.isError ? (
          <QueryProblem error={query.error} what="this result" onRetry={() => void query.refetch()} back={back} />
        ) : (
          <p role="status">Loading the result…</p>
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
        {result.name}
        {!isSelf && result.held && <HeldBadge />}
      </h1>
      <Facts detail={detail} />

      {trend && trend.points.length > 0 && (
        <Part title="Trend">
          <TrendChart name={result.name} trend={trend} currentId={result.id} />
        </Part>
      )}

      {report && (
        <Part title="Report">
          {report.conclusion && (
            <>
              <h3>Conclusion</h3>
              <Paragraphs text={report.conclusion} />
            </>
          )}
          {report.text && (
            <>
              <h3>Full report</h3>
              <div className="report-text">
                <Paragraphs text={report.text} />
              </div>
            </>
          )}
          {!report.conclusion && !report.text && report.members.length === 0 && <p className="empty-state">No report text yet.</p>}
          {report.members.length > 0 && (
            <>
              <h3>Results in this report</h3>
              <RecordTable caption="Results in this report">
                <thead>
                  <tr>
                    <th scope="col">Test</th>
                    <th scope="col">Result</th>
                    <th scope="col">Reference range</th>
                    <th scope="col">Flag</th>
                  </tr>
                </thead>
                <tbody>
                  {report.members.map((member) => (
                    <tr key={member.id} className={member.flag ? 'row--flagged' : undefined}>
                      <th scope="row">
                        <Link to={recordPaths.result(scope, member.id)}>{member.name}</Link>
                      </th>
                      <td data-label="Result">
                        <ResultValue result={member} />
                      </td>
                      <td data-label="Reference range">{member.referenceRange ?? <span className="muted">Not given</span>}</td>
                      <td data-label="Flag">
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
        <Part title="Notes from the lab">
          {notes.map((note, index) => (
            <Paragraphs key={index} text={note} />
          ))}
        </Part>
      )}

      <Part title={isSelf ? 'Comments from your care team' : 'Comments for the patient'}>
        {comments.length === 0 ? (
          <p className="empty-state">{isSelf ? 'No comments from your care team yet.' : 'No comments yet.'}</p>
        ) : (
          <ul className="plain-list comment-list">
            {comments.map((comment) => (
              <li key={comment.id} className="comment">
                <p className="comment__author">
                  {comment.authorName}, {roleLabel(comment.authorRole)}
                  <span className="record-meta">{formatDateTime(comment.createdAt)}</span>
                </p>
                <Paragraphs text={comment.text} />
              </li>
            ))}
          </ul>
        )}
      </Part>

      {!isSelf && <ResultStaffActions patientId={scope.patientId} resultId={result.id} detail={detail} />}
    </div>
  );
}
