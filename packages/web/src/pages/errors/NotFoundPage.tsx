import { Link } from 'react-router';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';

/** Any path the app does not know. */
export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <div className="page page--narrow">
      <h1>Page not found</h1>
      <p>There is no page at this address. If you typed it, check the spelling; if you followed a link, it may be out of date.</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </div>
  );
}
