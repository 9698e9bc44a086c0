import { useQuery } from '@tanstack/react-query';
import { fetchPortalRules, portalRulesKey } from '../../api/portal-rules.ts';
import { PortalRulesForm } from '../../components/admin/PortalRulesForm.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/**
 * `/admin/portal-rules` (with 'organization.settings'): from what age patients have their own portal account, and
 * whether nurses mark patients arrived (issue 11 §1, issue 10 §5.7).
 */
export function PortalRulesPage() {
  const t = useT();
  const allowed = hasAbility(useSignedInUser(), 'organization.settings');
  useDocumentTitle(t('admin.portalRules.title'));
  const query = useQuery({ queryKey: portalRulesKey, queryFn: fetchPortalRules, enabled: allowed });
  if (!allowed) return <NotFoundPage />;

  return (
    <div className="page page--narrow">
      <h1>{t('admin.portalRules.title')}</h1>
      <p className="lede">{t('admin.portalRules.lede')}</p>
      {query.isError && !query.data ? (
        <QueryProblem error={query.error} what={t('admin.portalRules.loadWhat')} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <p role="status">{t('admin.portalRules.loading')}</p>
      ) : (
        <PortalRulesForm rules={query.data} />
      )}
    </div>
  );
}
