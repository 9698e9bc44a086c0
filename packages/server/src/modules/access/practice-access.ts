import type { Ability, DataCategory, MembershipRole } from '@portico/shared';
import { sensitiveCategories } from '../../db/schema/index.ts';
import type { Actor, GrantKind, Membership, PatientAction, PatientRef, RowFilter, Via } from './access.policy.ts';

/**
 * The outside practice's relationship (issue 12 §2, DESIGN.md "Access"): a physician of an outside practice, and the
 * staff a physician of it sponsors, reach the patients whose PCP on the health system's record is one of the
 * practice's physicians. Derived from data (the patient's `pcp_id`, the practice's memberships), never stored, so it
 * follows a PCP change on the next request. Part of the one policy: `decide` and the scope SQL both read it from here.
 */

/**
 * The grants an outside provider holds personally, beside their practice's PCP relationship (issue 12 §2): a place on
 * the patient's care team, a non-PCP request the patient (or support) approved, a token they validated. Each reads the
 * practice's chart and sees its rows as the practice does, less what the patient consented to show that person.
 */
export const outsideGrantKinds: readonly GrantKind[] = ['care_team', 'approved_request', 'token'];

/** Whether a relationship is an outside provider's: the PCP's practice, or their own care-team place, request or token. */
export function isOutsideVia(via: Via): boolean {
  return via === 'pcp_practice' || (outsideGrantKinds as readonly string[]).includes(via);
}

/** What an outside practice's members may do: every member finds and opens their patients; an NPI holder sponsors staff. */
export function practiceAbilities(role: MembershipRole): readonly Ability[] {
  return role === 'outside_provider' ? ['practice.patients', 'practice.sponsor'] : role === 'sponsored_staff' ? ['practice.patients'] : [];
}

/** What the practice reads: a read-only chart (demographics, the record, appointments); no messages, no settings. */
const practiceCategories: readonly DataCategory[] = ['demographics', 'clinical', 'appointments'];

/** Whether the practice's relationship allows this action on this category: reads of the chart only. */
export function practiceAllows(action: PatientAction, category: DataCategory): boolean {
  return action === 'read' && practiceCategories.includes(category);
}

/**
 * What an outside practice sees of the rows: no sensitive category (until the patient consents per person), nothing
 * marked confidential, no held result (only results released to the patient), no internal note, no message thread.
 */
export const practiceRowFilter: RowFilter = {
  hiddenSensitive: sensitiveCategories,
  seesConfidential: false,
  seesHeldResults: false,
  seesInternalNotes: false,
  seesClinicalThreads: false,
};

/**
 * Whether an outside provider's grant (`outsideGrantKinds`) is in force for this actor on a patient of this
 * organization: only while they belong to an outside practice of it. A sponsored user whose sponsorship ended, or a
 * provider who left, keeps no care-team place, approved request or token of their own (SECURITY.md: ending a
 * relationship ends access on the next request).
 */
export function holdsPracticeIn(actor: Pick<Actor, 'memberships'>, organizationId: string): boolean {
  return actor.memberships.some((m) => m.kind === 'practice' && m.organizationId === organizationId);
}

/** The organizations where the actor belongs to an outside practice, for the scope SQL. */
export function practiceOrganizationsOf(actor: Pick<Actor, 'memberships'>): string[] {
  return [...new Set(actor.memberships.filter((m) => m.kind === 'practice').map((m) => m.organizationId))];
}

/** A practice membership: of the patient's organization, and the patient's PCP is one of its physicians. */
export function practiceMembershipFor(
  actor: Pick<Actor, 'memberships'>,
  patient: Pick<PatientRef, 'organizationId' | 'pcpId'>,
): (Membership & { role: MembershipRole }) | undefined {
  const pcp = patient.pcpId;
  if (!pcp) return undefined;
  return actor.memberships.find(
    (m) => m.kind === 'practice' && m.organizationId === patient.organizationId && (m.practice?.physicianIds.includes(pcp) ?? false),
  );
}
