import type { BookableVisitType, SchedulingOptions, SlotTarget } from '../../api/appointments.ts';

/** Whom the patient wants to see: their own doctor, a clinician they name, or whoever is free first. */
export type WhoKind = 'pcp' | 'named' | 'any';

/** The "who" step's answers: the kind, the clinician picked from the list (named), the place (first available). */
export interface WhoChoice {
  kind: WhoKind | null;
  /** A clinicianOption key, when `kind` is 'named'. */
  clinicianKey: string;
  /** The department, when `kind` is 'any' and the visit is offered in several. */
  departmentId: string | null;
}

/** Nothing chosen yet. */
export const noWhoChoice: WhoChoice = { kind: null, clinicianKey: '', departmentId: null };

/** A clinician who offers the visit type in a department (one clinician may work in several). */
export interface ClinicianOption {
  key: string;
  clinicianId: string;
  clinicianName: string;
  departmentId: string;
  departmentName: string;
  timeZone: string;
}

/** The departments offering the visit type; only `departmentId` when given (rescheduling keeps the place). */
export function departmentsOf(visitType: BookableVisitType, departmentId?: string) {
  return visitType.departments.filter((d) => departmentId === undefined || d.id === departmentId);
}

/** Every (clinician, department) offering the visit type, by name. */
export function clinicianOptions(visitType: BookableVisitType, departmentId?: string): ClinicianOption[] {
  return departmentsOf(visitType, departmentId)
    .flatMap((d) =>
      d.clinicians.map((c) => ({
        key: `${d.id}:${c.id}`,
        clinicianId: c.id,
        clinicianName: c.name,
        departmentId: d.id,
        departmentName: d.name,
        timeZone: d.timeZone,
      })),
    )
    .sort((a, b) => a.clinicianName.localeCompare(b.clinicianName) || a.departmentName.localeCompare(b.departmentName));
}

/** "My doctor": the patient's PCP where they offer this visit type (their first such department), or null. */
export function pcpOption(visitType: BookableVisitType, pcp: SchedulingOptions['pcp'], departmentId?: string): ClinicianOption | null {
  if (!pcp) return null;
  return clinicianOptions(visitType, departmentId).find((o) => o.clinicianId === pcp.id) ?? null;
}

/** Where and with whom to look for times, once the choice is complete; null while something is missing. */
export function targetOf(
  visitType: BookableVisitType,
  pcp: SchedulingOptions['pcp'],
  choice: WhoChoice,
  departmentId?: string,
): (SlotTarget & { timeZone: string; placeName: string; clinicianName: string | null }) | null {
  const chosen =
    choice.kind === 'pcp'
      ? pcpOption(visitType, pcp, departmentId)
      : choice.kind === 'named'
        ? (clinicianOptions(visitType, departmentId).find((o) => o.key === choice.clinicianKey) ?? null)
        : null;
  if (chosen) {
    return {
      visitTypeId: visitType.id,
      departmentId: chosen.departmentId,
      clinicianId: chosen.clinicianId,
      timeZone: chosen.timeZone,
      placeName: chosen.departmentName,
      clinicianName: chosen.clinicianName,
    };
  }
  if (choice.kind !== 'any') return null;
  const places = departmentsOf(visitType, departmentId);
  const place = places.length === 1 ? places[0] : places.find((d) => d.id === choice.departmentId);
  if (!place) return null;
  return {
    visitTypeId: visitType.id,
    departmentId: place.id,
    clinicianId: null,
    timeZone: place.timeZone,
    placeName: place.name,
    clinicianName: null,
  };
}
