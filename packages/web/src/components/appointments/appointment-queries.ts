import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  appointmentKeys,
  fetchAppointment,
  fetchAppointmentPage,
  fetchCheckIn,
  fetchDaySlots,
  fetchOpenDays,
  fetchSchedulingOptions,
  fetchWaitlistOffers,
  type AppointmentWhen,
  type SlotTarget,
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

/** What the patient may book, and their primary care clinician. */
export function useSchedulingOptions(patientId: string) {
  return useQuery({ queryKey: appointmentKeys.options(patientId), queryFn: () => fetchSchedulingOptions(patientId) });
}

/**
 * Which days of a week (`from` and the 6 days after it) have open times; while the next week loads, the last one stays
 * on screen (and keyboard focus with it).
 */
export function useOpenDays(patientId: string, target: SlotTarget, from: string, to: string) {
  return useQuery({
    queryKey: appointmentKeys.openDays(patientId, target, from),
    queryFn: () => fetchOpenDays(patientId, target, from, to),
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

/** The open times of one day, always fresh (a time taken a moment ago must not be offered). */
export function useDaySlots(patientId: string, target: SlotTarget, date: string | null) {
  return useQuery({
    queryKey: appointmentKeys.daySlots(patientId, target, date ?? ''),
    queryFn: () => fetchDaySlots(patientId, target, date ?? ''),
    enabled: date !== null,
    staleTime: 0,
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
