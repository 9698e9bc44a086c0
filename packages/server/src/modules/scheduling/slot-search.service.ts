/**
 * The booking picker's questions (issue 10 §3): which days of a week have open times, the first day that has one
 * ("next available", 90 days ahead in one statement), and the open times of one day. Days are local days in the
 * department's zone, all answered by open-days.repository.ts's statements. Each runs in withAuditedPatientAccess
 * (category `appointments`), so the policy decides and the read is audited like the other scheduling reads; a search
 * refused after the policy allowed it (400: a visit type, clinic or clinician not offered to this patient, which their
 * visit history decides) is audited as a failure too.
 */
import type { z } from 'zod';
import { bookingSearchDays, type daySlotsResponse, type nextAvailableResponse, type openDaysResponse } from '@portico/shared';
import type { Transaction } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { addDays, civilDateInZone, formatCivilDate, parseCivilDate } from '@portico/shared/zoned-time';
import type { Actor, PatientRef } from '../access/access.policy.ts';
import { withAuditedPatientAccess, type PatientAccessRequest } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { findDepartment, findDepartmentTemplates, findUserNames, findVisitType } from './appointments.repository.ts';
import { eligibilityFor } from './appointments.service.ts';
import { offersVisitType, onePerStartTime } from './availability.ts';
import { findOpenDays, findOpenStarts } from './open-days.repository.ts';
import { bookingLeadMs } from './open-slots.ts';

/** A visit type in a department, with one clinician or anyone. */
interface SlotSearch {
  visitTypeId: string;
  departmentId: string;
  clinicianId?: string;
}

function access(patientId: string, auditAction: string, search: SlotSearch, details: Record<string, unknown>): PatientAccessRequest {
  const { visitTypeId, departmentId, clinicianId } = search;
  return {
    patientId,
    action: 'read',
    categories: ['appointments'],
    auditAction,
    auditDetails: { visitTypeId, departmentId, ...(clinicianId ? { clinicianId } : {}), ...details },
  };
}

/**
 * Checks a search and reads what it needs: a bookable visit type (400 `visitTypeId`), a department of the patient's
 * organization (400 `departmentId`), and the weekly hours there that offer the type to this patient, of the named
 * clinician (400 `clinicianId` when they offer none) or of everyone.
 */
async function resolveSearch(tx: Transaction, patient: PatientRef, search: SlotSearch) {
  const visitType = await findVisitType(tx, patient.organizationId, search.visitTypeId);
  if (!visitType || !visitType.active || !visitType.patientBookable) {
    throw new AppError(400, 'validation_failed', 'visitTypeId: This kind of visit cannot be booked online.', 'visitTypeId');
  }
  const department = await findDepartment(tx, patient.organizationId, search.departmentId);
  if (!department) throw new AppError(400, 'validation_failed', 'departmentId: Choose one of the clinics offered.', 'departmentId');
  const isClinicianEligible = await eligibilityFor(tx, patient.id, visitType.establishedOnly, department.id);
  const templates = (await findDepartmentTemplates(tx, department.id, search.clinicianId ?? null)).filter(
    (t) => offersVisitType(t, visitType.id) && isClinicianEligible(t.clinicianId),
  );
  if (search.clinicianId && templates.length === 0) {
    throw new AppError(400, 'validation_failed', 'clinicianId: Choose one of the clinicians offered for this visit.', 'clinicianId');
  }
  return { visitType, department, clinicianIds: [...new Set(templates.map((t) => t.clinicianId))] };
}

/** The SQL search of a checked one, dates aside. */
function searchOf(search: Awaited<ReturnType<typeof resolveSearch>>) {
  return {
    departmentId: search.department.id,
    timeZone: search.department.timeZone,
    visitTypeId: search.visitType.id,
    durationMinutes: search.visitType.durationMinutes,
    clinicianIds: search.clinicianIds,
  };
}

/** GET …/scheduling/day-slots: the open times of one local day; without a clinician, one per start time. */
export function getDaySlots(deps: AuthDeps, actor: Actor, audit: AuditContext, patientId: string, query: SlotSearch & { date: string }) {
  const request = access(patientId, 'scheduling.day.read', query, { date: query.date });
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient): Promise<z.infer<typeof daySlotsResponse>> => {
    const search = await resolveSearch(tx, patient, query);
    const lengthMs = search.visitType.durationMinutes * 60_000;
    const starts = await findOpenStarts(tx, {
      ...searchOf(search),
      from: query.date,
      to: query.date,
      notBefore: new Date(Date.now() + bookingLeadMs),
    });
    const open = starts.map((s) => ({ ...s, endAt: new Date(s.startAt.getTime() + lengthMs) }));
    const slots = query.clinicianId ? open : onePerStartTime(open);
    const names = await findUserNames(tx, [...new Set(slots.map((s) => s.clinicianId))]);
    return {
      timeZone: search.department.timeZone,
      date: query.date,
      slots: slots.map((s) => ({
        startAt: s.startAt.toISOString(),
        endAt: s.endAt.toISOString(),
        clinicianId: s.clinicianId,
        clinicianName: names.get(s.clinicianId) ?? '',
      })),
    };
  });
}

/** GET …/scheduling/open-days: which local days from `from` to `to` (at most 90, checked by the schema) have an open time. */
export function getOpenDays(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  query: SlotSearch & { from: string; to: string },
) {
  const request = access(patientId, 'scheduling.open-days.read', query, { from: query.from, to: query.to });
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient): Promise<z.infer<typeof openDaysResponse>> => {
    const search = await resolveSearch(tx, patient, query);
    const openDays = await findOpenDays(tx, {
      ...searchOf(search),
      from: query.from,
      to: query.to,
      notBefore: new Date(Date.now() + bookingLeadMs),
      limit: bookingSearchDays,
    });
    return { timeZone: search.department.timeZone, from: query.from, to: query.to, openDays };
  });
}

/**
 * GET …/scheduling/next-available: the first local day with an open time in the 90 days from `from` (never before
 * today in the department's zone), found by one statement; null when none.
 */
export function getNextAvailable(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  query: SlotSearch & { from?: string },
) {
  const request = access(patientId, 'scheduling.next-available.read', query, query.from ? { from: query.from } : {});
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient): Promise<z.infer<typeof nextAvailableResponse>> => {
    const search = await resolveSearch(tx, patient, query);
    const now = new Date();
    const today = formatCivilDate(civilDateInZone(now, search.department.timeZone));
    const searchedFrom = query.from && query.from > today ? query.from : today;
    const searchedThrough = formatCivilDate(addDays(parseCivilDate(searchedFrom), bookingSearchDays - 1));
    const [date = null] = await findOpenDays(tx, {
      ...searchOf(search),
      from: searchedFrom,
      to: searchedThrough,
      notBefore: new Date(now.getTime() + bookingLeadMs),
      limit: 1,
    });
    return { timeZone: search.department.timeZone, date, searchedFrom, searchedThrough };
  });
}
