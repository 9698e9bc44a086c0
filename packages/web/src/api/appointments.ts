import {
  type appointmentListResponse,
  type appointmentView,
  type checkInFormResponse,
  type daySlotsResponse,
  type nextAvailableResponse,
  type openDaysResponse,
  type schedulingOptionsResponse,
  type waitlistOfferListResponse,
  type waitlistResponse,
  type AppointmentView,
  type CheckInBody,
  type CheckInForm,
} from '@portico/shared';
import { apiDownload, apiRequest, type DownloadedFile, shapeOf } from './client.ts';
import type { Output } from './types.ts';

/** One page of the patient's appointments. */
export type AppointmentPage = Output<typeof appointmentListResponse>;
/** What the patient may book, and their primary care clinician ("my doctor"). */
export type SchedulingOptions = Output<typeof schedulingOptionsResponse>;
/** A visit type the patient may book, with its departments and clinicians. */
export type BookableVisitType = SchedulingOptions['visitTypes'][number];
/** The open times of one day and the zone they are shown in. */
export type DaySlots = Output<typeof daySlotsResponse>;
/** One open time. */
export type Slot = DaySlots['slots'][number];
/** Which days of a range have open times. */
export type OpenDays = Output<typeof openDaysResponse>;
/** The first day with an open time, within 90 days. */
export type NextAvailable = Output<typeof nextAvailableResponse>;
/** An earlier time offered to a waitlisted patient. */
export type WaitlistOffer = Output<typeof waitlistOfferListResponse>['offers'][number];
/** Which appointments a list shows. */
export type AppointmentWhen = 'upcoming' | 'past';
export type { AppointmentView, CheckInBody, CheckInForm };

/** Where to look for open times: a visit type in a department, with one clinician or anyone. */
export interface SlotTarget {
  visitTypeId: string;
  departmentId: string;
  /** Null: first available (anyone who offers the visit there). */
  clinicianId: string | null;
}

/** Rows per page of the appointment lists. */
export const appointmentPageSize = 20;

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
  daySlots: (patientId: string, target: SlotTarget, date: string) =>
    ['patients', patientId, 'appointments', 'slots', 'day', target.visitTypeId, target.departmentId, target.clinicianId, date] as const,
  openDays: (patientId: string, target: SlotTarget, from: string) =>
    [
      'patients',
      patientId,
      'appointments',
      'slots',
      'open-days',
      target.visitTypeId,
      target.departmentId,
      target.clinicianId,
      from,
    ] as const,
  allSlots: (patientId: string) => ['patients', patientId, 'appointments', 'slots'] as const,
  offers: (patientId: string) => ['patients', patientId, 'appointments', 'offers'] as const,
  checkIn: (patientId: string, appointmentId: string) => ['patients', patientId, 'appointments', 'check-in', appointmentId] as const,
};

/** One page of upcoming (soonest first) or past (latest first) appointments; `cursor` is the previous page's `nextCursor`. */
export function fetchAppointmentPage(patientId: string, when: AppointmentWhen, cursor: string | null): Promise<AppointmentPage> {
  const query = new URLSearchParams({ when, limit: String(appointmentPageSize) });
  if (cursor) query.set('cursor', cursor);
  return apiRequest('GET', patientPath(patientId, `appointments?${query.toString()}`), shapeOf<typeof appointmentListResponse>());
}

/** One appointment with its place, instructions and what the patient may still do. */
export function fetchAppointment(patientId: string, appointmentId: string): Promise<AppointmentView> {
  return apiRequest('GET', appointmentPath(patientId, appointmentId), shapeOf<typeof appointmentView>());
}

/** The visit types this patient may book, where and with whom, and their primary care clinician. */
export function fetchSchedulingOptions(patientId: string): Promise<SchedulingOptions> {
  return apiRequest('GET', patientPath(patientId, 'scheduling/options'), shapeOf<typeof schedulingOptionsResponse>());
}

function targetQuery(target: SlotTarget, rest: Record<string, string>): string {
  const query = new URLSearchParams({ visitTypeId: target.visitTypeId, departmentId: target.departmentId, ...rest });
  if (target.clinicianId) query.set('clinicianId', target.clinicianId);
  return query.toString();
}

/** The open times of one local day (YYYY-MM-DD in the location's zone). */
export function fetchDaySlots(patientId: string, target: SlotTarget, date: string): Promise<DaySlots> {
  return apiRequest(
    'GET',
    patientPath(patientId, `scheduling/day-slots?${targetQuery(target, { date })}`),
    shapeOf<typeof daySlotsResponse>(),
  );
}

/** Which local days from `from` to `to` (at most 90) have an open time. */
export function fetchOpenDays(patientId: string, target: SlotTarget, from: string, to: string): Promise<OpenDays> {
  return apiRequest(
    'GET',
    patientPath(patientId, `scheduling/open-days?${targetQuery(target, { from, to })}`),
    shapeOf<typeof openDaysResponse>(),
  );
}

/** The first local day with an open time, searching 90 days from today. */
export function fetchNextAvailable(patientId: string, target: SlotTarget): Promise<NextAvailable> {
  return apiRequest(
    'GET',
    patientPath(patientId, `scheduling/next-available?${targetQuery(target, {})}`),
    shapeOf<typeof nextAvailableResponse>(),
  );
}

/** Books an open time (409 `slot_taken` when someone was faster); `idempotencyKey` is the confirmation's. */
export function bookAppointment(
  patientId: string,
  body: { visitTypeId: string; departmentId: string; clinicianId: string; startAt: string },
  idempotencyKey: string,
): Promise<AppointmentView> {
  return apiRequest('POST', patientPath(patientId, 'appointments'), shapeOf<typeof appointmentView>(), { body, idempotencyKey });
}

/** Moves an appointment to a new time; the old one is released by the server in the same transaction. */
export function rescheduleAppointment(
  patientId: string,
  appointmentId: string,
  body: { clinicianId: string; startAt: string },
  idempotencyKey: string,
): Promise<AppointmentView> {
  return apiRequest('POST', appointmentPath(patientId, appointmentId, '/reschedule'), shapeOf<typeof appointmentView>(), {
    body,
    idempotencyKey,
  });
}

/** Cancels an appointment (409 `change_cutoff_passed` once online changes have closed). */
export function cancelAppointment(patientId: string, appointmentId: string): Promise<AppointmentView> {
  return apiRequest('POST', appointmentPath(patientId, appointmentId, '/cancel'), shapeOf<typeof appointmentView>(), { body: {} });
}

/** The visit as an iCalendar file, held in memory until the browser saves it. */
export function downloadCalendar(patientId: string, appointmentId: string): Promise<DownloadedFile> {
  return apiDownload('GET', appointmentPath(patientId, appointmentId, '/calendar'), 'text/calendar, application/json', 'appointment.ics');
}

/** Asks for (true) or stops asking for (false) an earlier time; answers whether the appointment is on the waitlist now. */
export async function setWaitlisted(patientId: string, appointmentId: string, waitlisted: boolean): Promise<boolean> {
  const answer = await apiRequest(
    waitlisted ? 'PUT' : 'DELETE',
    appointmentPath(patientId, appointmentId, '/waitlist'),
    shapeOf<typeof waitlistResponse>(),
  );
  return answer.waitlisted;
}

/** Earlier times offered to the patient that are still open. */
export async function fetchWaitlistOffers(patientId: string): Promise<WaitlistOffer[]> {
  const answer = await apiRequest('GET', patientPath(patientId, 'waitlist/offers'), shapeOf<typeof waitlistOfferListResponse>());
  return answer.offers;
}

/** Takes an offered time (409 `offer_taken` when it has gone); answers the moved appointment. */
export function acceptWaitlistOffer(patientId: string, offerId: string, idempotencyKey: string): Promise<AppointmentView> {
  return apiRequest(
    'POST',
    patientPath(patientId, `waitlist/offers/${encodeURIComponent(offerId)}/accept`),
    shapeOf<typeof appointmentView>(),
    {
      body: {},
      idempotencyKey,
    },
  );
}

/** What e-check-in asks the patient to confirm, answer and sign. */
export function fetchCheckIn(patientId: string, appointmentId: string): Promise<CheckInForm> {
  return apiRequest('GET', appointmentPath(patientId, appointmentId, '/check-in'), shapeOf<typeof checkInFormResponse>());
}

/** Sends the completed e-check-in; answers the appointment, now checked in. */
export function submitCheckIn(patientId: string, appointmentId: string, body: CheckInBody): Promise<AppointmentView> {
  return apiRequest('POST', appointmentPath(patientId, appointmentId, '/check-in'), shapeOf<typeof appointmentView>(), { body });
}
