import {
  type appointmentStatusResponse,
  type clinicianDirectoryResponse,
  type okResponse,
  type ownScheduleResponse,
  type scheduleAppointment,
  type scheduleBlockView,
  type scheduleResponse,
  type scheduleTemplateListResponse,
  type scheduleTemplateView,
  type visitTypeListResponse,
  type visitTypeView,
  type ScheduleResponse,
} from '@portico/shared';
import { apiRequest, shapeOf } from './client.ts';
import type { Output } from './types.ts';

/** One appointment on a staff schedule (it names the patient: patient data). */
export type ScheduleAppointment = Output<typeof scheduleAppointment>;
/** A clinician's blocked time on a schedule. */
export type ScheduleBlock = Output<typeof scheduleBlockView>;
/** Where an appointment stands. */
export type AppointmentStatus = ScheduleAppointment['status'];
/** A visit type as staff keep it. */
export type VisitType = Output<typeof visitTypeView>;
/** What a visit type form sends (POST and PUT). */
export type VisitTypeInput = Omit<VisitType, 'id'>;
/** A weekly template row: a clinician's hours in a department on one weekday. */
export type ScheduleTemplate = Output<typeof scheduleTemplateView>;
/** What the template form sends. */
export type ScheduleTemplateInput = Omit<ScheduleTemplate, 'id'>;
/** What the blocked-time form sends. */
export interface ScheduleBlockInput {
  clinicianId: string;
  startAt: string;
  endAt: string;
  reason: string | null;
}

/** Whose schedule to show: a department's or one clinician's (the API takes exactly one). */
export type ScheduleOwner = { kind: 'department'; id: string } | { kind: 'clinician'; id: string };

/** A clinician the schedule pages can offer, with the departments they work in. */
export interface ClinicianChoice {
  id: string;
  name: string;
  departmentIds: string[];
}

/**
 * Query keys of the schedule. Schedules name patients, like the inbox's lists; the session drops the whole query cache
 * when it ends. `all` lets a change refresh every schedule and setup list at once.
 */
export const scheduleKeys = {
  all: () => ['schedule'] as const,
  schedules: () => ['schedule', 'days'] as const,
  schedule: (owner: ScheduleOwner, from: string, days: number) => ['schedule', 'days', owner.kind, owner.id, from, days] as const,
  visitTypes: () => ['schedule', 'visit-types'] as const,
  templates: (departmentId: string) => ['schedule', 'templates', departmentId] as const,
  clinicians: () => ['schedule', 'clinicians'] as const,
  own: () => ['schedule', 'own'] as const,
};

/** The schedule the page opens on: the signed-in person's own as a clinician, else their first department's, else none. */
export async function fetchOwnSchedule(): Promise<ScheduleOwner | null> {
  const answer = await apiRequest('GET', '/api/schedule/own', shapeOf<typeof ownScheduleResponse>());
  return answer.owner;
}

/** A day (`days` 1) or a week (`days` 7) of a department's or a clinician's schedule, from `from` in its zone. */
export function fetchSchedule(owner: ScheduleOwner, from: string, days: number): Promise<ScheduleResponse> {
  const query = new URLSearchParams({ [owner.kind === 'department' ? 'departmentId' : 'clinicianId']: owner.id, from, days: String(days) });
  return apiRequest('GET', `/api/schedule?${query.toString()}`, shapeOf<typeof scheduleResponse>());
}

/**
 * Front desk marks an appointment arrived, completed, a no-show or cancelled; answers the status it now has. (The
 * server answers `{ id, status }`.)
 */
export async function setAppointmentStatus(appointmentId: string, status: AppointmentStatus): Promise<AppointmentStatus> {
  const answer = await apiRequest(
    'POST',
    `/api/schedule/appointments/${encodeURIComponent(appointmentId)}/status`,
    shapeOf<typeof appointmentStatusResponse>(),
    {
      body: { status },
    },
  );
  return answer.status;
}

/** Every visit type of the organization, inactive ones included. */
export async function fetchVisitTypes(): Promise<VisitType[]> {
  const answer = await apiRequest('GET', '/api/schedule/visit-types', shapeOf<typeof visitTypeListResponse>());
  return answer.visitTypes;
}

/** Adds a visit type. */
export function createVisitType(input: VisitTypeInput): Promise<VisitType> {
  return apiRequest('POST', '/api/schedule/visit-types', shapeOf<typeof visitTypeView>(), { body: input });
}

/** Changes a visit type; bookings already made keep their time. */
export function updateVisitType(visitTypeId: string, input: VisitTypeInput): Promise<VisitType> {
  return apiRequest('PUT', `/api/schedule/visit-types/${encodeURIComponent(visitTypeId)}`, shapeOf<typeof visitTypeView>(), {
    body: input,
  });
}

/** The weekly templates of one department. */
export async function fetchTemplates(departmentId: string): Promise<ScheduleTemplate[]> {
  const query = new URLSearchParams({ departmentId });
  const answer = await apiRequest('GET', `/api/schedule/templates?${query.toString()}`, shapeOf<typeof scheduleTemplateListResponse>());
  return answer.templates;
}

/** Adds a weekly template row. */
export function createTemplate(input: ScheduleTemplateInput): Promise<ScheduleTemplate> {
  return apiRequest('POST', '/api/schedule/templates', shapeOf<typeof scheduleTemplateView>(), { body: input });
}

/** Removes a weekly template row. */
export async function deleteTemplate(templateId: string): Promise<void> {
  await apiRequest('DELETE', `/api/schedule/templates/${encodeURIComponent(templateId)}`, shapeOf<typeof okResponse>());
}

/** Blocks a clinician's time (no bookings in it). */
export function createBlock(input: ScheduleBlockInput): Promise<ScheduleBlock> {
  return apiRequest('POST', '/api/schedule/blocks', shapeOf<typeof scheduleBlockView>(), { body: input });
}

/** Removes a blocked time. */
export async function deleteBlock(blockId: string): Promise<void> {
  await apiRequest('DELETE', `/api/schedule/blocks/${encodeURIComponent(blockId)}`, shapeOf<typeof okResponse>());
}

/** The organization's clinicians and nurses with the departments they work in. */
export async function fetchClinicianDirectory(): Promise<ClinicianChoice[]> {
  const answer = await apiRequest('GET', '/api/schedule/clinicians', shapeOf<typeof clinicianDirectoryResponse>());
  return answer.clinicians;
}
