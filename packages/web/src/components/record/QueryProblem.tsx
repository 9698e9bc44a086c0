import { Link } from 'react-router';
import { errorMessage, isApiError } from '../../api/client.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** Props of a failed load's message. */
interface QueryProblemProps {
  error: unknown;
  /** What failed to load, in the page's language, e.g. "this visit" (t('record.what.visit')). */
  what: string;
  onRetry: () => void;
  /** Where to go when the item does not exist (or is not the reader's to see); the label in the page's language. */
  back?: { to: string; label: string };
}

/** A load that failed: not found says so plainly (the server answers 404 for records the reader may not see); anything else offers a retry. */
export function QueryProblem({ error, what, onRetry, back }: QueryProblemProps) {
  const t = useT();
  if (isApiError(error, 'not_found')) {
    return (
      <div className="error-summary" role="alert">
        <p className="error-summary__title">{t('record.problem.notFound', { what })}</p>
        <p className="error-summary__message">{t('record.problem.notFoundText')}</p>
        {back && (
          <p className="error-summary__message">
            <Link to={back.to}>{back.label}</Link>
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="error-summary" role="alert">
      <p className="error-summary__title">{t('record.problem.notLoaded', { what })}</p>
      <p className="error-summary__message">{errorMessage(error)}</p>
      <button type="button" className="button button--secondary" onClick={onRetry}>
        {t('record.problem.tryAgain')}
      </button>
    </div>
  );
}
