import { createContext, useContext } from 'react';

/** Whose appointments the pages show: the signed-in patient's own (the id comes from the session, never the URL). */
export interface AppointmentScope {
  patientId: string;
}

/** React context carrying the appointment scope; provided by PatientAppointmentsLayout. */
export const AppointmentScopeContext = createContext<AppointmentScope | null>(null);

/** The appointment scope of the page; throws outside PatientAppointmentsLayout (a wiring bug, not a user error). */
export function useAppointmentScope(): AppointmentScope {
  const scope = useContext(AppointmentScopeContext);
  if (!scope) throw new Error('useAppointmentScope must be used inside PatientAppointmentsLayout');
  return scope;
}

function one(appointmentId: string): string {
  return `/appointments/${encodeURIComponent(appointmentId)}`;
}

/** Paths of the appointment pages; an appointment's path holds only its opaque UUID. */
export const appointmentPaths = {
  list: '/appointments',
  book: '/appointments/new',
  detail: one,
  confirmed: (appointmentId: string) => `${one(appointmentId)}/confirmed`,
  reschedule: (appointmentId: string) => `${one(appointmentId)}/reschedule`,
  checkIn: (appointmentId: string) => `${one(appointmentId)}/check-in`,
  checkInDone: (appointmentId: string) => `${one(appointmentId)}/check-in/done`,
};
