import { useMemo } from 'react';
import { Link, Outlet } from 'react-router';
import { RecordScopeContext, type RecordScope } from '../../components/record/record-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { hasMemberships } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';

/** Why a signed-in user has no record of their own to show. */
function NoOwnRecord({ isPatient }: { isPatient: boolean }) {
  useDocumentTitle('Health record');
  return (
    <div className="page page--narrow">
      <h1>Health record</h1>
      {isPatient ? (
        <p className="empty-state">
          Your account is not linked to a health record yet, so there is nothing to show here. Contact your clinic and they can link it for
          you.
        </p>
      ) : (
        <p>
          These pages show a patient their own record. To read a patient’s chart, <Link to="/">find the patient</Link> and choose Open
          chart.
        </p>
      )}
    </div>
  );
}

/** `/record/*`: the signed-in patient's own record; the patient id comes from the session, never from the URL. */
export function PatientRecordLayout() {
  const user = useSignedInUser();
  const patientId = user.patientId;
  const scope = useMemo<RecordScope | null>(() => (patientId ? { patientId, audience: 'self', base: '/record' } : null), [patientId]);
  if (!scope) return <NoOwnRecord isPatient={!hasMemberships(user)} />;
  return (
    <RecordScopeContext value={scope}>
      <Outlet />
    </RecordScopeContext>
  );
}
