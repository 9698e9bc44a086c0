import { notificationEvent, type NotificationEvent } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { findSmsPhone, listPreferences, upsertPreferences, type StoredPreference } from './notifications.repository.ts';

/** One event's channels as the account page shows them. */
export interface PreferenceView {
  event: NotificationEvent;
  email: boolean;
  sms: boolean;
}

/** The user's choices for every event, and whether texts can reach them at all. */
export interface NotificationSettings {
  preferences: PreferenceView[];
  /** False when no phone is on file: SMS cannot be turned on (and stored SMS choices are not acted on). */
  smsAvailable: boolean;
}

/** No choice stored: email on, SMS off (issue 4). */
const defaults = { email: true, sms: false };

function settingsOf(stored: StoredPreference[], smsAvailable: boolean): NotificationSettings {
  const byEvent = new Map(stored.map((p) => [p.event, p]));
  const preferences = notificationEvent.options.map((event) => {
    const choice = byEvent.get(event) ?? defaults;
    return { event, email: choice.email, sms: choice.sms && smsAvailable };
  });
  return { preferences, smsAvailable };
}

/** GET: the signed-in user's choices per event, defaults filled in. */
export async function getNotificationSettings(db: Database, actor: Actor): Promise<NotificationSettings> {
  const [stored, phone] = await Promise.all([listPreferences(db, actor.userId), findSmsPhone(db, actor.userId)]);
  return settingsOf(stored, phone !== null);
}

/**
 * PUT: stores the choices sent (events not sent keep theirs). Each event at most once; SMS only with a phone on file,
 * else 400 naming `preferences` and nothing is stored. The change is audited with the events and channels only.
 */
export async function updateNotificationSettings(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  choices: PreferenceView[],
): Promise<NotificationSettings> {
  const events = choices.map((c) => c.event);
  if (new Set(events).size !== events.length) {
    throw new AppError(400, 'validation_failed', 'preferences: List each event once.', 'preferences');
  }
  return db.transaction(async (tx) => {
    const phone = await findSmsPhone(tx, actor.userId);
    if (phone === null && choices.some((c) => c.sms)) {
      throw new AppError(
        400,
        'validation_failed',
        'preferences: Text messages need a mobile number on file; ask your clinic to add one.',
        'preferences',
      );
    }
    await upsertPreferences(tx, actor.userId, choices);
    await recordAudit(tx, audit, {
      action: 'account.notifications.update',
      outcome: 'success',
      objectType: 'User',
      objectId: actor.userId,
      details: { preferences: choices },
    });
    return settingsOf(await listPreferences(tx, actor.userId), phone !== null);
  });
}
