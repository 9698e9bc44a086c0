import { Link } from 'react-router';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** Any path the app does not know. */
export function NotFoundPage() {
  const t = useT();
  useDocumentTitle(t('common.notFound.heading'));
  return (
    <div className="page page--narrow">
      <h1>{t('common.notFound.heading')}</h1>
      <p>{t('common.notFound.text')}</p>
      <p>
        <Link to="/">{t('common.notFound.home')}</Link>
      </p>
    </div>
  );
}
