import { Link } from 'react-router';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { useT } from '../i18n/i18n-context.ts';

/** A section of someone else's record the person's proxy access does not include (the navigation does not offer it). */
export function NotShared({ name }: { name: string }) {
  const t = useT();
  useDocumentTitle(t('nav.actingFor.notShared.title'));
  return (
    <div className="page page--narrow">
      <h1>{t('nav.actingFor.notShared.title')}</h1>
      <p>{t('nav.actingFor.notShared.text', { name })}</p>
      <p>
        <Link to="/">{t('nav.actingFor.notShared.home')}</Link>
      </p>
    </div>
  );
}
