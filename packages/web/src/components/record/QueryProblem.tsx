import { Link } from 'react-router';
import { errorMessage, isApiError } from '../../api/client.ts';

/** Props of a failed load's message. */
interface QueryProblemProps {
  error: unknown;
  /** What failed to load, e.g. "this visit". */
  what: string;
  onRetry: () => void;
  /** Where to go when the item does not exist (or is not the reader's to see). */
  back?: { to: string; label: string };
}

/** A load that failed: not found says so plainly (the server answers 404 for records the reader may not see); anything else offers a retry. */
export function QueryProblem({ error, what, onRetry, back }: QueryProblemProps) {
  if (isApiError(error, 'not_found')) {
    return (
      <div className="error-summary" role="alert">
        <p className="error-summary__title">We could not find {what}</p>
        <p className="error-summary__message">It may have been removed, or the link may be out of date.</p>
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
      <p className="error-summary__title">We could not load {what}</p>
      <p className="error-summary__message">{errorMessage(error)}</p>
      <button type="button" className="button button--secondary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
