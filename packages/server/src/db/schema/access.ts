import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './organization.ts';
import { users } from './identity.ts';
import { patients } from './patient.ts';

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
    check(
      'memberships_role_check',
      sql`(${t.kind} = 'staff' and ${t.role} in ('clinician','nurse','front_desk','billing','admin'))
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('access_grants_grantee_idx')
      .on(t.granteeUserId, t.patientId)
      .where(sql`${t.revokedAt} is null`),
    index('access_grants_patient_idx').on(t.patientId, t.kind),
    check('access_grants_grantee_check', sql`num_nonnulls(${t.granteeUserId}, ${t.granteeAppId}) = 1`),
    check('access_grants_kind_check', sql`${t.kind} in ('proxy','care_team','approved_request','token','break_glass','app','share_link')`),
    check('access_grants_level_check', sql`${t.level} in ('full','limited','read')`),
    check('access_grants_period_check', sql`${t.endsAt} is null or ${t.endsAt} > ${t.startsAt}`),
  ],
);
