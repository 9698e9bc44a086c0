import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  appointmentKeys,
  fetchAppointment,
  fetchAppointmentPage,
  fetchCheckIn,
  fetchSchedulingOptions,
  fetchSlots,
  fetchWaitlistOffers,
  type AppointmentWhen,
  type SlotSearch,
} from '../../api/appointments.ts';

/**
 * The appointment pages' queries. Like the record's, they live only in the app's one in-memory QueryClient, which
 * the session clears when it ends; nothing here keeps a copy of its own or writes to browser storage.
 */

/** Upcoming or past appointments, one page at a time; `fetchNextPage` follows the cursor. */
export function useAppointmentPages(patientId: string, when: AppointmentWhen) {
  return useInfiniteQuery({
    queryKey: appointmentKeys.list(patientId, when),
    queryFn: ({ pageParam }) => fetchAppointmentPage(patientId, when, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One appointment. */
export function useAppointment(patientId: string, appointmentId: string) {
  return useQuery({
    queryKey: appointmentKeys.detail(patientId, appointmentId),
    queryFn: () => fetchAppointment(patientId, appointmentId),
  });
}

/** What the patient may book. */
export function useSchedulingOptions(patientId: string) {
  return useQuery({ queryKey: appointmentKeys.options(patientId), queryFn: () => fetchSchedulingOptions(patientId) });
}

/** Open times for a search; while the next two weeks load, the last ones stay on screen (and keyboard focus with them). */
export function useSlots(patientId: string, search: SlotSearch) {
  return useQuery({
    queryKey: appointmentKeys.slots(patientId, search),
    queryFn: () => fetchSlots(patientId, search),
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

/** Open waitlist offers. */
export function useWaitlistOffers(patientId: string) {
  return useQuery({ queryKey: appointmentKeys.offers(patientId), queryFn: () => fetchWaitlistOffers(patientId) });
}

/** The e-check-in form of one appointment. */
export function useCheckInForm(patientId: string, appointmentId: string) {
  return useQuery({ queryKey: appointmentKeys.checkIn(patientId, appointmentId), queryFn: () => fetchCheckIn(patientId, appointmentId) });
}
