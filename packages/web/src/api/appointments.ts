import {
  appointmentListResponse,
  appointmentView,
  checkInFormResponse,
  schedulingOptionsResponse,
  slotListResponse,
  waitlistOfferListResponse,
  waitlistResponse,
  type AppointmentView,
  type CheckInBody,
  type CheckInForm,
} from '@portico/shared';
import { apiDownload, apiRequest, type DownloadedFile } from './client.ts';
import type { Output } from './types.ts';

/** One page of the patient's appointments. */
export type AppointmentPage = Output<typeof appointmentListResponse>;
/** A visit type the patient may book, with its departments and clinicians. */
export type BookableVisitType = Output<typeof schedulingOptionsResponse>['visitTypes'][number];
/** Open times and the zone they are shown in. */
export type SlotList = Output<typeof slotListResponse>;
/** One open time. */
export type Slot = SlotList['slots'][number];
/** An earlier time offered to a waitlisted patient. */
export type WaitlistOffer = Output<typeof waitlistOfferListResponse>['offers'][number];
/** Which appointments a list shows. */
export type AppointmentWhen = 'upcoming' | 'past';
export type { AppointmentView, CheckInBody, CheckInForm };

/** Where to look for open times: a visit type in a department, one clinician or any, from one day for some days. */
export interface SlotSearch {
  visitTypeId: string;
  departmentId: string;
  /** Null: any clinician. */
  clinicianId: string | null;
  /** First day (YYYY-MM-DD in the location's zone); null: today. */
  from: string | null;
  days: number;
}

/** Rows per page of the appointment lists. */
export const appointmentPageSize = 20;

/** Days of open times per page of the time picker. */
export const slotPageDays = 14;

function patientPath(patientId: string, rest: string): string {
  return `/api/patients/${encodeURIComponent(patientId)}/${rest}`;
}

function appointmentPath(patientId: string, appointmentId: string, rest = ''): string {
  return patientPath(patientId, `appointments/${encodeURIComponent(appointmentId)}${rest}`);
}

/**
 * Query keys of appointments. Every key starts with 'patients' (like the record's and messaging's), so sign-out
 * drops them with the rest of the cache, and one invalidation refreshes every list after a booking or a change.
 */
export const appointmentKeys = {
  all: (patientId: string) => ['patients', patientId, 'appointments'] as const,
  list: (patientId: string, when: AppointmentWhen) => ['patients', patientId, 'appointments', 'list', when] as const,
  detail: (patientId: string, appointmentId: string) => ['patients', patientId, 'appointments', 'detail', appointmentId] as const,
  options: (patientId: string) => ['patients', patientId, 'appointments', 'options'] as const,
  slots: (patientId: string, search: SlotSearch) =>
    ['patients', patientId, 'appointments', 'slots', search.visitTypeId, search.departmentId, search.clinicianId, search.from] as const,
  allSlots: (patientId: string) => ['patients', patientId, 'appointments', 'slots'] as const,
  offers: (patientId: string) => ['patients', patientId, 'appointments', 'offers'] as const,
  checkIn: (patientId: string, appointmentId: string) => ['patients', patientId, 'appointments', 'check-in', appointmentId] as const,
};

/** One page of upcoming (soonest first) or past (latest first) appointments; `cursor` is the previous page's `nextCursor`. */
export function fetchAppointmentPage(patientId: string, when: AppointmentWhen, cursor: string | null): Promise<AppointmentPage> {
  const query = new URLSearchParams({ when, limit: String(appointmentPageSize) });
  if (cursor) query.set('cursor', cursor);
  return apiRequest('GET', patientPath(patientId, `appointments?${query.toString()}`), appointmentListResponse);
}

/** One appointment with its place, instructions and what the patient may still do. */
export function fetchAppointment(patientId: string, appointmentId: string): Promise<AppointmentView> {
  return apiRequest('GET', appointmentPath(patientId, appointmentId), appointmentView);
}

/** The visit types this patient may book, and where and with whom. */
export async function fetchSchedulingOptions(patientId: string): Promise<BookableVisitType[]> {
  const answer = await apiRequest('GET', patientPath(patientId, 'scheduling/options'), schedulingOptionsResponse);
  return answer.visitTypes;
}

/** Open times for one search, in the location's zone. */
export function fetchSlots(patientId: string, search: SlotSearch): Promise<SlotList> {
  const query = new URLSearchParams({ visitTypeId: search.visitTypeId, departmentId: search.departmentId, days: String(search.days) });
  if (search.clinicianId) query.set('clinicianId', search.clinicianId);
  if (search.from) query.set('from', search.from);
  return apiRequest('GET', patientPath(patientId, `scheduling/slots?${query.toString()}`), slotListResponse);
}

/** Books an open time (409 `slot_taken` when someone was faster); `idempotencyKey` is the confirmation's. */
export function bookAppointment(
  patientId: string,
  body: { visitTypeId: string; departmentId: string; clinicianId: string; startAt: string },
  idempotencyKey: string,
): Promise<AppointmentView> {
  return apiRequest('POST', patientPath(patientId, 'appointments'), appointmentView, { body, idempotencyKey });
}

/** Moves an appointment to a new time; the old one is released by the server in the same transaction. */
export function rescheduleAppointment(
  patientId: string,
  appointmentId: string,
  body: { clinicianId: string; startAt: string },
  idempotencyKey: string,
): Promise<AppointmentView> {
  return apiRequest('POST', appointmentPath(patientId, appointmentId, '/reschedule'), appointmentView, { body, idempotencyKey });
}

/** Cancels an appointment (409 `change_cutoff_passed` once online changes have closed). */
export function cancelAppointment(patientId: string, appointmentId: string): Promise<AppointmentView> {
  return apiRequest('POST', appointmentPath(patientId, appointmentId, '/cancel'), appointmentView, { body: {} });
}

/** The visit as an iCalendar file, held in memory until the browser saves it. */
export function downloadCalendar(patientId: string, appointmentId: string): Promise<DownloadedFile> {
  return apiDownload('GET', appointmentPath(patientId, appointmentId, '/calendar'), 'text/calendar, application/json', 'appointment.ics');
}

/** Asks for (true) or stops asking for (false) an earlier time; answers whether the appointment is on the waitlist now. */
export async function setWaitlisted(patientId: string, appointmentId: string, waitlisted: boolean): Promise<boolean> {
  const answer = await apiRequest(waitlisted ? 'PUT' : 'DELETE', appointmentPath(patientId, appointmentId, '/waitlist'), waitlistResponse);
  return answer.waitlisted;
}

/** Earlier times offered to the patient that are still open. */
export async function fetchWaitlistOffers(patientId: string): Promise<WaitlistOffer[]> {
  const answer = await apiRequest('GET', patientPath(patientId, 'waitlist/offers'), waitlistOfferListResponse);
  return answer.offers;
}

/** Takes an offered time (409 `offer_taken` when it has gone); answers the moved appointment. */
export function acceptWaitlistOffer(patientId: string, offerId: string, idempotencyKey: string): Promise<AppointmentView> {
  return apiRequest('POST', patientPath(patientId, `waitlist/offers/${encodeURIComponent(offerId)}/accept`), appointmentView, {
    body: {},
    idempotencyKey,
  });
}

/** What e-check-in asks the patient to confirm, answer and sign. */
export function fetchCheckIn(patientId: string, appointmentId: string): Promise<CheckInForm> {
  return apiRequest('GET', appointmentPath(patientId, appointmentId, '/check-in'), checkInFormResponse);
}

/** Sends the completed e-check-in; answers the appointment, now checked in. */
export function submitCheckIn(patientId: string, appointmentId: string, body: CheckInBody): Promise<AppointmentView> {
  return apiRequest('POST', appointmentPath(patientId, appointmentId, '/check-in'), appointmentView, { body });
}
