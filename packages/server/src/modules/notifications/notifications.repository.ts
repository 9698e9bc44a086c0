import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { NotificationEvent } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { notificationPreferences, patients, users } from '../../db/schema/index.ts';

/** A stored choice: one event's channels for one user. */
export interface StoredPreference {
  event: string;
  email: boolean;
  sms: boolean;
}

/**
 * Where a notification can reach a user, and in which language: their verified, enabled account's email, their choice for the event (null: the
 * default), and the phone a text can go to (a patient's own record's number; staff have none on file).
 */
export async function findRecipient(db: Executor, userId: string, event: NotificationEvent) {
  const [row] = await db
    .select({
      email: users.email,
      locale: users.locale,
      emailOn: notificationPreferences.email,
      smsOn: notificationPreferences.sms,
      phone: patients.phone,
    })
    .from(users)
    .leftJoin(notificationPreferences, and(eq(notificationPreferences.userId, users.id), eq(notificationPreferences.event, event)))
    .leftJoin(patients, eq(patients.userId, users.id))
    .where(and(eq(users.id, userId), isNotNull(users.emailVerifiedAt), isNull(users.disabledAt)))
    .limit(1);
  return row;
}

/** The phone of a patient's record as stored (the number texts go to); read only after the policy allowed it. */
export async function findRecordPhone(db: Executor, patientId: string): Promise<string | null> {
  const [row] = await db.select({ phone: patients.phone }).from(patients).where(eq(patients.id, patientId)).limit(1);
  return row?.phone ?? null;
}

/** Replaces the phone of a patient's record (the number texts go to). */
export async function updateRecordPhone(db: Executor, patientId: string, phone: string): Promise<void> {
  await db.update(patients).set({ phone }).where(eq(patients.id, patientId));
}

/** Every choice the user has stored. */
export function listPreferences(db: Executor, userId: string): Promise<StoredPreference[]> {
  return db
    .select({ event: notificationPreferences.event, email: notificationPreferences.email, sms: notificationPreferences.sms })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
}

/** Stores the user's choices for these events, replacing earlier ones. */
export async function upsertPreferences(db: Executor, userId: string, choices: StoredPreference[]): Promise<void> {
  if (choices.length === 0) return;
  await db
    .insert(notificationPreferences)
    .values(choices.map((c) => ({ userId, event: c.event, email: c.email, sms: c.sms })))
    .onConflictDoUpdate({
      target: [notificationPreferences.userId, notificationPreferences.event],
      set: { email: sql`excluded.email`, sms: sql`excluded.sms`, updatedAt: sql`now()` },
    });
}
