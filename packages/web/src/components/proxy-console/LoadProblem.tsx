import { errorMessage } from '../../api/client.ts';
import type { MessageId } from '@portico/shared/i18n';
import { useT } from '../../i18n/i18n-context.ts';

/** A family-access list that did not load: what went wrong, an optional title, and a retry. */
export function LoadProblem({ error, onRetry, title }: { error: unknown; onRetry: () => void; title?: MessageId }) {
  const t = useT();
  return (
    <div className="error-summary" role="alert">
      {title && <p className="error-summary__title">{t(title)}</p>}
      <p className="error-summary__message">{errorMessage(error)}</p>
      <button type="button" className="button button--secondary" onClick={onRetry}>
        {t('proxies.console.tryAgain')}
      </button>
    </div>
  );
}
