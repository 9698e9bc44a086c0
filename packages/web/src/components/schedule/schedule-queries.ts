import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  fetchClinicianDirectory,
  fetchOwnSchedule,
  fetchSchedule,
  fetchTemplates,
  fetchVisitTypes,
  scheduleKeys,
  type ScheduleOwner,
} from '../../api/schedule.ts';
import { useDepartments } from '../inbox/inbox-queries.ts';

/**
 * The schedule's queries, in the app's one in-memory QueryClient that the session clears when it ends. Nothing polls:
 * a background refetch would count as activity and keep an idle session alive.
 */

/** A day or a week of a schedule; `owner` null skips the request until a department or clinician is chosen. */
export function useSchedule(owner: ScheduleOwner | null, from: string, days: number) {
  return useQuery({
    queryKey: owner ? scheduleKeys.schedule(owner, from, days) : ['schedule', 'days', 'none'],
    queryFn: () => (owner ? fetchSchedule(owner, from, days) : Promise.reject(new Error('No schedule chosen'))),
    enabled: owner !== null,
  });
}

/** The schedule the page opens on when none is chosen: the reader's own; `enabled` false skips it. */
export function useOwnSchedule(enabled: boolean) {
  return useQuery({ queryKey: scheduleKeys.own(), queryFn: fetchOwnSchedule, enabled });
}

/** The organization's departments (the inbox's list, shared through the same query key). */
export function useScheduleDepartments() {
  return useDepartments();
}

/** The organization's clinicians and nurses, for choosing whose schedule, hours or blocked time. */
export function useClinicians() {
  return useQuery({ queryKey: scheduleKeys.clinicians(), queryFn: fetchClinicianDirectory });
}

/** Every visit type, inactive ones included. */
export function useVisitTypes() {
  return useQuery({ queryKey: scheduleKeys.visitTypes(), queryFn: fetchVisitTypes });
}

/** One department's weekly templates; `departmentId` empty skips the request. */
export function useTemplates(departmentId: string) {
  return useQuery({
    queryKey: scheduleKeys.templates(departmentId),
    queryFn: () => fetchTemplates(departmentId),
    enabled: departmentId !== '',
  });
}

/** Refetches every schedule and setup list after a change. */
export function useRefreshSchedule() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: scheduleKeys.all() });
}
