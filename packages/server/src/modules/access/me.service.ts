import type { ActingForView, Me } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { abilitiesOf, accessSummary, hasMemberships, mayKeepThreadPrivate, type Actor } from './access.policy.ts';
import { findPatientRefs, type MembershipRow, type OwnPatientRow } from './access.repository.ts';

/** What `GET /api/me` says the person may do: memberships, the patients they act for personally, organization abilities. */
export type AccessView = Pick<Me, 'memberships' | 'actingFor' | 'abilities' | 'mfaRequired'>;

/**
 * Describes the actor's access for the web app, which shows pages from it and never from role names (DESIGN.md).
 * Patients acted for are the own record and proxy grants; an organization's patients are reached by search instead.
 */
export async function describeAccess(
  db: Executor,
  actor: Actor,
  memberships: readonly MembershipRow[],
  now = new Date(),
  known: readonly OwnPatientRow[] = [],
): Promise<AccessView> {
  const proxied = actor.grants.filter((g) => g.kind === 'proxy').map((g) => g.patientId);
  const ids = [...new Set([...(actor.ownPatientId ? [actor.ownPatientId] : []), ...proxied])];
  // The session lookup already read the own record; only other patients (proxies) need a query.
  const missing = ids.filter((id) => !known.some((k) => k.id === id));
  const refs = [...known.filter((k) => ids.includes(k.id)), ...(await findPatientRefs(db, missing))];
  const actingFor: ActingForView[] = [];
  for (const ref of refs) {
    const access = accessSummary(actor, ref, now);
    if (Object.keys(access).length === 0) continue;
    actingFor.push({
      patientId: ref.id,
      displayName: `${ref.givenName} ${ref.familyName}`,
      relationship: ref.id === actor.ownPatientId ? 'self' : 'proxy',
      access,
      mayKeepThreadsPrivate: mayKeepThreadPrivate(actor, ref, now),
    });
  }
  actingFor.sort((a, b) => (a.relationship === 'self' ? -1 : b.relationship === 'self' ? 1 : a.displayName.localeCompare(b.displayName)));
  return { memberships: [...memberships], actingFor, abilities: abilitiesOf(actor), mfaRequired: hasMemberships(actor) };
}
