import type { ActingForView, Me } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { abilitiesOf, accessSummary, hasMemberships, mayKeepThreadPrivate, type Actor } from './access.policy.ts';
import { findPatientRefs, type MembershipRow, type OwnPatientRow } from './access.repository.ts';
import { lockedActor, meValidationOf } from '../sponsors/sponsor-locks.ts';
import { findOpenValidation } from '../sponsors/sponsors.repository.ts';

/** What `GET /api/me` says the person may do: memberships, the patients they act for personally, organization abilities. */
export type AccessView = Pick<Me, 'memberships' | 'actingFor' | 'abilities' | 'mfaRequired' | 'sponsorValidation'>;

/**
 * Describes the actor's access for the web app, which shows pages from it and never from role names (DESIGN.md).
 * Patients acted for are the own record and proxy grants; an organization's patients are reached by search instead.
 */
export async function describeAccess(
  db: Executor,
  sessionActor: Actor,
  memberships: readonly MembershipRow[],
  now = new Date(),
  known: readonly OwnPatientRow[] = [],
): Promise<AccessView> {
  // A sponsor's open Sponsored User Validation (issue 12 §1); past due, they reach only the validation until they complete it.
  const isSponsor = memberships.some((m) => m.kind === 'practice' && m.role === 'outside_provider');
  const sponsorValidation = isSponsor ? meValidationOf(await findOpenValidation(db, sessionActor.userId)) : null;
  const actor = sponsorValidation?.locked ? lockedActor(sessionActor) : sessionActor;
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
  return {
    memberships: [...memberships],
    actingFor,
    abilities: abilitiesOf(actor),
    mfaRequired: hasMemberships(actor) || memberships.length > 0,
    // Said only to those who may sponsor (null when nothing is open), so nobody else's answer changes.
    ...(isSponsor ? { sponsorValidation } : {}),
  };
}
