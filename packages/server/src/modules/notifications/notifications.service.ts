import { isPhoneNumber, notificationEvent, type NotificationEvent } from '@portico/shared';
import type { Database, Executor } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import {
  findOwnRecordPhone,
  listPreferences,
  updateRecordPhone,
  upsertPreferences,
  type StoredPreference,
} from './notifications.repository.ts';

/** One event's channels as the account page shows them. */
export interface PreferenceView {
  event: NotificationEvent;
  email: boolean;
  sms: boolean;
}

/** The user's choices for every event, whether texts can be chosen at all, and the number they go to. */
export interface NotificationSettings {
  preferences: PreferenceView[];
  /** False without a patient record of one's own (staff): there is nowhere to keep a mobile number. */
  smsAvailable: boolean;
  /** The number texts go to (the record's phone), or null: stored SMS choices are not acted on without one. */
  mobilePhone: string | null;
}

/** No choice stored: email on, SMS off (issue 4). */
const defaults = { email: true, sms: false };

/** Where texts would go: the own record's phone, blank counted as none. */
interface Contact {
  patientId: string | null;
  phone: string | null;
}

function settingsOf(stored: StoredPreference[], contact: Contact): NotificationSettings {
  const byEvent = new Map(stored.map((p) => [p.event, p]));
  const preferences = notificationEvent.options.map((event) => {
    const choice = byEvent.get(event) ?? defaults;
    return { event, email: choice.email, sms: choice.sms && contact.phone !== null };
  });
  return { preferences, smsAvailable: contact.patientId !== null, mobilePhone: contact.phone };
}

async function contactOf(db: Executor, userId: string): Promise<Contact> {
  const record = await findOwnRecordPhone(db, userId);
  const phone = record?.phone?.trim() ? record.phone : null;
  return { patientId: record?.patientId ?? null, phone };
}

const invalid = (field: string, message: string) => new AppError(400, 'validation_failed', `${field}: ${message}`, field);

/** GET: the signed-in user's choices per event, defaults filled in, and the mobile number on file. */
export async function getNotificationSettings(db: Database, actor: Actor): Promise<NotificationSettings> {
  const [stored, contact] = await Promise.all([listPreferences(db, actor.userId), contactOf(db, actor.userId)]);
  return settingsOf(stored, contact);
}

/**
 * PUT: stores the choices sent (events not sent keep theirs) and, when sent, the mobile number (as the phone of the
 * user's own record). Each event at most once (400 naming `preferences`); texts only to a phone number, the one sent or
 * the one on file, else 400 naming `mobilePhone` and nothing is stored; a number only for someone with a record of
 * their own. Audited with the events and channels, and whether the number changed (never the number).
 */
export async function updateNotificationSettings(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  choices: PreferenceView[],
  mobilePhone?: string,
): Promise<NotificationSettings> {
  const events = choices.map((c) => c.event);
  if (new Set(events).size !== events.length) throw invalid('preferences', 'List each event once.');
  return db.transaction(async (tx) => {
    const contact = await contactOf(tx, actor.userId);
    const wantsTexts = choices.some((c) => c.sms);
    if (contact.patientId === null) {
      if (mobilePhone !== undefined) throw invalid('mobilePhone', 'Only a patient account can keep a mobile number for texts.');
      if (wantsTexts) throw invalid('preferences', 'Text messages need a mobile number on a patient record; this account has none.');
    }
    const phone = mobilePhone ?? contact.phone;
    if (wantsTexts && (phone === null || !isPhoneNumber(phone))) {
      throw invalid('mobilePhone', 'Enter your mobile number to get text messages.');
    }
    // The record's phone changes only when a different number is sent; the audit says so, never what it is.
    const newPhone = contact.patientId !== null && mobilePhone !== undefined && mobilePhone !== contact.phone ? mobilePhone : null;
    if (newPhone !== null && contact.patientId !== null) await updateRecordPhone(tx, contact.patientId, newPhone);
    await upsertPreferences(tx, actor.userId, choices);
    await recordAudit(tx, audit, {
      action: 'account.notifications.update',
      outcome: 'success',
      objectType: 'User',
      objectId: actor.userId,
      ...(newPhone !== null && contact.patientId !== null ? { patientId: contact.patientId } : {}),
      details: { preferences: choices, mobilePhoneChanged: newPhone !== null },
    });
    return settingsOf(await listPreferences(tx, actor.userId), { ...contact, phone: newPhone ?? contact.phone });
  });
}
