import { useMemo } from 'react';
import { Link, Outlet } from 'react-router';
import { RecordScopeContext, type RecordScope } from '../../components/record/record-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasMemberships } from '../../session/abilities.ts';
import { NotShared } from '../../components/NotShared.tsx';
import { allows, useActingFor } from '../../session/acting-for.ts';
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

/** `/record/*`: the current patient's record (their own, or one they act for: session/acting-for.ts); the id is kept in memory, never in the URL. */
export function PatientRecordLayout() {
  const user = useSignedInUser();
  const { current } = useActingFor();
  const patientId = current?.patientId ?? null;
  const scope = useMemo<RecordScope | null>(() => (patientId ? { patientId, audience: 'self', base: '/record' } : null), [patientId]);
  if (!scope) return <NoOwnRecord isPatient={!hasMemberships(user)} />;
  if (current && !allows(current, 'clinical')) return <NotShared name={current.displayName} />;
  return (
    <RecordScopeContext value={scope}>
      <Outlet />
    </RecordScopeContext>
  );
}
