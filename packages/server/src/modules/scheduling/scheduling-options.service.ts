/** What a patient may book (issue 5 §2): bookable visit types with who offers them and where, and their open times. */
import type { z } from 'zod';
import type { schedulingOptionsResponse, slotListResponse } from '@portico/shared';
import { AppError } from '../../errors.ts';
import { civilDateInZone, parseCivilDate } from '@portico/shared/zoned-time';
import type { Actor } from '../access/access.policy.ts';
import { withPatientAccess } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { offersVisitType } from './availability.ts';
import {
  findBookableVisitTypes,
  findDepartment,
  findEstablishedWith,
  findOrganizationTemplates,
  findPatientPcp,
  findUserNames,
  findVisitType,
} from './appointments.repository.ts';
import { eligibilityFor } from './appointments.service.ts';
import { findOpenSlots } from './open-slots.ts';

type SchedulingOptions = z.infer<typeof schedulingOptionsResponse>;
type SlotList = z.infer<typeof slotListResponse>;

/**
 * GET …/scheduling/options: active, patient-bookable visit types with the departments and clinicians whose weekly hours
 * offer them; an established-only type lists only the clinicians (or whole departments) the patient has seen. Names the
 * patient's primary care clinician too, so the picker can offer "my doctor" first.
 */
export function getSchedulingOptions(deps: AuthDeps, actor: Actor, audit: AuditContext, patientId: string) {
  const request = {
    patientId,
    action: 'read' as const,
    categories: ['appointments' as const],
    auditAction: 'scheduling.options.read',
    notForOutsideProviders: true,
  };
  return withPatientAccess(deps.db, actor, audit, request, async (tx, grant): Promise<SchedulingOptions> => {
    const types = await findBookableVisitTypes(tx, grant.patient.organizationId);
    const templates = await findOrganizationTemplates(tx, grant.patient.organizationId);
    const established = await findEstablishedWith(tx, grant.patient.id);
    const pcp = (await findPatientPcp(tx, grant.patient.id)) ?? null;
    const visitTypes = types.flatMap((type) => {
      const departments = new Map<string, { id: string; name: string; timeZone: string; clinicians: Map<string, string> }>();
      for (const { template, departmentName, departmentTimeZone, clinicianName } of templates) {
        if (!offersVisitType(template, type.id)) continue;
        const isEligible =
          !type.establishedOnly ||
          established.departmentIds.has(template.departmentId) ||
          established.clinicianIds.has(template.clinicianId);
        if (!isEligible) continue;
        let department = departments.get(template.departmentId);
        if (!department)
          departments.set(
            template.departmentId,
            (department = { id: template.departmentId, name: departmentName, timeZone: departmentTimeZone, clinicians: new Map() }),
          );
        department.clinicians.set(template.clinicianId, clinicianName);
      }
      if (departments.size === 0) return [];
      return [
        {
          id: type.id,
          name: type.name,
          durationMinutes: type.durationMinutes,
          video: type.video,
          establishedOnly: type.establishedOnly,
          instructions: type.instructions,
          departments: [...departments.values()].map((d) => ({
            id: d.id,
            name: d.name,
            timeZone: d.timeZone,
            clinicians: [...d.clinicians].map(([id, name]) => ({ id, name })),
          })),
        },
      ];
    });
    return { visitTypes, pcp };
  });
}

/**
 * GET …/scheduling/slots (kept for older clients; the web asks slot-search.service.ts): open start times in the department's zone for `days` local days from `from` (default today),
 * none in the past or within the booking lead time; any clinician unless one is named.
 */
export function listSlots(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  query: { visitTypeId: string; departmentId: string; clinicianId?: string; from?: string; days: number },
) {
  const request = {
    patientId,
    action: 'read' as const,
    categories: ['appointments' as const],
    auditAction: 'scheduling.slots.read',
    auditDetails: { visitTypeId: query.visitTypeId, departmentId: query.departmentId },
  };
  return withPatientAccess(deps.db, actor, audit, request, async (tx, grant): Promise<SlotList> => {
    const visitType = await findVisitType(tx, grant.patient.organizationId, query.visitTypeId);
    if (!visitType || !visitType.active || !visitType.patientBookable) {
      throw new AppError(400, 'validation_failed', 'visitTypeId: This kind of visit cannot be booked online.', 'visitTypeId');
    }
    const department = await findDepartment(tx, grant.patient.organizationId, query.departmentId);
    if (!department) throw new AppError(400, 'validation_failed', 'departmentId: Choose one of the clinics offered.', 'departmentId');
    const now = new Date();
    const slots = await findOpenSlots(tx, {
      department,
      visitType,
      clinicianId: query.clinicianId ?? null,
      from: query.from ? parseCivilDate(query.from) : civilDateInZone(now, department.timeZone),
      days: query.days,
      now,
      isClinicianEligible: await eligibilityFor(tx, grant.patient.id, visitType.establishedOnly, department.id),
    });
    const names = await findUserNames(tx, [...new Set(slots.map((s) => s.clinicianId))]);
    return {
      timeZone: department.timeZone,
      slots: slots.map((s) => ({
        startAt: s.startAt.toISOString(),
        endAt: s.endAt.toISOString(),
        clinicianId: s.clinicianId,
        clinicianName: names.get(s.clinicianId) ?? '',
      })),
    };
  });
}
