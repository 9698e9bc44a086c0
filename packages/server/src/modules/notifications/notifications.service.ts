import { isPhoneNumber, notificationEvent, type DataCategory, type NotificationEvent } from '@portico/shared';
import type { Database, Executor } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../access/access.policy.ts';
import { withAuditedPatientAccess, withPatientRead } from '../access/access.service.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import {
  findRecordPhone,
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

/**
 * The mobile number is the phone of the user's own patient record: patient data, so it is read and written only through
 * the access policy (category `preferences`: the patient's own, to read and to change) and audited with the record.
 */
const phoneCategories: DataCategory[] = ['preferences'];

/** Where texts would go, read under a grant of the own record: the record's phone, blank counted as none. */
async function contactOf(db: Executor, patientId: string): Promise<Contact> {
  const stored = await findRecordPhone(db, patientId);
  return { patientId, phone: stored?.trim() ? stored : null };
}

/** No record of one's own (staff): nowhere to keep a number, and no patient data read. */
const noRecord: Contact = { patientId: null, phone: null };

const invalid = (field: string, message: string) => new AppError(400, 'validation_failed', `${field}: ${message}`, field);

/**
 * GET: the signed-in user's choices per event, defaults filled in, and the mobile number on file. For a patient the
 * number is read from their own record under the policy and the read is audited (`account.notifications.read`).
 */
export async function getNotificationSettings(db: Database, actor: Actor, audit: AuditContext): Promise<NotificationSettings> {
  const stored = await listPreferences(db, actor.userId);
  if (actor.ownPatientId === null) return settingsOf(stored, noRecord);
  const request = {
    patientId: actor.ownPatientId,
    action: 'read' as const,
    categories: phoneCategories,
    auditAction: 'account.notifications.read',
  };
  return withPatientRead(db, actor, audit, request, async (reader, grant) => settingsOf(stored, await contactOf(reader, grant.patient.id)));
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
  const wantsTexts = choices.some((c) => c.sms);
  if (actor.ownPatientId === null) {
    if (mobilePhone !== undefined) throw invalid('mobilePhone', 'Only a patient account can keep a mobile number for texts.');
    if (wantsTexts) throw invalid('preferences', 'Text messages need a mobile number on a patient record; this account has none.');
    return db.transaction(async (tx) => {
      await upsertPreferences(tx, actor.userId, choices);
      await recordAudit(tx, audit, {
        action: 'account.notifications.update',
        outcome: 'success',
        objectType: 'User',
        objectId: actor.userId,
        details: { preferences: choices, mobilePhoneChanged: false },
      });
      return settingsOf(await listPreferences(tx, actor.userId), noRecord);
    });
  }
  // A patient: the policy decides on their own record, and its audit event (with whether the number changed, never the
  // number) commits with the change; a refusal (400) rolls everything back and is audited as a failure.
  const auditDetails: Record<string, unknown> = { preferences: choices, mobilePhoneChanged: false };
  const request = {
    patientId: actor.ownPatientId,
    action: 'write' as const,
    categories: phoneCategories,
    auditAction: 'account.notifications.update',
    auditDetails,
  };
  return withAuditedPatientAccess(db, actor, audit, request, async (tx, patient) => {
    const contact = await contactOf(tx, patient.id);
    const phone = mobilePhone ?? contact.phone;
    if (wantsTexts && (phone === null || !isPhoneNumber(phone))) {
      throw invalid('mobilePhone', 'Enter your mobile number to get text messages.');
    }
    // The record's phone changes only when a different number is sent.
    const newPhone = mobilePhone !== undefined && mobilePhone !== contact.phone ? mobilePhone : null;
    if (newPhone !== null) await updateRecordPhone(tx, patient.id, newPhone);
    await upsertPreferences(tx, actor.userId, choices);
    auditDetails.mobilePhoneChanged = newPhone !== null;
    return settingsOf(await listPreferences(tx, actor.userId), { ...contact, phone: newPhone ?? contact.phone });
  });
}
