import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A health system using Portico; every staff member and patient belongs to one. */
export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    slug: text('slug').notNull().unique(),
    phone: text('phone'),
    /** Patients may cancel or reschedule online until this many hours before a visit; after it, they call. */
    cancelCutoffHours: integer('cancel_cutoff_hours').notNull().default(24),
    /** Nurses may mark patients arrived on the schedule, as the front desk does (issue 10 §5.7; off unless chosen). */
    nursesMarkArrival: boolean('nurses_mark_arrival').notNull().default(false),
    /**
     * The IANA zone whose calendar day the organization's age rules use (a proxy's access changes on the patient's 12th
     * and 18th birthdays there, issue 11 §1); migration 0013 took it from the organization's first department.
     */
    timeZone: text('time_zone').notNull().default('UTC'),
    /**
     * The age from which a patient may open their own portal account (issue 11 §1: some organizations use 12, some 13),
     * on the organization's calendar day; a younger patient's record is reached through a guardian.
     */
    teenAccountAge: integer('teen_account_age').notNull().default(13),
    /**
     * Who decides an outside provider's request for a patient's record that is not their PCP's (issue 12 §2): the
     * patient or guardian in their portal (`patient`), or the support team (`support`).
     */
    nonPcpRequestsTo: text('non_pcp_requests_to').notNull().default('patient'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('organizations_teen_account_age_check', sql`${t.teenAccountAge} in (12, 13)`),
    check('organizations_non_pcp_requests_to_check', sql`${t.nonPcpRequestsTo} in ('patient','support')`),
  ],
);

/** A department (clinic) of an organization, with the location it practises at. */
export const departments = pgTable('departments', {
  id: uuid('id').primaryKey().defaultRandom(),
  organizationId: uuid('organization_id')
    .notNull()
    .references(() => organizations.id),
  name: text('name').notNull(),
  specialty: text('specialty').notNull(),
  phone: text('phone'),
  address: text('address'),
  /** IANA time zone of the location (DESIGN.md: appointments carry their location's zone). */
  timeZone: text('time_zone').notNull(),
});
