/** SQL for the waitlist: entries, offers of released times, and settling an accepted offer; every method takes its executor. */
import { and, asc, eq, gt, isNull, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { appointments, departments, patients, users, waitlistEntries, waitlistOffers } from '../../db/schema/index.ts';
import type { ReleasedSlot } from './booking.ts';

/**
 * Waiting entries whose scheduled visit could move to a released time: same department, same clinician when theirs
 * named one, same visit type when theirs has one, no longer than the released time, and starting later. Oldest first.
 */
export function findWaitlistCandidates(db: Executor, slot: ReleasedSlot) {
  const durationSeconds = (slot.endAt.getTime() - slot.startAt.getTime()) / 1000;
  return db
    .select({
      entryId: waitlistEntries.id,
      patientId: waitlistEntries.patientId,
      userId: patients.userId,
      startAt: appointments.startAt,
      endAt: appointments.endAt,
    })
    .from(waitlistEntries)
    .innerJoin(appointments, eq(appointments.id, waitlistEntries.appointmentId))
    .innerJoin(patients, eq(patients.id, waitlistEntries.patientId))
    .where(
      and(
        eq(waitlistEntries.status, 'waiting'),
        eq(appointments.status, 'scheduled'),
        eq(appointments.departmentId, slot.departmentId),
        or(isNull(appointments.clinicianId), eq(appointments.clinicianId, slot.clinicianId)),
        slot.visitTypeId === null ? undefined : or(isNull(appointments.visitTypeId), eq(appointments.visitTypeId, slot.visitTypeId)),
        gt(appointments.startAt, slot.startAt),
        sql`${appointments.endAt} - ${appointments.startAt} <= make_interval(secs => ${durationSeconds})`,
      ),
    )
    .orderBy(asc(waitlistEntries.createdAt));
}

/** Inserts offers and answers their ids with the entry each is for. */
export function insertOffers(db: Executor, rows: (typeof waitlistOffers.$inferInsert)[]) {
  return db.insert(waitlistOffers).values(rows).returning({ id: waitlistOffers.id, entryId: waitlistOffers.entryId });
}

/** Puts an appointment on the waitlist; asking twice changes nothing. */
export async function insertWaitlistEntry(db: Executor, appointmentId: string, patientId: string): Promise<void> {
  await db.insert(waitlistEntries).values({ appointmentId, patientId }).onConflictDoNothing();
}

/** Ends the waiting entry of an appointment (left, cancelled or moved) and closes its open offers with `offerStatus`. */
export async function cancelWaitlistEntries(db: Executor, appointmentId: string, offerStatus: 'declined' | 'expired' = 'expired') {
  const ended = await db
    .update(waitlistEntries)
    .set({ status: 'cancelled' })
    .where(and(eq(waitlistEntries.appointmentId, appointmentId), eq(waitlistEntries.status, 'waiting')))
    .returning({ id: waitlistEntries.id });
  for (const { id } of ended) {
    await db
      .update(waitlistOffers)
      .set({ status: offerStatus })
      .where(and(eq(waitlistOffers.entryId, id), eq(waitlistOffers.status, 'open')));
  }
}

/** A patient's open offers that have neither expired nor begun at `now`, soonest first, with place and clinician. */
export function findOpenOffers(db: Executor, patientId: string, now: Date) {
  return db
    .select({
      offer: waitlistOffers,
      appointmentId: waitlistEntries.appointmentId,
      timeZone: departments.timeZone,
      locationName: departments.name,
      clinicianName: users.displayName,
    })
    .from(waitlistOffers)
    .innerJoin(waitlistEntries, eq(waitlistEntries.id, waitlistOffers.entryId))
    .innerJoin(departments, eq(departments.id, waitlistOffers.departmentId))
    .innerJoin(users, eq(users.id, waitlistOffers.clinicianId))
    .where(
      and(
        eq(waitlistOffers.patientId, patientId),
        eq(waitlistOffers.status, 'open'),
        gt(waitlistOffers.expiresAt, now),
        gt(waitlistOffers.startAt, now),
      ),
    )
    .orderBy(asc(waitlistOffers.startAt), asc(waitlistOffers.id));
}

/** The clinician and start of a patient's offer, or undefined (another patient's offer finds nothing). */
export async function findOfferTime(db: Executor, patientId: string, offerId: string) {
  const [row] = await db
    .select({ clinicianId: waitlistOffers.clinicianId, startAt: waitlistOffers.startAt })
    .from(waitlistOffers)
    .where(and(eq(waitlistOffers.id, offerId), eq(waitlistOffers.patientId, patientId)));
  return row;
}

/** Locks every offer of one clinician's time in id order, so patients accepting at once queue on the same lock. */
export async function lockOffersOfTime(db: Executor, clinicianId: string, startAt: Date): Promise<void> {
  await db
    .select({ id: waitlistOffers.id })
    .from(waitlistOffers)
    .where(and(eq(waitlistOffers.clinicianId, clinicianId), eq(waitlistOffers.startAt, startAt)))
    .orderBy(asc(waitlistOffers.id))
    .for('update');
}

/** One offer by id, or undefined. */
export async function findOffer(db: Executor, offerId: string) {
  const [row] = await db.select().from(waitlistOffers).where(eq(waitlistOffers.id, offerId));
  return row;
}

/** One waitlist entry by id, or undefined. */
export async function findWaitlistEntry(db: Executor, entryId: string) {
  const [row] = await db.select().from(waitlistEntries).where(eq(waitlistEntries.id, entryId));
  return row;
}

/** After an accepted offer: it is `accepted`, other open offers of the same time `taken`, the entry's others `declined`, the entry fulfilled. */
export async function settleAcceptedOffer(db: Executor, offer: { id: string; entryId: string; clinicianId: string; startAt: Date }) {
  await db.update(waitlistOffers).set({ status: 'accepted' }).where(eq(waitlistOffers.id, offer.id));
  await db
    .update(waitlistOffers)
    .set({ status: 'taken' })
    .where(
      and(
        eq(waitlistOffers.clinicianId, offer.clinicianId),
        eq(waitlistOffers.startAt, offer.startAt),
        eq(waitlistOffers.status, 'open'),
        ne(waitlistOffers.id, offer.id),
      ),
    );
  await db
    .update(waitlistOffers)
    .set({ status: 'declined' })
    .where(and(eq(waitlistOffers.entryId, offer.entryId), eq(waitlistOffers.status, 'open')));
  await db.update(waitlistEntries).set({ status: 'fulfilled' }).where(eq(waitlistEntries.id, offer.entryId));
}
