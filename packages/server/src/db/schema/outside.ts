import { sql } from 'drizzle-orm';
import { boolean, check, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './organization.ts';
import { users } from './identity.ts';
import { patients } from './patient.ts';
import { practices } from './practice.ts';
import { accessGrants } from './access.ts';
import { bytea } from './branding.ts';

/** Where an outside provider's request for a patient's record stands. */
export const outsideRequestStatuses = ['pending', 'approved', 'denied', 'cancelled'] as const;

/**
 * An outside provider asking for a patient's record they cannot see (issue 12 §2): `pcp` starts the PCP update process
 * (a task for the support team, who record the family's verbal confirmation and update `patients.pcp_id`); `non_pcp`
 * goes to the patient or guardian (or to support, as the organization chooses: organizations.non_pcp_requests_to),
 * and its approval makes an `approved_request` grant.
 */
export const outsideAccessRequests = pgTable(
  'outside_access_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    requesterUserId: uuid('requester_user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    /** Who decides: the patient's side of the portal or the support team. A PCP request is always support's. */
    routedTo: text('routed_to').notNull(),
    /** The provider's words: why they need the record (shown to whoever decides). */
    reason: text('reason'),
    status: text('status').notNull().default('pending'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** Support's note: for a PCP update, who in the family confirmed it by voice, and when. */
    decisionNote: text('decision_note'),
    grantId: uuid('grant_id').references(() => accessGrants.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('outside_access_requests_queue_idx').on(t.organizationId, t.routedTo, t.status, t.createdAt),
    index('outside_access_requests_patient_idx').on(t.patientId, t.status),
    index('outside_access_requests_requester_idx').on(t.requesterUserId, t.createdAt),
    // One request of a kind waits per provider and patient: a second click finds the first.
    uniqueIndex('outside_access_requests_pending_key')
      .on(t.requesterUserId, t.patientId, t.kind)
      .where(sql`${t.status} = 'pending'`),
    check('outside_access_requests_kind_check', sql`${t.kind} in ('pcp','non_pcp')`),
    check(
      'outside_access_requests_routed_check',
      sql`${t.routedTo} in ('patient','support') and (${t.kind} = 'non_pcp' or ${t.routedTo} = 'support')`,
    ),
    check('outside_access_requests_status_check', sql`${t.status} in ('pending','approved','denied','cancelled')`),
    check('outside_access_requests_reason_check', sql`${t.reason} is null or length(${t.reason}) <= 1000`),
    check('outside_access_requests_decision_check', sql`(${t.status} = 'pending') = (${t.decidedAt} is null)`),
  ],
);

/**
 * A token a patient (or staff for them) issues for an outside provider (issue 12 §2): bound to the patient's MRN,
 * stored as SHA-256, valid six months from issue. A provider who validates it with the MRN gets a `token` grant until
 * the token's expiry; a wrong MRN and an expired token are refused alike.
 */
export const providerTokens = pgTable(
  'provider_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    tokenHash: text('token_hash').notNull(),
    /** Who it is for, in the issuer's words ("Dr. Rivera, cardiology"): shown to the patient, never to the provider. */
    label: text('label').notNull(),
    issuedBy: uuid('issued_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    redeemedBy: uuid('redeemed_by').references(() => users.id),
    redeemedAt: timestamp('redeemed_at', { withTimezone: true }),
    grantId: uuid('grant_id').references(() => accessGrants.id),
  },
  (t) => [
    uniqueIndex('provider_tokens_hash_key').on(t.tokenHash),
    index('provider_tokens_patient_idx').on(t.patientId, t.createdAt),
    check('provider_tokens_label_check', sql`length(${t.label}) between 1 and 200`),
    check('provider_tokens_period_check', sql`${t.expiresAt} > ${t.createdAt}`),
    check('provider_tokens_redeemed_check', sql`(${t.redeemedAt} is null) = (${t.grantId} is null)`),
  ],
);

/**
 * A sponsor's Sponsored User Validation for one period (issue 12 §1): on April 1 and October 1 (the organization's
 * zone) every sponsor with active sponsored users is asked to confirm or remove each; `due_at` is 30 days later. A
 * validation past due and not completed locks the sponsor and their sponsored users (session lookup and sign-in)
 * until the sponsor completes it; support may extend it (`due_at` moves, the audit trail keeps why).
 */
export const sponsorValidations = pgTable(
  'sponsor_validations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    sponsorUserId: uuid('sponsor_user_id')
      .notNull()
      .references(() => users.id),
    /** April 1 or October 1 of a year: the period's first day in the organization's zone. */
    periodStart: date('period_start').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: uuid('completed_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sponsor_validations_period_key').on(t.sponsorUserId, t.periodStart),
    index('sponsor_validations_open_idx')
      .on(t.sponsorUserId, t.dueAt)
      .where(sql`${t.completedAt} is null`),
    check(
      'sponsor_validations_period_check',
      sql`extract(day from ${t.periodStart}) = 1 and extract(month from ${t.periodStart}) in (4, 10)`,
    ),
  ],
);

/**
 * A provider's request to move to another practice (issue 12 §1): the old and the new practice, and whether they
 * sponsored staff at the old one; the support team applies it (the membership moves) or declines it.
 */
export const practiceChangeRequests = pgTable(
  'practice_change_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    oldPracticeId: uuid('old_practice_id').references(() => practices.id),
    /** An existing practice of the organization, or the one described below (made when support applies it). */
    newPracticeId: uuid('new_practice_id').references(() => practices.id),
    newPracticeName: text('new_practice_name'),
    newPracticeAddress: text('new_practice_address'),
    newPracticePhone: text('new_practice_phone'),
    newPracticeFax: text('new_practice_fax'),
    /** A new email, when it changed with the move. */
    newEmail: text('new_email'),
    wasSponsor: boolean('was_sponsor').notNull(),
    status: text('status').notNull().default('pending'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('practice_change_requests_queue_idx').on(t.organizationId, t.status, t.createdAt),
    uniqueIndex('practice_change_requests_pending_key')
      .on(t.userId)
      .where(sql`${t.status} = 'pending'`),
    check('practice_change_requests_status_check', sql`${t.status} in ('pending','applied','declined')`),
    check('practice_change_requests_new_check', sql`${t.newPracticeId} is not null or ${t.newPracticeName} is not null`),
  ],
);

/**
 * A problem a provider reports from any page (issue 12 §3): a description and optionally a screenshot (PNG or JPEG,
 * checked by its bytes). The support team answers within two business days (`due_at`, weekends skipped); the answer
 * is emailed (without the description) and shown to the reporter.
 */
export const errorReports = pgTable(
  'error_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** The page's path in the app (opaque ids only; no query string). */
    page: text('page').notNull(),
    description: text('description').notNull(),
    screenshot: bytea('screenshot'),
    screenshotType: text('screenshot_type'),
    status: text('status').notNull().default('open'),
    answer: text('answer'),
    answeredBy: uuid('answered_by').references(() => users.id),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('error_reports_queue_idx').on(t.organizationId, t.status, t.createdAt),
    index('error_reports_user_idx').on(t.userId, t.createdAt),
    check('error_reports_status_check', sql`${t.status} in ('open','answered')`),
    check('error_reports_description_check', sql`length(${t.description}) between 1 and 4000`),
    check('error_reports_page_check', sql`length(${t.page}) between 1 and 300`),
    check('error_reports_screenshot_check', sql`(${t.screenshot} is null) = (${t.screenshotType} is null)`),
    check('error_reports_screenshot_type_check', sql`${t.screenshotType} is null or ${t.screenshotType} in ('image/png','image/jpeg')`),
    check('error_reports_answered_check', sql`(${t.status} = 'answered') = (${t.answeredAt} is not null)`),
    check('error_reports_size_check', sql`${t.screenshot} is null or octet_length(${t.screenshot}) <= ${sql.raw(String(2 * 1024 * 1024))}`),
  ],
);
