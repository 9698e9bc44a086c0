/**
 * Demo scheduling (issue 5): the organization's visit types, every clinician's weekly hours (Monday to Friday, 9:00 to
 * 12:00 and 13:00 to 17:00 local) and the appointment_slots units of the booked demo appointments, so open times and
 * bookings work against the demo as they would against real use. Built from its own random stream and `now`, so the
 * rest of the demo's ids do not move when this changes.
 */
import type { appointmentSlots, scheduleTemplates, visitTypes } from '../db/schema/index.ts';
import { unitsOf, unitMs } from '../modules/scheduling/availability.ts';
import type { AppointmentRow, DepartmentRecord, StaffRecord } from './model.ts';
import type { Random } from './random.ts';
import type { DepartmentKey } from './roster.ts';
import { civilDateInZone, daysBefore, formatCivilDate } from './zoned-time.ts';

/** The scheduling rows the demo inserts, in insertion order (visit types before appointments, slots after). */
export interface DemoScheduling {
  visitTypes: (typeof visitTypes.$inferInsert & { id: string; name: string })[];
  templates: (typeof scheduleTemplates.$inferInsert)[];
  slots: (typeof appointmentSlots.$inferInsert)[];
}

/** Appointment statuses that hold their time (as the booking code counts them). */
const activeStatuses: readonly string[] = ['scheduled', 'checked_in', 'arrived'];

/** The demo's visit types; names match the demo appointments' `visitType` labels (visits.ts). */
const visitTypeSeeds: Omit<typeof visitTypes.$inferInsert, 'id' | 'organizationId'>[] = [
  { name: 'New patient visit', durationMinutes: 40, patientBookable: false },
  {
    name: 'Follow-up visit',
    durationMinutes: 20,
    patientBookable: true,
    establishedOnly: true,
    instructions: 'Bring your medications or a list of them.',
    questionnaire: [
      { id: 'symptoms-changed', text: 'Have your symptoms changed since your last visit?', kind: 'yes_no' },
      { id: 'anything-else', text: 'Anything else you want to discuss?', kind: 'text', required: false },
    ],
    consentForms: [{ id: 'treatment-consent', title: 'Consent to treatment', text: 'I agree to be examined and treated by my care team.' }],
  },
  { name: 'Video visit', durationMinutes: 20, patientBookable: true, video: true },
  { name: 'Annual physical', durationMinutes: 40, patientBookable: true },
];

/** Clinic hours, minutes after local midnight. */
const clinicHours = [
  { startMinute: 9 * 60, endMinute: 12 * 60 },
  { startMinute: 13 * 60, endMinute: 17 * 60 },
] as const;

/** Monday to Friday (0 is Sunday). */
const weekdays = [1, 2, 3, 4, 5] as const;

/** How long before `now` the weekly hours start. */
const templatesValidDays = 60;

/**
 * Visit types, weekly hours and booked units. Sets `visitTypeId` on the appointments whose label names a visit type
 * (in place), and claims units of active appointments in order, leaving out any unit an earlier row holds, so the
 * insert cannot fail on the appointment_slots key.
 */
export function buildDemoScheduling(input: {
  now: Date;
  random: Random;
  organizationId: string;
  departments: Record<DepartmentKey, DepartmentRecord>;
  staff: readonly StaffRecord[];
  appointments: AppointmentRow[];
}): DemoScheduling {
  const { now, random } = input;
  const out: DemoScheduling = { visitTypes: [], templates: [], slots: [] };
  for (const seed of visitTypeSeeds) out.visitTypes.push({ ...seed, id: random.uuid(), organizationId: input.organizationId });

  for (const clinician of input.staff.filter((s) => s.role === 'clinician')) {
    for (const key of clinician.departments) {
      const department = input.departments[key];
      const validFrom = formatCivilDate(civilDateInZone(daysBefore(now, templatesValidDays), department.timeZone));
      for (const weekday of weekdays) {
        for (const hours of clinicHours) {
          out.templates.push({
            id: random.uuid(),
            clinicianId: clinician.id,
            departmentId: department.id,
            weekday,
            ...hours,
            visitTypeIds: [],
            validFrom,
            validTo: null,
          });
        }
      }
    }
  }

  const typeIdByName = new Map(out.visitTypes.map((t) => [t.name, t.id]));
  const claimed = new Set<string>();
  for (const appointment of input.appointments) {
    appointment.visitTypeId = typeIdByName.get(appointment.visitType) ?? null;
    const clinicianId = appointment.clinicianId;
    if (!clinicianId || !activeStatuses.includes(appointment.status) || !appointment.id) continue;
    const start = new Date(Math.floor(new Date(appointment.startAt).getTime() / unitMs) * unitMs);
    for (const unitStart of unitsOf(start, new Date(appointment.endAt))) {
      const key = `${clinicianId}|${unitStart.getTime()}`;
      if (claimed.has(key)) continue;
      claimed.add(key);
      out.slots.push({ clinicianId, unitStart, appointmentId: appointment.id });
    }
  }
  return out;
}
