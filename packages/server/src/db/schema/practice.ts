import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './organization.ts';
import { users } from './identity.ts';
import { locales } from '@portico/shared/i18n';

/**
 * An outside practice (issue 12 §1): physicians outside the health system and the staff they sponsor, who see the
 * records of the patients whose PCP is one of the practice's physicians (DESIGN.md "Access"). A practice belongs to
 * the health system whose community-provider portal it uses. Its members are `memberships` of kind `practice` that
 * name it (`memberships.practice_id`).
 */
export const practices = pgTable(
  'practices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    address: text('address'),
    phone: text('phone'),
    fax: text('fax'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('practices_org_name_idx').on(t.organizationId, sql`lower(${t.name})`),
    check('practices_name_check', sql`length(${t.name}) between 1 and 200`),
  ],
);

/** Where an outside provider's registration stands: waiting for the support team, or decided. */
export const providerRegistrationStatuses = ['pending', 'approved', 'rejected'] as const;

/**
 * A provider with an NPI asking for a community-provider account (issue 12 §1): what they told us, until the support
 * team approves (an account and a practice membership are made, `user_id`) or rejects it with a reason. The practice
 * is an existing one (`practice_id`) or the one they describe (`practice_*`), made on approval.
 */
export const providerRegistrations = pgTable(
  'provider_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    /** Professional title shown next to the name (MD, DO, NP...). */
    credentials: text('credentials'),
    /** Ten digits with a valid check digit (isValidNpi), checked before it is stored. */
    npi: text('npi').notNull(),
    email: text('email').notNull(),
    phone: text('phone').notNull(),
    fax: text('fax'),
    practiceId: uuid('practice_id').references(() => practices.id),
    practiceName: text('practice_name'),
    practiceAddress: text('practice_address'),
    practicePhone: text('practice_phone'),
    practiceFax: text('practice_fax'),
    status: text('status').notNull().default('pending'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
    /** The language the registrant wrote in: the decision's email and the account are in it. */
    locale: text('locale', { enum: locales }).notNull().default('en'),
    /** The account the approval made. */
    userId: uuid('user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('provider_registrations_queue_idx').on(t.organizationId, t.status, t.createdAt),
    // One registration waits per NPI: a second is refused (409) rather than queued twice.
    uniqueIndex('provider_registrations_pending_npi_key')
      .on(t.organizationId, t.npi)
      .where(sql`${t.status} = 'pending'`),
    check('provider_registrations_status_check', sql`${t.status} in ('pending','approved','rejected')`),
    check('provider_registrations_npi_check', sql`${t.npi} ~ '^[12][0-9]{9}$'`),
    check('provider_registrations_practice_check', sql`${t.practiceId} is not null or ${t.practiceName} is not null`),
    check(
      'provider_registrations_decision_check',
      sql`(${t.status} = 'pending') = (${t.decidedAt} is null) and (${t.status} <> 'approved' or ${t.userId} is not null)`,
    ),
  ],
);
