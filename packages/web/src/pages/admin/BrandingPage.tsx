import { useQuery } from '@tanstack/react-query';
import { brandingKeys, fetchAdminBranding } from '../../api/branding.ts';
import { BrandingDetailsForm } from '../../components/admin/BrandingDetailsForm.tsx';
import { LogoSettings } from '../../components/admin/LogoSettings.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/**
 * `/admin/branding` (with 'organization.brand'): the organization's name, primary colour and logo, as patients and staff
 * see them on every page, in emails and on downloaded records (issue 10 §2).
 */
export function BrandingPage() {
  const t = useT();
  const allowed = hasAbility(useSignedInUser(), 'organization.brand');
  useDocumentTitle(t('admin.branding.title'));
  const query = useQuery({ queryKey: brandingKeys.admin(), queryFn: fetchAdminBranding, enabled: allowed });
  if (!allowed) return <NotFoundPage />;

  return (
    <div className="page page--narrow branding-page">
      <h1>{t('admin.branding.title')}</h1>
      <p className="lede">{t('admin.branding.lede')}</p>
      {query.isError && !query.data ? (
        <QueryProblem error={query.error} what={t('admin.branding.loadWhat')} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <p role="status">{t('admin.branding.loading')}</p>
      ) : (
        <>
          <BrandingDetailsForm branding={query.data} />
          <LogoSettings branding={query.data} />
        </>
      )}
    </div>
  );
}
