import type { Ability, Me } from '@portico/shared';

/**
 * What the signed-in person may do, read only from what GET /api/me answered: the server's organization-level
 * abilities (`can(actor, action)`), their own record and their memberships. Pages decide from these, never from role
 * names; the server checks every request again, so these only choose what to show.
 */

/** Whether the person may do an organization-level thing, e.g. `hasAbility(user, 'inbox.use')`. */
export function hasAbility(user: Me, ability: Ability): boolean {
  return user.abilities.includes(ability);
}

/** Whether the person has a patient record of their own (the patient pages: record, appointments, messages). */
export function hasOwnRecord(user: Me): user is Me & { patientId: string } {
  return user.patientId !== null;
}

/** Whether the person works for an organization, an outside practice or support (any membership). */
export function hasMemberships(user: Me): boolean {
  return user.memberships.length > 0;
}
