import type { ResultSummary } from '../api/types.ts';
import { useT } from '../i18n/i18n-context.ts';
import { formatDate } from '../lib/format.ts';

/** Props of the recent-results table. */
interface ResultsTableProps {
  results: ResultSummary[];
  /** Extra class for the table (the dashboard's narrower layout). */
  className?: string;
}

/** H and L flags in words; colour only repeats what the text says (WCAG 1.4.1). */
function FlagCell({ flag }: { flag: ResultSummary['flag'] }) {
  const t = useT();
  if (flag === 'H') {
    return (
      <span className="flag flag--high">
        <span aria-hidden="true">▲ </span>
        {t('home.results.high')}
      </span>
    );
  }
  if (flag === 'L') {
    return (
      <span className="flag flag--low">
        <span aria-hidden="true">▼ </span>
        {t('home.results.low')}
      </span>
    );
  }
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">{t('home.results.notFlagged')}</span>
    </>
  );
}

/**
 * Recent lab results with value, unit, reference range, flag and date: a table that stacks into labelled lines in a
 * narrow column. No region of its own, so a page may place it under any heading without a duplicate landmark.
 */
export function ResultsTable({ results, className }: ResultsTableProps) {
  const t = useT();
  return (
    <table className={['table table--stack', className].filter(Boolean).join(' ')}>
      <caption className="visually-hidden">{t('home.results.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('home.results.test')}</th>
          <th scope="col">{t('home.results.result')}</th>
          <th scope="col">{t('home.results.referenceRange')}</th>
          <th scope="col">{t('home.results.flag')}</th>
          <th scope="col">{t('home.results.date')}</th>
        </tr>
      </thead>
      <tbody>
        {results.map((result) => (
          <tr key={result.id} className={result.flag ? 'row--flagged' : undefined}>
            <th scope="row" translate="no">
              {result.name}
            </th>
            <td data-label={t('home.results.result')} translate="no">
              {result.value}
              {result.unit ? ` ${result.unit}` : ''}
            </td>
            <td data-label={t('home.results.referenceRange')}>
              {result.referenceRange ? (
                <span translate="no">{result.referenceRange}</span>
              ) : (
                <span className="muted">{t('home.results.notGiven')}</span>
              )}
            </td>
            <td data-label={t('home.results.flag')}>
              <FlagCell flag={result.flag} />
            </td>
            <td className="nowrap" data-label={t('home.results.date')}>
              {formatDate(result.effectiveAt)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
