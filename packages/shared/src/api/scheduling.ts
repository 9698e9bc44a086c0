import { z } from 'zod';
import { isoDate, isoDateTime, phoneNumber, uuid } from './common.ts';

/**
 * Appointments and scheduling (issue 5). Instants are UTC ISO strings; every answer that shows times carries the
 * location's IANA `timeZone`, and pages show times in it (not the browser's zone). Booking, rescheduling and accepting
 * an offer take an `Idempotency-Key` header.
 */

/** Where an appointment stands. */
export const appointmentStatus = z.enum(['scheduled', 'checked_in', 'arrived', 'completed', 'no_show', 'cancelled']);

/** A department as a patient needs it: where to go and whom to call. */
export const locationView = z.object({
  id: uuid,
  name: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  timeZone: z.string(),
});

/** One appointment as the patient (and staff) see it. */
export const appointmentView = z.object({
  id: uuid,
  startAt: isoDateTime,
  endAt: isoDateTime,
  timeZone: z.string(),
  status: appointmentStatus,
  visitType: z.string(),
  visitTypeId: uuid.nullable(),
  clinician: z.object({ id: uuid, name: z.string() }).nullable(),
  location: locationView,
  instructions: z.string().nullable(),
  video: z.boolean(),
  videoUrl: z.string().nullable(),
  /** The patient may still cancel or reschedule online (scheduled, and before the cut-off). */
  canChange: z.boolean(),
  /** When online changes end (the organization's cut-off before the start). */
  changeCutoffAt: isoDateTime,
  /** The number to call after the cut-off. */
  clinicPhone: z.string().nullable(),
  /** E-check-in opens 7 days before a scheduled visit. */
  checkIn: z.object({ opensAt: isoDateTime, available: z.boolean(), completedAt: isoDateTime.nullable() }),
  waitlisted: z.boolean(),
});

/** GET /api/patients/:id/appointments?when=upcoming|past&cursor=&limit= */
export const appointmentListQuery = z.object({
  when: z.enum(['upcoming', 'past']).default('upcoming'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
/** The answer to an appointment list request. */
export const appointmentListResponse = z.object({ appointments: z.array(appointmentView), nextCursor: z.string().nullable() });

/** A visit type a patient may book, with who offers it and where. */
export const bookableVisitType = z.object({
  id: uuid,
  name: z.string(),
  durationMinutes: z.number().int(),
  video: z.boolean(),
  establishedOnly: z.boolean(),
  instructions: z.string().nullable(),
  departments: z.array(
    z.object({ id: uuid, name: z.string(), timeZone: z.string(), clinicians: z.array(z.object({ id: uuid, name: z.string() })) }),
  ),
});
/**
 * GET /api/patients/:id/scheduling/options: what this patient may book (established-only types only where they are
 * established), and the patient's primary care clinician ("my doctor"), or null when none is on file.
 */
export const schedulingOptionsResponse = z.object({
  visitTypes: z.array(bookableVisitType),
  pcp: z.object({ id: uuid, name: z.string() }).nullable(),
});

/** GET /api/patients/:id/scheduling/slots: open times for a visit type in a department, optionally one clinician. */
export const slotQuery = z.object({
  visitTypeId: uuid,
  departmentId: uuid,
  clinicianId: uuid.optional(),
  /** First day to show, in the location's zone; default today. */
  from: isoDate.optional(),
  days: z.coerce.number().int().min(1).max(28).default(14),
});
/** One bookable time. */
export const slotView = z.object({ startAt: isoDateTime, endAt: isoDateTime, clinicianId: uuid, clinicianName: z.string() });
/** The open times, in the location's zone. */
export const slotListResponse = z.object({ timeZone: z.string(), slots: z.array(slotView) });

/** How far ahead "next available" looks, and the longest range of days one open-days request may cover. */
export const bookingSearchDays = 90;

/** Where to look for open times: a visit type in a department, with one clinician or anyone who offers it there. */
const slotSearchQuery = z.object({ visitTypeId: uuid, departmentId: uuid, clinicianId: uuid.optional() });

/** Days from `from` to `to` inclusive (both `YYYY-MM-DD`); 0 or less when `to` is before `from`. */
function daysSpanned(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * GET /api/patients/:id/scheduling/day-slots: the open times of one local day in the department's zone. Without a
 * clinician, one time per start (the clinician with the most free time that day takes it), so "first available" is a
 * short list.
 */
export const daySlotsQuery = slotSearchQuery.extend({ date: isoDate });
/** The open times of one day, in the location's zone. */
export const daySlotsResponse = z.object({ timeZone: z.string(), date: isoDate, slots: z.array(slotView) });

/** GET /api/patients/:id/scheduling/open-days: which local days from `from` to `to` (at most 90 days) have an open time. */
export const openDaysQuery = slotSearchQuery
  .extend({ from: isoDate, to: isoDate })
  .refine((q) => daysSpanned(q.from, q.to) >= 1, { message: 'The end date must not be before the start date.', path: ['to'] })
  .refine((q) => daysSpanned(q.from, q.to) <= bookingSearchDays, {
    message: `Ask for at most ${bookingSearchDays} days at a time.`,
    path: ['to'],
  });
/** The days with at least one open time, in order. */
export const openDaysResponse = z.object({ timeZone: z.string(), from: isoDate, to: isoDate, openDays: z.array(isoDate) });

/**
 * GET /api/patients/:id/scheduling/next-available: the first local day with an open time, searching 90 days from `from`
 * (default, and at the earliest, today in the department's zone); null when there is none in that window.
 */
export const nextAvailableQuery = slotSearchQuery.extend({ from: isoDate.optional() });
/** The first open day, and the days searched. */
export const nextAvailableResponse = z.object({
  timeZone: z.string(),
  date: isoDate.nullable(),
  searchedFrom: isoDate,
  searchedThrough: isoDate,
});

/** POST /api/patients/:id/appointments (Idempotency-Key): book an open time. 201 appointmentView; 409 `slot_taken`. */
export const bookingBody = z.object({ visitTypeId: uuid, departmentId: uuid, clinicianId: uuid, startAt: isoDateTime });

/** POST /api/patients/:id/appointments/:appointmentId/reschedule (Idempotency-Key): the new time; the old one is released in the same transaction. */
export const rescheduleBody = z.object({ clinicianId: uuid, startAt: isoDateTime });

/** POST /api/patients/:id/appointments/:appointmentId/cancel: empty body. 409 `change_cutoff_passed` after the cut-off. */

/** GET /api/patients/:id/appointments/:appointmentId/calendar: the visit as an iCalendar (.ics) download, no clinical detail. */

/** PUT/DELETE /api/patients/:id/appointments/:appointmentId/waitlist: ask for (or stop asking for) an earlier time. */
export const waitlistResponse = z.object({ waitlisted: z.boolean() });

/** An earlier time offered to a waitlisted patient. */
export const waitlistOfferView = z.object({
  id: uuid,
  appointmentId: uuid,
  startAt: isoDateTime,
  endAt: isoDateTime,
  timeZone: z.string(),
  clinicianName: z.string(),
  locationName: z.string(),
  expiresAt: isoDateTime,
});
/** GET /api/patients/:id/waitlist/offers: open offers. POST …/offers/:offerId/accept (Idempotency-Key): 201 appointmentView; 409 `offer_taken`. */
export const waitlistOfferListResponse = z.object({ offers: z.array(waitlistOfferView) });

/**
 * A question of a visit type's e-check-in questionnaire. `required` says whether it must be answered (a definition
 * without it is required, as every question was before); the page marks the others "(optional)".
 */
export const checkInQuestion = z.object({
  id: z.string(),
  text: z.string(),
  kind: z.enum(['yes_no', 'text']),
  required: z.boolean().default(true),
});
/** A consent form to sign at e-check-in. */
export const consentForm = z.object({ id: z.string(), title: z.string(), text: z.string() });

/** Who to call in an emergency. */
export const emergencyContact = z.object({
  name: z.string().trim().min(1).max(200),
  relationship: z.string().trim().min(1).max(100),
  phone: phoneNumber("your emergency contact's phone number"),
});
/** The patient's insurance as they confirm it. */
export const insuranceInfo = z.object({
  payer: z.string().trim().min(1).max(200),
  memberId: z.string().trim().min(1).max(100),
  groupNumber: z.string().trim().max(100).nullable().default(null),
});

/** GET /api/patients/:id/appointments/:appointmentId/check-in: what to confirm, answer and sign, and what was done. */
export const checkInFormResponse = z.object({
  appointment: appointmentView,
  address: z.string().nullable(),
  phone: z.string().nullable(),
  emergencyContact: emergencyContact.nullable(),
  insurance: insuranceInfo.nullable(),
  medications: z.array(z.object({ id: uuid, name: z.string(), directions: z.string().nullable() })),
  allergies: z.array(z.object({ id: uuid, substance: z.string(), reactions: z.string().nullable() })),
  questionnaire: z.array(checkInQuestion),
  consentForms: z.array(consentForm),
  completedAt: isoDateTime.nullable(),
});

/** POST /api/patients/:id/appointments/:appointmentId/check-in: 201 appointmentView (status checked_in). 400 before it opens. */
export const checkInBody = z.object({
  address: z.string().trim().min(5).max(500),
  phone: phoneNumber('your phone number'),
  emergencyContact,
  insurance: insuranceInfo,
  medicationsReviewed: z.literal(true, { error: 'Review your medications.' }),
  allergiesReviewed: z.literal(true, { error: 'Review your allergies.' }),
  answers: z.record(z.string().max(100), z.union([z.boolean(), z.string().max(2000)])),
  consents: z.array(z.object({ formId: z.string().max(100), signedName: z.string().trim().min(2).max(200) })).max(20),
});

/** The longest text answer to a check-in question. */
const checkInAnswerMaxLength = 2000;

/** One question's answer rule: yes/no takes true or false, text a visible character; an optional one may be left out or blank. */
function checkInAnswerRule(question: CheckInQuestion) {
  if (question.kind === 'yes_no') {
    const yesNo = z.boolean({ error: (issue) => (issue.input === undefined ? 'Answer this question.' : 'Answer yes or no.') });
    return question.required ? yesNo : yesNo.optional();
  }
  const text = z
    .string({ error: (issue) => (issue.input === undefined ? 'Answer this question.' : 'Answer this question in words.') })
    .trim()
    .max(checkInAnswerMaxLength, `Use at most ${checkInAnswerMaxLength} characters.`);
  return question.required ? text.min(1, 'Answer this question.') : text.optional();
}

/**
 * The whole e-check-in rule for one visit type's forms: checkInBody, every required question answered (an issue at
 * `answers.<questionId>`), and every consent form signed (at `consents.<index of the form>`; the page sends the
 * signatures in the forms' order). The page checks it before sending and the server enforces it, so both agree on what
 * is required.
 */
export function checkInBodyFor(forms: { questionnaire: readonly CheckInQuestion[]; consentForms: readonly ConsentForm[] }) {
  const answers = z.object(Object.fromEntries(forms.questionnaire.map((q) => [q.id, checkInAnswerRule(q)])));
  const consents = checkInBody.shape.consents.superRefine((signed, ctx) => {
    const known = new Set(forms.consentForms.map((form) => form.id));
    if (signed.some((c) => !known.has(c.formId))) ctx.addIssue({ code: 'custom', message: 'Sign only the forms of this visit.' });
    forms.consentForms.forEach((form, index) => {
      if (!signed.some((c) => c.formId === form.id)) ctx.addIssue({ code: 'custom', path: [index], message: 'Sign this consent form.' });
    });
  });
  return checkInBody.extend({ answers, consents });
}

/** Staff: one appointment on a schedule. */
export const scheduleAppointment = z.object({
  id: uuid,
  startAt: isoDateTime,
  endAt: isoDateTime,
  status: appointmentStatus,
  visitType: z.string(),
  patient: z.object({ id: uuid, name: z.string(), mrn: z.string() }),
  clinician: z.object({ id: uuid, name: z.string() }).nullable(),
  checkedInAt: isoDateTime.nullable(),
});
/** Staff: a blocked time. */
export const scheduleBlockView = z.object({
  id: uuid,
  clinicianId: uuid,
  startAt: isoDateTime,
  endAt: isoDateTime,
  reason: z.string().nullable(),
});

/** GET /api/schedule?departmentId=|clinicianId=&from=&days=1|7 : a day or a week, in the department's zone. */
export const scheduleQuery = z
  .object({
    departmentId: uuid.optional(),
    clinicianId: uuid.optional(),
    from: isoDate,
    days: z.coerce.number().int().min(1).max(7).default(1),
  })
  .refine((q) => (q.departmentId === undefined) !== (q.clinicianId === undefined), {
    message: 'Choose a department or a clinician.',
    path: ['departmentId'],
  });
/** The answer to a schedule request. */
export const scheduleResponse = z.object({
  timeZone: z.string(),
  days: z.array(z.object({ date: isoDate, appointments: z.array(scheduleAppointment), blocks: z.array(scheduleBlockView) })),
});

/** POST /api/schedule/appointments/:appointmentId/status: front desk marks arrival, completion, no-show or cancellation. */
export const appointmentStatusBody = z.object({ status: appointmentStatus });
/** The answer to a status change: the appointment and the status it now has. */
export const appointmentStatusResponse = z.object({ id: uuid, status: appointmentStatus });

/**
 * GET /api/schedule/own: the schedule a staff member's schedule page opens on: their own as a clinician, else their
 * first department's (by name), else none (they choose).
 */
export const ownScheduleResponse = z.object({
  owner: z.object({ kind: z.enum(['clinician', 'department']), id: uuid }).nullable(),
});

/** GET /api/schedule/clinicians: the organization's clinicians and nurses with the departments they work in. */
export const clinicianDirectoryResponse = z.object({
  clinicians: z.array(z.object({ id: uuid, name: z.string(), role: z.string(), departmentIds: z.array(uuid) })),
});

/** A visit type as staff keep it. */
export const visitTypeView = z.object({
  id: uuid,
  name: z.string(),
  durationMinutes: z.number().int(),
  patientBookable: z.boolean(),
  establishedOnly: z.boolean(),
  video: z.boolean(),
  instructions: z.string().nullable(),
  questionnaire: z.array(checkInQuestion),
  consentForms: z.array(consentForm),
  active: z.boolean(),
});
/** POST /api/schedule/visit-types, PUT /api/schedule/visit-types/:visitTypeId (front desk, admin). */
export const visitTypeBody = visitTypeView.omit({ id: true }).extend({
  name: z.string().trim().min(1).max(100),
  durationMinutes: z.number().int().min(5).max(480).multipleOf(5, 'Use whole 5-minute steps.'),
  instructions: z.string().trim().max(2000).nullable(),
});
/** GET /api/schedule/visit-types */
export const visitTypeListResponse = z.object({ visitTypes: z.array(visitTypeView) });

/** A weekly template row: a clinician's hours in a department on one weekday, local time. */
export const scheduleTemplateView = z.object({
  id: uuid,
  clinicianId: uuid,
  departmentId: uuid,
  weekday: z.number().int().min(0).max(6),
  startMinute: z.number().int().min(0).max(1435),
  endMinute: z.number().int().min(5).max(1440),
  visitTypeIds: z.array(uuid),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
});
/** POST /api/schedule/templates; DELETE /api/schedule/templates/:templateId. */
export const scheduleTemplateBody = scheduleTemplateView
  .omit({ id: true })
  .refine((t) => t.startMinute < t.endMinute && t.startMinute % 5 === 0 && t.endMinute % 5 === 0, {
    message: 'Hours run forward, in 5-minute steps.',
    path: ['endMinute'],
  });
/** GET /api/schedule/templates?departmentId=|clinicianId= */
export const scheduleTemplateListResponse = z.object({ templates: z.array(scheduleTemplateView) });
/** POST /api/schedule/blocks; DELETE /api/schedule/blocks/:blockId. */
export const scheduleBlockBody = z
  .object({ clinicianId: uuid, startAt: isoDateTime, endAt: isoDateTime, reason: z.string().trim().max(200).nullable().default(null) })
  .refine((b) => b.startAt < b.endAt, { message: 'The end must be after the start.', path: ['endAt'] });

export type AppointmentView = z.infer<typeof appointmentView>;
export type SlotView = z.infer<typeof slotView>;
export type DaySlots = z.infer<typeof daySlotsResponse>;
export type OpenDays = z.infer<typeof openDaysResponse>;
export type NextAvailable = z.infer<typeof nextAvailableResponse>;
export type ScheduleResponse = z.infer<typeof scheduleResponse>;
export type CheckInForm = z.infer<typeof checkInFormResponse>;
export type CheckInBody = z.infer<typeof checkInBody>;
export type CheckInQuestion = z.infer<typeof checkInQuestion>;
export type ConsentForm = z.infer<typeof consentForm>;
