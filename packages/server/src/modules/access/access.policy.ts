import { dataCategories, type Ability, type DataCategory, type MembershipKind, type MembershipRole } from '@portico/shared';
import type { SensitiveCategory } from '@portico/fhir';
import { sensitiveCategories } from '../../db/schema/index.ts';
import { dayInZone, isTeen, proxyAgeBand } from './ages.ts';
import {
  holdsPracticeIn,
  outsideGrantKinds,
  practiceAbilities,
  practiceAllows,
  practiceMembershipFor,
  practiceRowFilter,
} from './practice-access.ts';

export type { DataCategory } from '@portico/shared';
export { ageOn, dayInZone, proxyAgeBand, utcDay, type ProxyAgeBand } from './ages.ts';

/** Every sensitive category the store marks (mental health, substance use, sexual and reproductive, HIV, genetics). */
export const allSensitiveCategories: readonly SensitiveCategory[] = sensitiveCategories;

/** A membership the actor holds: staff of a health system, member of an outside practice, support. */
export interface Membership {
  kind: MembershipKind;
  role: MembershipRole;
  organizationId: string;
  /** The organization's settings that widen what a role may do there; absent means every one is off. */
  settings?: OrganizationSettings;
  /**
   * A `practice` membership's outside practice (issue 12): its id and the user ids of its physicians (NPI holders with
   * an active membership of it), whose patients the member reaches (practice-access.ts). Absent for other kinds.
   */
  practice?: { id: string; physicianIds: readonly string[] } | null;
}

/** Settings of an organization the policy reads with the memberships (read on every request, like them). */
export interface OrganizationSettings {
  /** Nurses mark patients arrived, as the front desk does (organizations.nurses_mark_arrival; issue 10 §5.7). */
  nursesMarkArrival: boolean;
}

/** Kinds of explicit grant (the `access_grants` table). */
export type GrantKind = 'proxy' | 'care_team' | 'approved_request' | 'token' | 'break_glass' | 'app' | 'share_link';

/** An active grant the actor holds on one patient, loaded with the session on every request (so revocation is immediate). */
export interface ActorGrant {
  id: string;
  patientId: string;
  kind: GrantKind;
  level: 'full' | 'limited' | 'read';
  categories: readonly DataCategory[];
  sensitiveCategories: readonly SensitiveCategory[];
  /** Who granted it: a proxy granted by the patient themself outlives the patient's 18th birthday. */
  grantedBy: string | null;
  /** A proxy's relationship; a legal representative (guardianship or power of attorney of an adult) outlives it too. */
  relationship?: string | null;
}

/** Who is asking: the signed-in user, with everything the policy reads about them. */
export interface Actor {
  userId: string;
  /** The actor's own patient record, when they have one (`patients.user_id`). */
  ownPatientId: string | null;
  memberships: readonly Membership[];
  grants: readonly ActorGrant[];
  /** Patients the session lookup already read in this request (the own record), so the policy need not read them again. */
  known?: readonly PatientRef[];
}

/** The patient whose data is touched, as much of them as the policy needs. */
export interface PatientRef {
  id: string;
  organizationId: string;
  /** YYYY-MM-DD; age is computed at decision time, on the calendar day of the organization's zone. */
  birthDate: string;
  /** The patient's own portal account. */
  userId: string | null;
  /** The patient's organization's IANA zone (organizations.time_zone): birthdays begin at its midnight. */
  timeZone: string;
  /** The patient's PCP on the health system's record (`patients.pcp_id`); absent or null: none, so no practice reaches them. */
  pcpId?: string | null;
}

/** What is done to the data. */
export type PatientAction = 'read' | 'write';

/** The relationship that allowed an access; written into the audit event. */
export type Via = 'own_record' | 'organization_staff' | 'pcp_practice' | GrantKind;

/**
 * What the allowed actor sees of the rows: sensitive categories hidden from them, whether what the teen or a clinician
 * marked confidential is visible (resources labelled R or V, threads the teen kept private), whether results held back
 * from the patient are visible, whether internal care-team notes are, and whether clinical message threads are.
 */
export interface RowFilter {
  hiddenSensitive: readonly SensitiveCategory[];
  /** False exactly for a proxy of a patient aged 12-17 (the `teen` band, on the organization's day) and a share link. */
  seesConfidential: boolean;
  seesHeldResults: boolean;
  seesInternalNotes: boolean;
  seesClinicalThreads: boolean;
}

/** The policy's answer: allow through a relationship with a row filter, or deny with a reason (both audited). */
export type Decision = { allow: true; via: Via; reason: string; filter: RowFilter; grantId?: string } | { allow: false; reason: string };

type Grants = Partial<Record<DataCategory, readonly PatientAction[]>>;
const rw = ['read', 'write'] as const;
const r = ['read'] as const;

/** Staff roles of a health system. */
type StaffRole = 'clinician' | 'nurse' | 'front_desk' | 'billing' | 'admin' | 'privacy_officer';

/** What each organization role may do to its organization's patients (HIPAA minimum necessary, 164.502(b)). */
const staffGrants: Record<StaffRole, Grants> = {
  clinician: { demographics: rw, clinical: rw, appointments: rw, billing: r, preferences: r, result_holds: rw, messages: rw },
  nurse: { demographics: rw, clinical: rw, appointments: rw, preferences: r, result_holds: r, messages: rw },
  front_desk: { demographics: rw, appointments: rw, messages: rw },
  billing: { demographics: r, billing: rw, messages: rw },
  admin: { demographics: r },
  // The privacy office answers patients' "why did this person look?" questions (issue 11 §3): the question is a thread in
  // its pool, and the thread names the patient; it reads no clinical content (its row filter shows only non-clinical topics).
  privacy_officer: { demographics: r, messages: rw },
};

/** What a patient may do to their own record. */
const ownGrants: Grants = { demographics: r, clinical: r, appointments: rw, billing: rw, preferences: rw, messages: rw };

/** Organization-level abilities by staff role (`can`). */
const staffAbilities: Record<StaffRole, readonly Ability[]> = {
  clinician: ['patients.search', 'inbox.use', 'schedule.read', 'clinical.read', 'results.hold', 'results.comment', 'refills.decide'],
  nurse: ['patients.search', 'inbox.use', 'schedule.read', 'clinical.read', 'results.comment'],
  // The proxy console is the registration desk's (identity documents, relationships) and the administrators' (issue 11 §1).
  front_desk: ['patients.search', 'inbox.use', 'schedule.read', 'schedule.manage', 'schedule.arrive', 'proxies.manage'],
  billing: ['patients.search', 'inbox.use'],
  admin: ['patients.search', 'schedule.manage', 'records.import', 'organization.brand', 'organization.settings', 'proxies.manage'],
  privacy_officer: ['inbox.use'],
};

/** Abilities a role gains only where its organization turned a setting on. */
const settingAbilities: readonly { role: StaffRole; ability: Ability; setting: keyof OrganizationSettings }[] = [
  { role: 'nurse', ability: 'schedule.arrive', setting: 'nursesMarkArrival' },
];

/** What one staff membership lets its holder do in its organization: the role's abilities and those its settings add. */
function membershipAbilities(m: Membership & { role: StaffRole }): readonly Ability[] {
  const added = settingAbilities.filter((a) => a.role === m.role && m.settings?.[a.setting] === true).map((a) => a.ability);
  return added.length === 0 ? staffAbilities[m.role] : [...staffAbilities[m.role], ...added];
}

/** What the portal's support team does (issue 12 §3): its console's queues, never a patient's record. */
const supportAbilities: readonly Ability[] = ['support.registrations', 'support.requests', 'support.accounts', 'support.audit'];

/** The actor's staff, practice and support memberships, with what each lets them do in its organization. */
function abilityHolders(actor: Actor) {
  return actor.memberships.flatMap((m) => {
    if (m.kind === 'staff' && isOrganizationRole(m.role))
      return [{ organizationId: m.organizationId, abilities: membershipAbilities({ ...m, role: m.role }) }];
    if (m.kind === 'practice') return [{ organizationId: m.organizationId, abilities: practiceAbilities(m.role) }];
    return m.kind === 'support' && m.role === 'support' ? [{ organizationId: m.organizationId, abilities: supportAbilities }] : [];
  });
}

/**
 * Message topics whose text is not clinical: the only threads front desk and billing see. Every other topic (medical,
 * prescription and result questions, refills, and "other", which may hold anything) is clinical.
 */
export const nonClinicalTopics: readonly string[] = ['appointment', 'billing', 'privacy'];

/** Whether a thread of this topic is visible under a row filter. */
export function isThreadTopicVisible(filter: RowFilter, topic: string): boolean {
  return filter.seesClinicalThreads || nonClinicalTopics.includes(topic);
}

/**
 * Whether a stored FHIR resource is visible under a row filter: not of a hidden sensitive category, and not marked
 * confidential unless the reader sees confidential content. The twin of sensitiveRowFilterSql (a property test keeps
 * them in step).
 */
export function isResourceVisible(filter: RowFilter, row: { sensitiveCategory: string | null; confidential: boolean }): boolean {
  const hidden = row.sensitiveCategory !== null && (filter.hiddenSensitive as readonly string[]).includes(row.sensitiveCategory);
  return !hidden && (filter.seesConfidential || !row.confidential);
}

/** Whether a thread is visible under a row filter: its topic, and a thread the teen kept private only if confidential content is. */
export function isThreadVisible(filter: RowFilter, thread: { topic: string; confidential: boolean }): boolean {
  return isThreadTopicVisible(filter, thread.topic) && (filter.seesConfidential || !thread.confidential);
}

/** What a patient sees of their own record's rows: no held result, no internal note. */
export const ownRecordRowFilter: RowFilter = {
  hiddenSensitive: [],
  seesConfidential: true,
  seesHeldResults: false,
  seesInternalNotes: false,
  seesClinicalThreads: true,
};

/** A role of a health system's own staff, administrators included (shared's isStaffRole leaves admins out). */
function isOrganizationRole(role: MembershipRole): role is StaffRole {
  return (
    role === 'clinician' ||
    role === 'nurse' ||
    role === 'front_desk' ||
    role === 'billing' ||
    role === 'admin' ||
    role === 'privacy_officer'
  );
}

/** The actor's staff membership in an organization, if any. */
export function staffMembershipIn(actor: Actor, organizationId: string): (Membership & { role: StaffRole }) | undefined {
  return actor.memberships.find(
    (m): m is Membership & { role: StaffRole } => m.kind === 'staff' && m.organizationId === organizationId && isOrganizationRole(m.role),
  );
}

/** The category and action are among the grants. */
export function isAllowedByGrants(grants: Grants | undefined, action: PatientAction, category: DataCategory): boolean {
  return grants?.[category]?.includes(action) ?? false;
}

/** The patient is the actor themself. */
export function isOwnRecord(actor: Actor, patient: { id: string }): boolean {
  return actor.ownPatientId !== null && actor.ownPatientId === patient.id;
}

/**
 * The actor is on the patient's side of the portal for this record: the patient themself, or a proxy acting for them
 * (issue 11). Routes only the patient's side uses (their messages, refill requests, e-check-in, the waitlist) ask this
 * beside the policy's category check, so staff reach those records through their own routes, never these.
 */
export function actsForPatient(actor: Actor, patient: { id: string }): boolean {
  return isOwnRecord(actor, patient) || actor.grants.some((g) => g.kind === 'proxy' && g.patientId === patient.id);
}

/**
 * Whether the actor may keep a new thread on this record private from their guardians ("Keep this private from my
 * parents", issue 11 §1): only the patient themself, aged 12-17 on their organization's calendar day.
 */
export function mayKeepThreadPrivate(actor: Actor, patient: PatientRef, now: Date = new Date()): boolean {
  return isOwnRecord(actor, patient) && isTeen(patient, now);
}

/** What a grant lets its holder do, on a patient of a given age; undefined when it gives nothing (e.g. a proxy past 18). */
export function grantAccess(grant: ActorGrant, patient: Pick<PatientRef, 'birthDate' | 'userId'>, today: string): Grants | undefined {
  if (grant.kind === 'proxy') {
    // At 18 a guardian's access ends; what the adult patient granted themself goes on.
    const grantedByPatient = patient.userId !== null && grant.grantedBy === patient.userId;
    const outlivesAge = grantedByPatient || grant.relationship === 'legal_representative';
    if (proxyAgeBand(patient.birthDate, today) === 'adult' && !outlivesAge) return undefined;
    const out: Grants = {};
    for (const category of grant.categories) {
      const own = ownGrants[category];
      if (own) out[category] = grant.level === 'read' ? r : own;
    }
    return out;
  }
  if (grant.kind === 'app') return undefined;
  // An outside provider's grant reads the chart's categories it names, never more (practice-access.ts).
  if (outsideGrantKinds.includes(grant.kind)) {
    const out: Grants = {};
    for (const category of grant.categories) if (practiceAllows('read', category)) out[category] = r;
    return out;
  }
  // A share link (never a row of access_grants: only shareLinkActor, share-link-actor.ts, makes one) reads what its categories name.
  const out: Grants = {};
  for (const category of grant.categories) if (category !== 'preferences' && category !== 'result_holds') out[category] = r;
  return out;
}

/**
 * The row filter of a grant: sensitive categories the patient has not consented to, per person, are hidden (so 42 CFR
 * Part 2 substance-use records only with that specific consent), and for a proxy of a 12-17 year old or a limited
 * grant, all of them. What is marked confidential is hidden from a proxy of a 12-17 year old (issue 11 §1) and from a
 * share link, which carries no consent.
 */
function grantFilter(grant: ActorGrant, patient: Pick<PatientRef, 'birthDate'>, today: string): RowFilter {
  // An outside provider's grant (care team, approved request, token) sees what the PCP's practice sees, less what the
  // patient consented to show this person.
  if (outsideGrantKinds.includes(grant.kind))
    return { ...practiceRowFilter, hiddenSensitive: allSensitiveCategories.filter((c) => !grant.sensitiveCategories.includes(c)) };
  const teenProxy = grant.kind === 'proxy' && proxyAgeBand(patient.birthDate, today) === 'teen';
  const limited = grant.level === 'limited' || teenProxy;
  const hidden =
    grant.kind === 'break_glass'
      ? []
      : limited
        ? allSensitiveCategories
        : allSensitiveCategories.filter((c) => !grant.sensitiveCategories.includes(c));
  const seesConfidential = !teenProxy && grant.kind !== 'share_link';
  return { hiddenSensitive: hidden, seesConfidential, seesHeldResults: false, seesInternalNotes: false, seesClinicalThreads: true };
}

/**
 * What a staff role sees of the rows of its organization's patients: no sensitive category is hidden from the treating
 * organization; held results for roles that read holds; internal notes and clinical threads for clinicians and nurses
 * only (front desk and billing see no clinical content, issue 9).
 */
export function staffRowFilter(role: MembershipRole): RowFilter {
  const clinical = role === 'clinician' || role === 'nurse';
  return {
    hiddenSensitive: [],
    seesConfidential: true,
    seesHeldResults: isOrganizationRole(role) && isAllowedByGrants(staffGrants[role], 'read', 'result_holds'),
    seesInternalNotes: clinical,
    seesClinicalThreads: clinical,
  };
}

/** The order grants are tried in when several apply: the broadest relationship first. */
const grantOrder: readonly GrantKind[] = ['proxy', 'break_glass', 'care_team', 'approved_request', 'token', 'share_link'];

/**
 * The one access decision every read or write of patient data passes through (DESIGN.md "Access"): the first
 * relationship that allows it, with its row filter; otherwise a reason for the audit trail. `now` fixes the day ages
 * are computed on.
 */
export function decide(actor: Actor, patient: PatientRef, action: PatientAction, category: DataCategory, now: Date = new Date()): Decision {
  let refusal: string | null = null;
  if (isOwnRecord(actor, patient)) {
    if (isAllowedByGrants(ownGrants, action, category))
      return { allow: true, via: 'own_record', reason: 'own_record', filter: ownRecordRowFilter };
    refusal = 'own_record_action_not_allowed';
  }
  // One staff membership per organization is the rule (a unique index); any that allows is enough.
  for (const staff of actor.memberships) {
    if (staff.kind !== 'staff' || staff.organizationId !== patient.organizationId || !isOrganizationRole(staff.role)) continue;
    if (isAllowedByGrants(staffGrants[staff.role], action, category))
      return { allow: true, via: 'organization_staff', reason: `organization_${staff.role}`, filter: staffRowFilter(staff.role) };
    refusal ??= `role_${staff.role}_lacks_${category}_${action}`;
  }
  // An outside practice whose physician is the patient's PCP (practice-access.ts): a read-only chart.
  const practice = practiceMembershipFor(actor, patient);
  if (practice) {
    if (practiceAllows(action, category))
      return { allow: true, via: 'pcp_practice', reason: `pcp_practice_${practice.role}`, filter: practiceRowFilter };
    refusal ??= `pcp_practice_lacks_${category}_${action}`;
  }
  const today = dayInZone(now, patient.timeZone);
  const held = actor.grants
    .filter((g) => g.patientId === patient.id && (!outsideGrantKinds.includes(g.kind) || holdsPracticeIn(actor, patient.organizationId)))
    .sort((a, b) => grantOrder.indexOf(a.kind) - grantOrder.indexOf(b.kind));
  for (const grant of held) {
    if (isAllowedByGrants(grantAccess(grant, patient, today), action, category))
      return { allow: true, via: grant.kind, reason: grant.kind, filter: grantFilter(grant, patient, today), grantId: grant.id };
    refusal ??= `${grant.kind}_lacks_${category}_${action}`;
  }
  return { allow: false, reason: refusal ?? 'no_relationship' };
}

/** Organization-level actions (setup, import, search, the inbox): the organization where the actor may do it, or null. */
export function organizationFor(actor: Actor, ability: Ability): string | null {
  return abilityHolders(actor).find((m) => m.abilities.includes(ability))?.organizationId ?? null;
}

/** Whether the actor may do an organization-level action, in a given organization or in any of theirs. */
export function can(actor: Actor, ability: Ability, organizationId?: string): boolean {
  if (organizationId === undefined) return organizationFor(actor, ability) !== null;
  return abilityHolders(actor).some((m) => m.organizationId === organizationId && m.abilities.includes(ability));
}

/** Every organization-level ability the actor holds somewhere, for `GET /api/me`. */
export function abilitiesOf(actor: Actor): Ability[] {
  return [...new Set(abilityHolders(actor).flatMap((m) => m.abilities))];
}

/** Which categories, and how, the actor reaches on one patient through this relationship, for `GET /api/me`. */
export function accessSummary(actor: Actor, patient: PatientRef, now: Date = new Date()): Partial<Record<DataCategory, 'read' | 'write'>> {
  const out: Partial<Record<DataCategory, 'read' | 'write'>> = {};
  for (const category of dataCategories) {
    if (decide(actor, patient, 'write', category, now).allow) out[category] = 'write';
    else if (decide(actor, patient, 'read', category, now).allow) out[category] = 'read';
  }
  return out;
}

/** The grants table of a staff role, for the scope SQL. */
export function staffRoleAllows(role: MembershipRole, action: PatientAction, category: DataCategory): boolean {
  return isOrganizationRole(role) && isAllowedByGrants(staffGrants[role], action, category);
}

/** The patient's own grants, for the scope SQL. */
export function ownRecordAllows(action: PatientAction, category: DataCategory): boolean {
  return isAllowedByGrants(ownGrants, action, category);
}

/** Whether the actor holds any membership (such people need MFA and get the staff idle timeout; SECURITY.md). */
export function hasMemberships(actor: Pick<Actor, 'memberships'>): boolean {
  return actor.memberships.length > 0;
}

/**
 * Care-team messages: staff who work the inbox see a pool's threads only when they belong to the pool (its department,
 * `poolIds` from staff_departments); the thread's topic is then checked against the row filter.
 */
export function isMemberOfPool(actor: Actor, departmentId: string, poolIds: ReadonlySet<string>): boolean {
  return can(actor, 'inbox.use') && poolIds.has(departmentId);
}

/** The role an author shows beside their words in an organization: their staff role there, else the patient's side. */
export function authorRoleIn(actor: Actor, organizationId: string, patientId: string): MembershipRole | 'patient' | 'proxy' {
  if (actor.ownPatientId === patientId) return 'patient';
  const staff = staffMembershipIn(actor, organizationId);
  if (staff) return staff.role;
  return actor.grants.some((g) => g.kind === 'proxy' && g.patientId === patientId) ? 'proxy' : 'patient';
}
