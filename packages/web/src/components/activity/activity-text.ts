import type { ActivityEntry, ActivityRole } from '@portico/shared';
import type { MessageId, MessageValues } from '@portico/shared/i18n';

/** The page's translator, as useT() gives it. */
type T = (id: MessageId, values?: MessageValues) => string;

/**
 * The log's words for an entry, from the `activity` area: the same ids the server's CSV uses, so the page and the
 * download say the same thing.
 */

/** What the entry touched, with the file format and the addressee it names. */
export function whatText(t: T, entry: ActivityEntry): string {
  const what = t(`activity.what.${entry.what}`);
  const withFormat = entry.format ? t('activity.what.withFormat', { what, format: t(`activity.format.${entry.format}`) }) : what;
  return entry.addressee ? t('activity.what.withAddressee', { what: withFormat, addressee: entry.addressee }) : withFormat;
}

/** A role in words. */
export function roleText(t: T, role: ActivityRole): string {
  return t(`activity.role.${role}`);
}

/** The relationship the access went through: a proxy's kind when known, else the policy's relationship. */
export function relationshipText(t: T, entry: ActivityEntry): string {
  if (entry.relationship) return t(`activity.relationship.${entry.relationship}`);
  return entry.via ? t(`activity.via.${entry.via}`) : t('activity.notRecorded');
}
