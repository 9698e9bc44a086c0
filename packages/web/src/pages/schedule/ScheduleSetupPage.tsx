import { Link } from 'react-router';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { BlocksSetup } from '../../components/schedule/BlocksSetup.tsx';
import { TemplatesSetup } from '../../components/schedule/TemplatesSetup.tsx';
import { VisitTypesSetup } from '../../components/schedule/VisitTypesSetup.tsx';
import { useClinicians, useScheduleDepartments, useVisitTypes } from '../../components/schedule/schedule-queries.ts';
import { schedulePaths } from '../../components/schedule/schedule-text.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/** `/schedule/setup` (with 'schedule.manage'): visit types, each clinician's weekly hours per department, and blocked time. */
export function ScheduleSetupPage() {
  const t = useT();
  const user = useSignedInUser();
  const allowed = hasAbility(user, 'schedule.manage');
  useDocumentTitle(t('schedule.setup.title'));
  const departments = useScheduleDepartments();
  const clinicians = useClinicians();
  const visitTypes = useVisitTypes();
  if (!allowed) return <NotFoundPage />;

  return (
    <div className="page">
      <p className="back-link">
        <Link to={schedulePaths.home}>{t('schedule.setup.back')}</Link>
      </p>
      <h1>{t('schedule.setup.title')}</h1>
      <p className="lede">{t('schedule.setup.lede')}</p>
      <VisitTypesSetup />
      {departments.isError || clinicians.isError ? (
        <QueryProblem
          error={departments.error ?? clinicians.error}
          what={t('schedule.setup.what')}
          onRetry={() => {
            void departments.refetch();
            void clinicians.refetch();
          }}
        />
      ) : departments.data === undefined || clinicians.data === undefined ? (
        <p role="status">{t('schedule.setup.loading')}</p>
      ) : (
        <>
          <TemplatesSetup departments={departments.data} clinicians={clinicians.data} visitTypes={visitTypes.data ?? []} />
          <BlocksSetup clinicians={clinicians.data} />
        </>
      )}
    </div>
  );
}
