import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './organization.ts';
import { users } from './identity.ts';
import { patients } from './patient.ts';
import { practices } from './practice.ts';

/**
 * What a person is, besides a patient of their own record (which follows from `patients.user_id`): staff of an
 * organization with a role, a member of an outside practice, or the support team. A user may hold several at once
 * (a nurse who is also a patient). Ended memberships keep their row (`ended_at`) for the audit trail.
 */
export const memberships = pgTable(
  'memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** `staff` of a health system, `practice` member (outside provider or their sponsored staff), `support`. */
    kind: text('kind').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** Staff: clinician, nurse, front_desk, billing, admin; practice: outside_provider, sponsored_staff; support: support. */
    role: text('role').notNull(),
    /** The outside practice a `practice` membership is of (issue 12); null for every other kind. */
    practiceId: uuid('practice_id').references(() => practices.id),
    /** The physician (an NPI holder of the practice) who sponsors a `sponsored_staff` member; null otherwise. */
    sponsorUserId: uuid('sponsor_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('memberships_active_key')
      .on(t.userId, t.kind, t.organizationId)
      .where(sql`${t.endedAt} is null`),
    index('memberships_org_idx')
      .on(t.organizationId, t.role)
      .where(sql`${t.endedAt} is null`),
    check('memberships_kind_check', sql`${t.kind} in ('staff','practice','support')`),
    check('memberships_practice_check', sql`(${t.kind} = 'practice') = (${t.practiceId} is not null)`),
    check('memberships_sponsor_check', sql`(${t.role} = 'sponsored_staff') = (${t.sponsorUserId} is not null)`),
    index('memberships_practice_idx')
      .on(t.practiceId, t.role)
      .where(sql`${t.endedAt} is null`),
    check(
      'memberships_role_check',
      sql`(${t.kind} = 'staff' and ${t.role} in ('clinician','nurse','front_desk','billing','admin','privacy_officer'))
        or (${t.kind} = 'practice' and ${t.role} in ('outside_provider','sponsored_staff'))
        or (${t.kind} = 'support' and ${t.role} = 'support')`,
    ),
  ],
);

/**
 * Explicit relationships between a person (later an app) and a patient's record: proxy, care team, an approved
 * request, a redeemed MRN token, break-the-glass, an authorized app. Relationships that follow from data (own record,
 * organization staff, the patient's PCP) are derived by the policy and never stored here (DESIGN.md "Access").
 */
export const accessGrants = pgTable(
  'access_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    granteeUserId: uuid('grantee_user_id').references(() => users.id),
    /** A third-party app's client id (SMART App Launch), when the grantee is an app. */
    granteeAppId: text('grantee_app_id'),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    kind: text('kind').notNull(),
    /** `full` or `limited` (a proxy of a 12-17 year old sees no confidential items); `read` for read-only kinds. */
    level: text('level').notNull(),
    /** Data categories the grant covers, e.g. {clinical,appointments}. */
    categories: text('categories').array().notNull(),
    /** Sensitive categories the patient consented to show (mental_health, substance_use, ...). */
    sensitiveCategories: text('sensitive_categories')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Why: the relationship ("mother"), the request's reason, the emergency. */
    reason: text('reason'),
    grantedBy: uuid('granted_by').references(() => users.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull().defaultNow(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id),
    /** Why it was revoked, in the revoker's words (the patient's, staff's, or the age rules'). */
    revokeReason: text('revoke_reason'),
    /** A proxy's relationship: guardian of a minor, an adult the patient invited, a legal representative (issue 11 §1). */
    relationship: text('relationship'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('access_grants_grantee_idx')
      .on(t.granteeUserId, t.patientId)
      .where(sql`${t.revokedAt} is null`),
    index('access_grants_patient_idx').on(t.patientId, t.kind),
    // One proxy relationship in force per person and patient: two racing acceptances make one grant.
    uniqueIndex('access_grants_active_proxy_key')
      .on(t.granteeUserId, t.patientId)
      .where(sql`${t.kind} = 'proxy' and ${t.revokedAt} is null`),
    // One care-team membership and one approved request in force per outside provider and patient (issue 12 §2).
    uniqueIndex('access_grants_active_outside_key')
      .on(t.granteeUserId, t.patientId, t.kind)
      .where(sql`${t.kind} in ('care_team','approved_request') and ${t.revokedAt} is null`),
    check('access_grants_grantee_check', sql`num_nonnulls(${t.granteeUserId}, ${t.granteeAppId}) = 1`),
    check('access_grants_kind_check', sql`${t.kind} in ('proxy','care_team','approved_request','token','break_glass','app','share_link')`),
    check('access_grants_level_check', sql`${t.level} in ('full','limited','read')`),
    check('access_grants_period_check', sql`${t.endsAt} is null or ${t.endsAt} > ${t.startsAt}`),
    check(
      'access_grants_relationship_check',
      sql`${t.relationship} is null or (${t.kind} = 'proxy' and ${t.relationship} in ('guardian','invited','legal_representative'))`,
    ),
  ],
);

/**
 * A patient's invitation to an adult to act for them (issue 11 §1): the token travels only in the emailed link's
 * fragment and is stored as SHA-256; the invitee accepts with the patient's birth date, and five wrong dates lock it.
 */
export const proxyInvitations = pgTable(
  'proxy_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    invitedBy: uuid('invited_by')
      .notNull()
      .references(() => users.id),
    email: text('email').notNull(),
    /** How the patient knows the invitee ("Ana, my daughter"); shown to the patient and, as "invited as", to the invitee. */
    name: text('name').notNull(),
    /** `full` (every area and the settings) or `areas` (the chosen ones). */
    level: text('level').notNull(),
    areas: text('areas')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    tokenHash: text('token_hash').notNull(),
    status: text('status').notNull().default('pending'),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedBy: uuid('accepted_by').references(() => users.id),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    grantId: uuid('grant_id').references(() => accessGrants.id),
  },
  (t) => [
    uniqueIndex('proxy_invitations_token_key').on(t.tokenHash),
    index('proxy_invitations_patient_idx').on(t.patientId, t.createdAt),
    check('proxy_invitations_level_check', sql`${t.level} in ('full','areas')`),
    check('proxy_invitations_status_check', sql`${t.status} in ('pending','accepted','expired','cancelled','locked')`),
    check('proxy_invitations_attempts_check', sql`${t.failedAttempts} >= 0`),
    check('proxy_invitations_accepted_check', sql`(${t.status} = 'accepted') = (${t.grantId} is not null)`),
  ],
);
