/**
 * The waitlist (issue 5 §2): a patient with a booked visit asks for an earlier time; when a booked time is released,
 * every waitlisted patient whose visit could move there is offered it, and the first to accept takes it.
 */
import type { AppointmentView } from '@portico/shared';
import type { Database, Executor, Transaction } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { actsForPatient, type Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { runIdempotent, type IdempotencyRequest, type StoredAnswer } from '../idempotency/idempotency.ts';
import { notify } from '../notifications/notify.ts';
import {
  cancelAppointmentRow,
  findAppointment,
  findAppointmentRow,
  findDepartment,
  insertAppointment,
  insertSlotUnits,
  lockAppointment,
} from './appointments.repository.ts';
import { unitsOf } from './availability.ts';
import { toAppointmentView } from './appointment-view.ts';
import { queueBookingConfirmation } from './booking-confirmation.ts';
import type { ReleasedSlot } from './booking.ts';
import {
  cancelWaitlistEntries,
  findOffer,
  findOfferTime,
  findOpenOffers,
  findWaitlistCandidates,
  findWaitlistEntry,
  insertOffers,
  insertWaitlistEntry,
  lockOffersOfTime,
  settleAcceptedOffer,
} from './waitlist.repository.ts';
import { withAuditedPatientAccess } from '../access/access.service.ts';

/** How long an offer stays open at most; it also closes when the offered time begins. */
export const offerValidHours = 12;

/** What offering and accepting need besides the transaction: where links point, and the clock. */
export interface WaitlistDeps {
  db: Database;
  publicUrl: string;
}

const offerTaken = (message = 'Someone else took this time a moment ago.') => new AppError(409, 'offer_taken', message);
const invalid = (field: string, message: string) => new AppError(400, 'validation_failed', message, field);

/**
 * Offers a released time to every waitlisted patient whose booked visit could move there: same department, same
 * clinician when theirs named one, same visit type when theirs has one, no longer than the released time, and starting
 * later than it. Each offer is open until 12 hours pass or the time begins, whichever is first; each patient with an
 * account is told (`waitlist_offer`, content-free). Runs in the caller's transaction; answers the offer ids.
 */
export async function offerReleasedSlot(tx: Executor, slot: ReleasedSlot, publicUrl: string, now = new Date()): Promise<string[]> {
  if (slot.startAt.getTime() <= now.getTime()) return [];
  const candidates = await findWaitlistCandidates(tx, slot);
  if (candidates.length === 0) return [];
  const expiresAt = new Date(Math.min(now.getTime() + offerValidHours * 3_600_000, slot.startAt.getTime()));
  const offers = await insertOffers(
    tx,
    candidates.map((c) => ({
      entryId: c.entryId,
      patientId: c.patientId,
      clinicianId: slot.clinicianId,
      departmentId: slot.departmentId,
      startAt: slot.startAt,
      // The patient's own visit length: a shorter visit leaves the rest of the released time free.
      endAt: new Date(slot.startAt.getTime() + (c.endAt.getTime() - c.startAt.getTime())),
      expiresAt,
    })),
  );
  const userOf = new Map(candidates.map((c) => [c.entryId, c.userId]));
  for (const offer of offers) {
    const userId = userOf.get(offer.entryId);
    if (userId) await notify(tx, publicUrl, { userId, event: 'waitlist_offer', eventKey: `offer:${offer.id}`, path: '/appointments' });
  }
  return offers.map((o) => o.id);
}

function patientAppointmentAccess(patientId: string, appointmentId: string, auditAction: string) {
  return { patientId, action: 'write' as const, categories: ['appointments' as const], auditAction, auditDetails: { appointmentId } };
}

/** PUT …/appointments/:appointmentId/waitlist: the patient asks for an earlier time for their own scheduled, future visit. */
export function joinWaitlistFor(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  appointmentId: string,
  now = new Date(),
) {
  const access = patientAppointmentAccess(patientId, appointmentId, 'waitlist.join');
  return withAuditedPatientAccess(db, actor, audit, access, async (tx, patient) => {
    if (!actsForPatient(actor, patient)) throw forbidden('Only the patient, or someone acting for them, can ask for an earlier time.');
    if (!(await lockAppointment(tx, patientId, appointmentId))) throw notFound('The appointment');
    const appointment = await findAppointmentRow(tx, appointmentId);
    if (appointment?.status !== 'scheduled' || appointment.startAt <= now) {
      throw invalid('appointmentId', 'Only a scheduled visit that has not started can go on the waitlist.');
    }
    await insertWaitlistEntry(tx, appointmentId, patientId);
    return { waitlisted: true };
  });
}

/** DELETE …/appointments/:appointmentId/waitlist: stop asking; open offers for this visit are withdrawn. */
export function leaveWaitlistFor(db: Database, actor: Actor, audit: AuditContext, patientId: string, appointmentId: string) {
  const access = patientAppointmentAccess(patientId, appointmentId, 'waitlist.leave');
  return withAuditedPatientAccess(db, actor, audit, access, async (tx, patient) => {
    if (!actsForPatient(actor, patient)) throw forbidden('Only the patient, or someone acting for them, can change the waitlist choice.');
    if (!(await lockAppointment(tx, patientId, appointmentId))) throw notFound('The appointment');
    await cancelWaitlistEntries(tx, appointmentId, 'declined');
    return { waitlisted: false };
  });
}

/** GET …/waitlist/offers: the patient's open offers that have neither expired nor begun, soonest first. */
export function listOffersFor(db: Database, actor: Actor, audit: AuditContext, patientId: string, now = new Date()) {
  const access = {
    patientId,
    action: 'read' as const,
    categories: ['appointments' as const],
    auditAction: 'waitlist.offers.read',
    notForOutsideProviders: true,
  };
  return withAuditedPatientAccess(db, actor, audit, access, async (tx) => {
    const rows = await findOpenOffers(tx, patientId, now);
    return {
      offers: rows.map((r) => ({
        id: r.offer.id,
        appointmentId: r.appointmentId,
        startAt: r.offer.startAt.toISOString(),
        endAt: r.offer.endAt.toISOString(),
        timeZone: r.timeZone,
        clinicianName: r.clinicianName,
        locationName: r.locationName,
        expiresAt: r.offer.expiresAt.toISOString(),
      })),
    };
  });
}

function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  return typeof cause === 'object' && cause !== null && (cause as { code?: unknown }).code === '23505';
}

/**
 * POST …/waitlist/offers/:offerId/accept (Idempotency-Key): in one transaction, books the offered time (a new
 * appointment replacing the old one, holding its 5-minute units), cancels the old visit and frees its units (offering
 * that time on in turn), marks this offer accepted and every other open offer for the same time `taken`, and fulfils
 * the entry. Every offer of the same time is locked first, in id order, so two patients accepting at once queue on
 * the same lock: the first wins, the second finds its offer taken (409 `offer_taken`).
 */
export function acceptOfferFor(
  deps: WaitlistDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  offerId: string,
  idempotency: IdempotencyRequest,
  now = new Date(),
): Promise<StoredAnswer<AppointmentView>> {
  const access = {
    patientId,
    action: 'write' as const,
    categories: ['appointments' as const],
    auditAction: 'waitlist.offer.accept',
    auditDetails: { offerId },
  };
  return withAuditedPatientAccess(deps.db, actor, audit, access, (tx, patient) => {
    if (!actsForPatient(actor, patient)) throw forbidden('Only the patient, or someone acting for them, can accept an offer.');
    return runIdempotent(tx, actor.userId, idempotency, async () => ({
      statusCode: 201,
      body: await acceptOffer(tx, deps.publicUrl, actor, audit, patientId, offerId, now),
    }));
  });
}

async function acceptOffer(
  tx: Transaction,
  publicUrl: string,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  offerId: string,
  now: Date,
): Promise<AppointmentView> {
  const found = await findOfferTime(tx, patientId, offerId);
  if (!found) throw notFound('The offer');
  await lockOffersOfTime(tx, found.clinicianId, found.startAt);
  const offer = await findOffer(tx, offerId);
  if (!offer || offer.status !== 'open') throw offerTaken();
  if (offer.expiresAt <= now || offer.startAt <= now) throw offerTaken('This offer has expired.');

  const entry = await findWaitlistEntry(tx, offer.entryId);
  if (!entry || entry.status !== 'waiting' || !(await lockAppointment(tx, patientId, entry.appointmentId))) throw offerTaken();
  const old = await findAppointmentRow(tx, entry.appointmentId);
  if (!old || old.status !== 'scheduled') throw offerTaken('The visit this offer would replace is no longer scheduled.');
  const department = await findDepartment(tx, old.organizationId, offer.departmentId);

  await cancelAppointmentRow(tx, old.id, actor.userId, now);
  const appointmentId = await insertAppointment(tx, {
    patientId,
    organizationId: old.organizationId,
    departmentId: offer.departmentId,
    clinicianId: offer.clinicianId,
    startAt: offer.startAt,
    endAt: offer.endAt,
    timeZone: department?.timeZone ?? old.timeZone,
    visitType: old.visitType,
    visitTypeId: old.visitTypeId,
    status: 'scheduled',
    videoUrl: old.videoUrl,
    bookedBy: actor.userId,
    replacesId: old.id,
  });
  try {
    await insertSlotUnits(tx, appointmentId, offer.clinicianId, unitsOf(offer.startAt, offer.endAt));
  } catch (error) {
    // The transaction is rolled back either way; the refusal is audited after it.
    if (isUniqueViolation(error)) throw offerTaken();
    throw error;
  }

  await settleAcceptedOffer(tx, offer);
  await recordAudit(tx, audit, {
    action: 'appointment.book',
    outcome: 'success',
    patientId,
    objectType: 'Appointment',
    objectId: appointmentId,
    details: { replacesId: old.id, offerId: offer.id },
  });

  if (old.clinicianId) {
    const released = { clinicianId: old.clinicianId, departmentId: old.departmentId, visitTypeId: old.visitTypeId };
    await offerReleasedSlot(tx, { ...released, startAt: old.startAt, endAt: old.endAt }, publicUrl, now);
  }
  await queueBookingConfirmation(tx, publicUrl, patientId, appointmentId, 'moved');
  const row = await findAppointment(tx, patientId, appointmentId);
  if (!row) throw new Error('appointment vanished inside its transaction');
  return toAppointmentView(row, now);
}
