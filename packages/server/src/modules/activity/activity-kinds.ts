import type { ActivityKind, ActivityRole, ActivityVia } from '@portico/shared';
import { activityVias, proxyRelationships, type ProxyRelationship } from '@portico/shared';

/**
 * How an audit event reads in the patient's activity log: its action name (`record.summary.read`) as a kind of access
 * the patient understands, and the file format it names. Pure, so every action the code writes is pinned by a test.
 */

/** Exact action names. */
const kindOfAction: Readonly<Record<string, ActivityKind>> = {
  'patient.summary.read': 'overview',
  'record.summary.read': 'summary',
  'patient.chart.header.read': 'details',
  'patient.search.result': 'search',
  'schedule.view.patient': 'schedule',
  'record.visits.read': 'visits',
  'record.visit.read': 'visit',
  'result.list.read': 'results',
  'result.list.search': 'results',
  'result.read': 'result',
  'result.hold': 'result_hold',
  'result.release': 'result_release',
  'result.comment': 'result_comment',
  'results_release.read': 'release_setting',
  'results_release.update': 'release_setting',
  'record.export': 'download',
  // A share link's reader (issue 11 §2): the summary page or the PDF, listed as what they showed; other link events are sharing.
  'share_link.summary.read': 'summary',
  'share_link.download': 'download',
  'appointment.calendar.download': 'calendar',
  'message.thread.list': 'messages',
  'message.recipients.read': 'messages',
  'inbox.thread.list.patient': 'messages',
  'inbox.thread.mine.patient': 'messages',
  'message.thread.read': 'message',
  'inbox.thread.read': 'message',
  'inbox.thread.assignees': 'message',
  'message.thread.create': 'message_sent',
  'message.send': 'message_sent',
  // "Why did this person look?" (issue 11 §3): a message to the privacy office.
  'activity.question.ask': 'message_sent',
  'inbox.message.send': 'message_sent',
  'inbox.thread.assign': 'message_handled',
  'inbox.thread.close': 'message_handled',
  'inbox.thread.forward': 'message_handled',
  'message.attachment.download': 'attachment',
  'message.attachment.upload': 'attachment',
  'appointment.list': 'appointments',
  'appointment.check_in.read': 'appointments',
  'waitlist.offers.read': 'appointments',
  'appointment.read': 'appointment',
  'appointment.book': 'appointment_change',
  'appointment.cancel': 'appointment_change',
  'appointment.reschedule': 'appointment_change',
  'appointment.status.update': 'appointment_change',
  'appointment.check_in': 'appointment_change',
  'waitlist.offer.accept': 'appointment_change',
  'waitlist.join': 'appointment_change',
  'waitlist.leave': 'appointment_change',
  'account.notifications.read': 'settings',
  'account.notifications.update': 'settings',
  'fhir.import.patient': 'import',
  // The support team saw the patient's name, MRN and birth date in its queue or its audit report (issue 12 §3).
  'support.access_request.patient.read': 'details',
  'support.audit_report.patient.read': 'details',
};

/** Families of actions, by the start of their name, for actions added later (sharing, transmit, activity). */
const kindOfPrefix: readonly (readonly [string, ActivityKind])[] = [
  ['activity.', 'activity'],
  ['record.transmit', 'transmit'],
  ['record.send', 'transmit'],
  ['scheduling.', 'appointments'],
  ['refill.', 'refills'],
  ['pharmacy.', 'refills'],
  ['proxy.', 'sharing'],
  ['proxies.', 'sharing'],
  ['proxy_', 'sharing'],
  ['consent.', 'sharing'],
  ['sharing.', 'sharing'],
  ['share_link.', 'sharing'],
  ['access_grant.', 'sharing'],
  // Outside providers (issue 12 §2): the care team, their requests for the record, tokens.
  ['care_team.', 'sharing'],
  ['outside_request.', 'sharing'],
  ['provider_token.', 'sharing'],
];

/** The kind of access an action is; `other` for an action this table does not know yet (still listed, never hidden). */
export function activityKindOf(action: string): ActivityKind {
  const exact = kindOfAction[action];
  if (exact) return exact;
  return kindOfPrefix.find(([prefix]) => action.startsWith(prefix))?.[1] ?? 'other';
}

/** Kinds whose events name the file they made (`details.format`). */
const fileKinds: readonly ActivityKind[] = ['download', 'transmit', 'activity'];

/** The file format of a download: the record export's or the log's `format`, a calendar file; null for other events. */
export function activityFormatOf(action: string, details: Readonly<Record<string, unknown>>): 'pdf' | 'fhir' | 'ics' | 'csv' | null {
  if (action === 'appointment.calendar.download') return 'ics';
  if (!fileKinds.includes(activityKindOf(action))) return null;
  const format = details.format;
  return format === 'pdf' || format === 'fhir' || format === 'csv' ? format : null;
}

/** The addressee a transmit event names (`details.addressee`), if it is text. */
export function activityAddresseeOf(details: Readonly<Record<string, unknown>>): string | null {
  const addressee = details.addressee;
  return typeof addressee === 'string' && addressee.length > 0 ? addressee.slice(0, 320) : null;
}

/** The relationship the policy allowed the access through, if the event names a known one. */
export function activityViaOf(details: Readonly<Record<string, unknown>>): ActivityVia | null {
  const via = details.via;
  return typeof via === 'string' && (activityVias as readonly string[]).includes(via) ? (via as ActivityVia) : null;
}

/** A proxy grant's relationship as stored, if it is a known one. */
export function proxyRelationshipOf(value: string | null | undefined): ProxyRelationship | null {
  return value && (proxyRelationships as readonly string[]).includes(value) ? (value as ProxyRelationship) : null;
}

const staffRoles: readonly ActivityRole[] = ['clinician', 'nurse', 'front_desk', 'billing', 'admin', 'privacy_officer'];

/** The staff role the policy's reason names (`organization_nurse` → nurse), if it names one. */
export function staffRoleOfReason(reason: unknown): ActivityRole | null {
  if (typeof reason !== 'string' || !reason.startsWith('organization_')) return null;
  const role = reason.slice('organization_'.length) as ActivityRole;
  return staffRoles.includes(role) ? role : null;
}
