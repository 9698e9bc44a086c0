/** Demo appointments: recent visits as completed (plus a few no-shows and cancellations) and upcoming bookings. */
import { conditionDef } from './codes-problems.ts';
import {
  departmentClinician,
  type AppointmentRow,
  type DepartmentRecord,
  type PatientRecord,
  type SeedContext,
  type StaffRecord,
} from './model.ts';
import type { ClinicalProfile } from './profile.ts';
import type { Random } from './random.ts';
import { visitKinds, type Scheduler, type Visit, type VisitKind } from './visits.ts';
import { ageInYears, daysAfter, daysBefore } from './zoned-time.ts';

/** How far back completed visits also appear as appointments. */
const pastAppointmentDays = 540;

function appointmentRow(
  random: Random,
  input: {
    patient: PatientRecord;
    organizationId: string;
    department: DepartmentRecord;
    clinician: StaffRecord;
    kind: VisitKind;
    start: Date;
    end: Date;
    status: AppointmentRow['status'];
    createdAt: Date;
  },
): AppointmentRow {
  return {
    id: random.uuid(),
    patientId: input.patient.id,
    organizationId: input.organizationId,
    departmentId: input.department.id,
    clinicianId: input.clinician.id,
    startAt: input.start,
    endAt: input.end,
    timeZone: input.department.timeZone,
    visitType: visitKinds[input.kind].visitType,
    status: input.status,
    createdAt: input.createdAt,
  };
}

/** Completed appointments for the recent visits, and occasionally a missed or cancelled one. */
export function pastAppointments(
  patient: PatientRecord,
  visits: readonly Visit[],
  organizationId: string,
  context: SeedContext,
  scheduler: Scheduler,
  random: Random,
): AppointmentRow[] {
  const { now } = context;
  const since = daysBefore(now, pastAppointmentDays).getTime();
  const rows = visits
    .filter((visit) => visit.start.getTime() >= since)
    .map((visit) =>
      appointmentRow(random, {
        patient,
        organizationId,
        department: visit.department,
        clinician: visit.clinician,
        kind: visit.kind,
        start: visit.start,
        end: visit.end,
        status: 'completed',
        createdAt: daysBefore(visit.start, random.int(3, 45)),
      }),
    );
  for (const status of ['no_show', 'cancelled'] as const) {
    if (!random.chance(0.12)) continue;
    const slot = scheduler.book(random, {
      target: daysBefore(now, random.int(20, 330)),
      timeZone: patient.home.timeZone,
      minutes: 20,
      clinicianId: patient.pcp.id,
      patientId: patient.id,
      notBefore: daysBefore(now, pastAppointmentDays),
      notAfter: daysBefore(now, 2),
    });
    if (!slot) continue;
    rows.push(
      appointmentRow(random, {
        patient,
        organizationId,
        department: patient.home,
        clinician: patient.pcp,
        kind: 'followUp',
        start: slot.start,
        end: slot.end,
        status,
        createdAt: daysBefore(slot.start, random.int(5, 30)),
      }),
    );
  }
  return rows;
}

/** What a patient would book next: a checkup, a follow-up of a chronic problem, or a specialist visit. */
function nextVisit(patient: PatientRecord, profile: ClinicalProfile, context: SeedContext, random: Random) {
  const primary = { department: patient.home, clinician: patient.pcp };
  if (ageInYears(patient.birthDate, context.now) < 18) return { kind: 'wellChild' as const, ...primary };
  const chronic = profile.problems.filter((p) => p.lastsDays === null && conditionDef(p.key).followUpMonths !== null);
  const specialty = chronic.map((p) => conditionDef(p.key).specialty).find((s) => s !== null);
  if (specialty && random.chance(0.4)) {
    return { kind: 'followUp' as const, department: context.departments[specialty], clinician: departmentClinician(context, specialty) };
  }
  if (chronic.length > 0) return { kind: random.chance(0.3) ? ('video' as const) : ('followUp' as const), ...primary };
  if (random.chance(0.15)) {
    return { kind: 'consult' as const, department: context.departments.cardiology, clinician: departmentClinician(context, 'cardiology') };
  }
  return { kind: 'annual' as const, ...primary };
}

/** One scheduled appointment in the next one to eight weeks, for most patients. */
export function upcomingAppointment(
  patient: PatientRecord,
  profile: ClinicalProfile,
  organizationId: string,
  context: SeedContext,
  scheduler: Scheduler,
  random: Random,
): AppointmentRow | null {
  if (!random.chance(0.7)) return null;
  const visit = nextVisit(patient, profile, context, random);
  return bookUpcoming(patient, organizationId, context, scheduler, random, { ...visit, fromDays: 7, toDays: 56 });
}

/** Books a scheduled appointment between `fromDays` and `toDays` after now; null when no slot fits. */
export function bookUpcoming(
  patient: PatientRecord,
  organizationId: string,
  context: SeedContext,
  scheduler: Scheduler,
  random: Random,
  request: { kind: VisitKind; department: DepartmentRecord; clinician: StaffRecord; fromDays: number; toDays: number },
): AppointmentRow | null {
  const { now } = context;
  const slot = scheduler.book(random, {
    target: daysAfter(now, random.int(request.fromDays, request.toDays)),
    timeZone: request.department.timeZone,
    minutes: random.pick(visitKinds[request.kind].minutes),
    clinicianId: request.clinician.id,
    patientId: patient.id,
    notBefore: daysAfter(now, Math.max(1, request.fromDays)),
    notAfter: daysAfter(now, request.toDays),
  });
  if (!slot) return null;
  return appointmentRow(random, {
    patient,
    organizationId,
    department: request.department,
    clinician: request.clinician,
    kind: request.kind,
    start: slot.start,
    end: slot.end,
    status: 'scheduled',
    createdAt: daysBefore(now, random.int(1, 30)),
  });
}
