import { Link } from 'react-router';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { BlocksSetup } from '../../components/schedule/BlocksSetup.tsx';
import { TemplatesSetup } from '../../components/schedule/TemplatesSetup.tsx';
import { VisitTypesSetup } from '../../components/schedule/VisitTypesSetup.tsx';
import { useClinicians, useScheduleDepartments, useVisitTypes } from '../../components/schedule/schedule-queries.ts';
import { schedulePaths } from '../../components/schedule/schedule-text.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/** `/schedule/setup` (with 'schedule.manage'): visit types, each clinician's weekly hours per department, and blocked time. */
export function ScheduleSetupPage() {
  const user = useSignedInUser();
  const allowed = hasAbility(user, 'schedule.manage');
  useDocumentTitle('Schedule setup');
  const departments = useScheduleDepartments();
  const clinicians = useClinicians();
  const visitTypes = useVisitTypes();
  if (!allowed) return <NotFoundPage />;

  return (
    <div className="page">
      <p className="back-link">
        <Link to={schedulePaths.home}>Back to the schedule</Link>
      </p>
      <h1>Schedule setup</h1>
      <p className="lede">Visit types, the clinicians’ weekly hours and blocked time decide which times patients can book.</p>
      <VisitTypesSetup />
      {departments.isError || clinicians.isError ? (
        <QueryProblem
          error={departments.error ?? clinicians.error}
          what="the departments and clinicians"
          onRetry={() => {
            void departments.refetch();
            void clinicians.refetch();
          }}
        />
      ) : departments.data === undefined || clinicians.data === undefined ? (
        <p role="status">Loading the departments and clinicians…</p>
      ) : (
        <>
          <TemplatesSetup departments={departments.data} clinicians={clinicians.data} visitTypes={visitTypes.data ?? []} />
          <BlocksSetup clinicians={clinicians.data} />
        </>
      )}
    </div>
  );
}
