import { useMemo } from 'react';
import { Outlet } from 'react-router';
import { AppointmentScopeContext, type AppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasMemberships } from '../../session/abilities.ts';
import { NotShared } from '../../components/NotShared.tsx';
import { allows, useActingFor } from '../../session/acting-for.ts';
import { useSignedInUser } from '../../session/session-context.ts';

/** Why a signed-in user has no appointments of their own to show. */
function NoOwnAppointments({ isPatient }: { isPatient: boolean }) {
  const t = useT();
  useDocumentTitle(t('appointments.title'));
  return (
    <div className="page page--narrow">
      <h1>{t('appointments.title')}</h1>
      {isPatient ? <p className="empty-state">{t('appointments.notLinked')}</p> : <p>{t('appointments.forPatientsOnly')}</p>}
    </div>
  );
}

/** `/appointments/*`: the current patient's appointments (their own, or one they act for); the id is kept in memory, never in the URL. */
export function PatientAppointmentsLayout() {
  const user = useSignedInUser();
  const { current } = useActingFor();
  const patientId = current?.patientId ?? null;
  const scope = useMemo<AppointmentScope | null>(() => (patientId ? { patientId } : null), [patientId]);
  if (!scope) return <NoOwnAppointments isPatient={!hasMemberships(user)} />;
  if (current && !allows(current, 'appointments')) return <NotShared name={current.displayName} />;
  return (
    <AppointmentScopeContext value={scope}>
      <Outlet />
    </AppointmentScopeContext>
  );
}
