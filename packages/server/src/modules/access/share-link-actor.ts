import type { Actor, ActorGrant, DataCategory } from './access.policy.ts';

/** What a share link's reader may read: the patient's name and birth date, and the clinical record (issue 11 §2). */
export const shareLinkCategories: readonly DataCategory[] = ['demographics', 'clinical'];

/**
 * The reader of a share link (issue 11 §2), who has no account: an actor holding one read grant of kind `share_link` on
 * the link's patient, so `decide` gives the link its row filter like any grant holder's (every sensitive category
 * hidden, since a link carries no consent; no held result, no internal note). `userId` is empty: it names no account,
 * and the open's audit event has no actor. Built only by the open endpoint, after the token and passcode were checked.
 */
export function shareLinkActor(link: { id: string; patientId: string; createdBy: string }): Actor {
  const grant: ActorGrant = {
    id: link.id,
    patientId: link.patientId,
    kind: 'share_link',
    level: 'read',
    categories: shareLinkCategories,
    sensitiveCategories: [],
    grantedBy: link.createdBy,
  };
  return { userId: '', ownPatientId: null, memberships: [], grants: [grant] };
}
