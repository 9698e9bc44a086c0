/**
 * The writes that book and release time. Double booking is impossible by construction: a booking claims one
 * appointment_slots row per 5-minute unit of [start, end) for its clinician, and the primary key refuses a second claim,
 * however many requests race (SECURITY.md: 20 at once, exactly one succeeds). A cancellation deletes the rows.
 */
import { AppError } from '../../errors.ts';
import type { Transaction } from '../../db/client.ts';
import { unitsOf } from './availability.ts';
import { cancelAppointmentRow, insertAppointment, insertSlotUnits } from './appointments.repository.ts';
import { cancelWaitlistEntries } from './waitlist.repository.ts';
import { offerReleasedSlot } from './waitlist.service.ts';

/** A time given back to the schedule by a cancellation or a reschedule. */
export interface ReleasedSlot {
  clinicianId: string;
  departmentId: string;
  visitTypeId: string | null;
  startAt: Date;
  endAt: Date;
}

/** What a new booking stores. */
export interface NewBooking {
  patientId: string;
  organizationId: string;
  departmentId: string;
  clinicianId: string;
  startAt: Date;
  endAt: Date;
  timeZone: string;
  visitType: string;
  visitTypeId: string;
  videoUrl: string | null;
  bookedBy: string;
  replacesId: string | null;
}

function isSlotCollision(error: unknown): boolean {
  for (let e: unknown = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    const { code, table, constraint } = e as { code?: unknown; table?: unknown; constraint?: unknown };
    if (code === '23505')
      return table === 'appointment_slots' || (typeof constraint === 'string' && constraint.startsWith('appointment_slots'));
    if ((e as { cause?: unknown }).cause === e) break;
  }
  return false;
}

/** Inserts the appointment and claims its units; a unit someone else holds answers 409 `slot_taken`. */
export async function bookSlot(tx: Transaction, booking: NewBooking): Promise<string> {
  const appointmentId = await insertAppointment(tx, { ...booking, status: 'scheduled' });
  try {
    await insertSlotUnits(tx, appointmentId, booking.clinicianId, unitsOf(booking.startAt, booking.endAt));
  } catch (error) {
    if (isSlotCollision(error)) {
      throw new AppError(409, 'slot_taken', 'Someone booked that time a moment ago. Choose another time.', 'startAt');
    }
    throw error;
  }
  return appointmentId;
}

/**
 * Cancels an appointment, frees its units, ends its own waitlist request and, in the same transaction, lets the
 * waitlist offer the freed time to patients waiting for an earlier one.
 */
export async function releaseBooking(
  tx: Transaction,
  appointment: { id: string; clinicianId: string | null; departmentId: string; visitTypeId: string | null; startAt: Date; endAt: Date },
  change: { cancelledBy: string; at: Date; publicUrl: string },
): Promise<void> {
  await cancelAppointmentRow(tx, appointment.id, change.cancelledBy, change.at);
  await cancelWaitlistEntries(tx, appointment.id);
  if (appointment.clinicianId === null) return;
  await offerReleasedSlot(
    tx,
    {
      clinicianId: appointment.clinicianId,
      departmentId: appointment.departmentId,
      visitTypeId: appointment.visitTypeId,
      startAt: appointment.startAt,
      endAt: appointment.endAt,
    },
    change.publicUrl,
    change.at,
  );
}
