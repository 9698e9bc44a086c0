import { useId } from 'react';
import type { ResultSummary } from '../api/types.ts';
import { formatDate } from '../lib/format.ts';

/** Props of the recent-results table. */
interface ResultsTableProps {
  /** Null when the viewer's role does not see clinical data (front desk, billing). */
  results: ResultSummary[] | null;
  level: 2 | 3;
  subject: 'self' | 'patient';
}

/** H and L flags in words; colour only repeats what the text says (WCAG 1.4.1). */
function FlagCell({ flag }: { flag: ResultSummary['flag'] }) {
  if (flag === 'H') {
    return (
      <span className="flag flag--high">
        <span aria-hidden="true">▲ </span>High
      </span>
    );
  }
  if (flag === 'L') {
    return (
      <span className="flag flag--low">
        <span aria-hidden="true">▼ </span>Low
      </span>
    );
  }
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">Not flagged</span>
    </>
  );
}

/** Recent lab results with value, unit, reference range, flag and date. */
export function ResultsTable({ results, level, subject }: ResultsTableProps) {
  const headingId = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="results" aria-labelledby={headingId}>
      <Heading id={headingId}>Recent results</Heading>
      {results === null ? (
        <p className="empty-state">Test results are not shown to your role.</p>
      ) : results.length === 0 ? (
        <p className="empty-state">
          {subject === 'self'
            ? 'You have no recent test results. Results show here once they are ready and released to you.'
            : 'This patient has no recent test results.'}
        </p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby={headingId} tabIndex={0}>
          <table className="table table--stack">
            <caption className="visually-hidden">Recent results, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Test</th>
                <th scope="col">Result</th>
                <th scope="col">Reference range</th>
                <th scope="col">Flag</th>
                <th scope="col">Date</th>
              </tr>
            </thead>
            <tbody>
              {results.map((result) => (
                <tr key={result.id} className={result.flag ? 'row--flagged' : undefined}>
                  <th scope="row">{result.name}</th>
                  <td data-label="Result">
                    {result.value}
                    {result.unit ? ` ${result.unit}` : ''}
                  </td>
                  <td data-label="Reference range">{result.referenceRange ?? <span className="muted">Not given</span>}</td>
                  <td data-label="Flag">
                    <FlagCell flag={result.flag} />
                  </td>
                  <td className="nowrap" data-label="Date">
                    {formatDate(result.effectiveAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
