/** Plans and books each demo patient's visits: yearly checkups, follow-ups of chronic problems, sick visits. */
import { conditionDef, type ConditionKey } from './codes-problems.ts';
import { departmentClinician, type DepartmentRecord, type PatientRecord, type SeedContext, type StaffRecord } from './model.ts';
import type { ClinicalProfile } from './profile.ts';
import type { Random } from './random.ts';
import { addDays, ageInYears, civilDateInZone, daysBefore, isWeekday, zonedTimeToUtc } from './zoned-time.ts';

/** Kinds of visit, each with its encounter type and appointment label. */
export type VisitKind = 'annual' | 'wellChild' | 'followUp' | 'sick' | 'video' | 'consult';

/** How each kind of visit is coded (SNOMED CT encounter types) and booked. */
export const visitKinds: Record<
  VisitKind,
  { snomed: string; display: string; visitType: string; minutes: readonly number[]; encounterClass: 'AMB' | 'VR' }
> = {
  annual: {
    snomed: '162673000',
    display: 'General examination of patient (procedure)',
    visitType: 'Annual physical',
    minutes: [40],
    encounterClass: 'AMB',
  },
  wellChild: {
    snomed: '410620009',
    display: 'Well child visit (procedure)',
    visitType: 'Well child visit',
    minutes: [30],
    encounterClass: 'AMB',
  },
  followUp: {
    snomed: '390906007',
    display: 'Follow-up encounter (procedure)',
    visitType: 'Follow-up visit',
    minutes: [20, 30],
    encounterClass: 'AMB',
  },
  sick: {
    snomed: '185347001',
    display: 'Encounter for problem (procedure)',
    visitType: 'Sick visit',
    minutes: [20],
    encounterClass: 'AMB',
  },
  video: {
    snomed: '448337001',
    display: 'Telemedicine consultation with patient (procedure)',
    visitType: 'Video visit',
    minutes: [20, 30],
    encounterClass: 'VR',
  },
  consult: {
    snomed: '11429006',
    display: 'Consultation (procedure)',
    visitType: 'New patient visit',
    minutes: [40],
    encounterClass: 'AMB',
  },
};

/** A visit before it has a time. */
export interface VisitPlan {
  kind: VisitKind;
  target: Date;
  department: DepartmentRecord;
  clinician: StaffRecord;
  /** Problems addressed. */
  reasons: ConditionKey[];
  /** Problems first diagnosed at this visit. */
  diagnoses: ConditionKey[];
}

/** A booked visit; it becomes an Encounter and, when recent, a completed appointment. */
export interface Visit extends VisitPlan {
  id: string;
  start: Date;
  end: Date;
}

const dayMs = 86_400_000;
const minuteMs = 60_000;
const lunch = { start: 12 * 60, end: 13 * 60 };

/** Start times (minutes after local midnight) a visit of this length can take: 8:00 to 17:00, not over lunch. */
function slotStarts(minutes: number): number[] {
  const step = minutes === 30 ? 30 : 20;
  const starts: number[] = [];
  for (let start = 8 * 60; start + minutes <= 17 * 60; start += step) {
    if (start < lunch.end && start + minutes > lunch.start) continue;
    starts.push(start);
  }
  return starts;
}

/** Keeps clinicians and patients from being double-booked across past visits and future appointments. */
export class Scheduler {
  private readonly busy = new Map<string, { start: number; end: number }[]>();

  private isFree(key: string, start: number, end: number): boolean {
    return (this.busy.get(key) ?? []).every((slot) => slot.end <= start || slot.start >= end);
  }

  private reserve(key: string, start: number, end: number): void {
    const slots = this.busy.get(key) ?? [];
    slots.push({ start, end });
    this.busy.set(key, slots);
  }

  /** Books the first open weekday slot on or near `target`, in clinic hours of `timeZone`; null when none fits the window. */
  book(
    random: Random,
    request: { target: Date; timeZone: string; minutes: number; clinicianId: string; patientId: string; notBefore: Date; notAfter: Date },
  ): { start: Date; end: Date } | null {
    const firstDay = civilDateInZone(request.target, request.timeZone);
    const starts = slotStarts(request.minutes);
    for (let attempt = 0; attempt < 21; attempt++) {
      const offset = attempt % 2 === 0 ? attempt / 2 : -(attempt + 1) / 2;
      const day = addDays(firstDay, offset);
      if (!isWeekday(day)) continue;
      for (let tries = 0; tries < 4; tries++) {
        const start = zonedTimeToUtc(day, random.pick(starts), request.timeZone).getTime();
        const end = start + request.minutes * minuteMs;
        if (start < request.notBefore.getTime() || end > request.notAfter.getTime()) continue;
        if (!this.isFree(request.clinicianId, start, end) || !this.isFree(request.patientId, start, end)) continue;
        this.reserve(request.clinicianId, start, end);
        this.reserve(request.patientId, start, end);
        return { start: new Date(start), end: new Date(end) };
      }
    }
    return null;
  }
}

/** Well-child visit ages in months (AAP Bright Futures), then yearly. */
const wellChildMonths = [0.1, 1, 2, 4, 6, 9, 12, 15, 18, 24, 30, 36];

function addMonths(from: Date, months: number): Date {
  return new Date(from.getTime() + months * 30.44 * dayMs);
}

/** Every visit a patient should have had, before booking. */
export function planVisits(patient: PatientRecord, profile: ClinicalProfile, context: SeedContext, random: Random): VisitPlan[] {
  const { now } = context;
  const lastDay = daysBefore(now, 3);
  const inWindow = (at: Date) => at.getTime() >= profile.historyStart.getTime() && at.getTime() <= lastDay.getTime();
  const plans: VisitPlan[] = [];
  const primary = { department: patient.home, clinician: patient.pcp };
  const isChild = ageInYears(patient.birthDate, now) < 18;

  const birth = new Date(`${patient.birthDate}T12:00:00Z`);
  if (isChild) {
    const months = [...wellChildMonths];
    for (let m = 48; m < 18 * 12; m += 12) months.push(m);
    for (const m of months) {
      const target = addMonths(birth, m);
      if (inWindow(target)) plans.push({ kind: 'wellChild', target, ...primary, reasons: [], diagnoses: [] });
    }
  } else {
    for (let target = daysBefore(now, random.int(20, 330)); inWindow(target); target = daysBefore(target, random.int(345, 385))) {
      plans.push({ kind: 'annual', target, ...primary, reasons: [], diagnoses: [] });
    }
  }

  const nearby = (department: DepartmentRecord, target: Date, within: number) =>
    plans.find((p) => p.department.id === department.id && Math.abs(p.target.getTime() - target.getTime()) < within * dayMs);

  for (const problem of profile.problems) {
    const def = conditionDef(problem.key);
    const specialty = def.specialty
      ? { department: context.departments[def.specialty], clinician: departmentClinician(context, def.specialty) }
      : null;
    if (inWindow(problem.onset)) {
      const existing = nearby(primary.department, problem.onset, def.chronic ? 20 : 0);
      if (existing) existing.diagnoses.push(problem.key);
      else plans.push({ kind: 'sick', target: problem.onset, ...primary, reasons: [], diagnoses: [problem.key] });
      if (specialty) {
        const target = new Date(problem.onset.getTime() + random.int(14, 45) * dayMs);
        if (inWindow(target)) plans.push({ kind: 'consult', target, ...specialty, reasons: [problem.key], diagnoses: [] });
      }
    }
    if (def.followUpMonths === null || problem.lastsDays !== null) continue;
    const firstFollowUp = new Date(Math.max(problem.onset.getTime(), profile.historyStart.getTime()) + def.followUpMonths * 30.44 * dayMs);
    let turn = 0;
    for (let target = firstFollowUp; target.getTime() <= lastDay.getTime(); target = addMonths(target, def.followUpMonths)) {
      const jitter = random.int(-20, 20) * dayMs;
      const jittered = new Date(Math.min(Math.max(target.getTime() + jitter, profile.historyStart.getTime()), lastDay.getTime()));
      turn += 1;
      // The latest follow-up is in person, so a patient followed for a chronic problem always has recent results.
      const isLatest = addMonths(target, def.followUpMonths).getTime() > lastDay.getTime();
      const where = specialty && turn % 2 === 1 ? specialty : primary;
      const existing = nearby(where.department, jittered, 45);
      if (existing) {
        if (!existing.reasons.includes(problem.key)) existing.reasons.push(problem.key);
        if (isLatest && existing.kind === 'video') existing.kind = 'followUp';
        continue;
      }
      const video = !isChild && !isLatest && random.chance(0.2);
      plans.push({ kind: video ? 'video' : 'followUp', target: jittered, ...where, reasons: [problem.key], diagnoses: [] });
    }
  }
  return plans.sort((a, b) => a.target.getTime() - b.target.getTime());
}

/** Books each planned visit in its department's zone and clinic hours; visits that find no slot are dropped. */
export function bookVisits(
  plans: readonly VisitPlan[],
  patient: PatientRecord,
  context: SeedContext,
  scheduler: Scheduler,
  random: Random,
): Visit[] {
  const visits: Visit[] = [];
  for (const plan of plans) {
    const minutes = random.pick(visitKinds[plan.kind].minutes);
    const slot = scheduler.book(random, {
      target: plan.target,
      timeZone: plan.department.timeZone,
      minutes,
      clinicianId: plan.clinician.id,
      patientId: patient.id,
      notBefore: new Date(`${patient.birthDate}T00:00:00Z`),
      notAfter: daysBefore(context.now, 2),
    });
    if (slot) visits.push({ ...plan, id: random.uuid(), start: slot.start, end: slot.end });
  }
  return visits;
}
