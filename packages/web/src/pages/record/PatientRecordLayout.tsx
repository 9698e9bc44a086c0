import { useMemo } from 'react';
import { Link, Outlet } from 'react-router';
import { RecordScopeContext, type RecordScope } from '../../components/record/record-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasMemberships } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';

/** Why a signed-in user has no record of their own to show. */
function NoOwnRecord({ isPatient }: { isPatient: boolean }) {
  const t = useT();
  useDocumentTitle(t('record.noRecord.title'));
  return (
    <div className="page page--narrow">
      <h1>{t('record.noRecord.title')}</h1>
      {isPatient ? (
        <p className="empty-state">{t('record.noRecord.notLinked')}</p>
      ) : (
        <p>
          {t('record.noRecord.staff')} <Link to="/">{t('record.noRecord.staffLink')}</Link> {t('record.noRecord.staffEnd')}
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
