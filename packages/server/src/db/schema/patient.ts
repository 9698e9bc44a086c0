import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './organization.ts';
import { users } from './identity.ts';

/** A patient of an organization: the subject every clinical row is keyed by (DESIGN.md "Patient-keyed data"). */
export const patients = pgTable(
  'patients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    mrn: text('mrn').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    sex: text('sex'),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    pcpId: uuid('pcp_id').references(() => users.id),
    /** The patient's own portal account, once activated. */
    userId: uuid('user_id').references(() => users.id),
    /** `immediate` (21st Century Cures Act default) or `after_review`: new results wait for a clinician. */
    resultsRelease: text('results_release').notNull().default('immediate'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('patients_org_mrn_key').on(t.organizationId, t.mrn),
    uniqueIndex('patients_user_key').on(t.userId),
    index('patients_org_family_idx').on(t.organizationId, sql`lower(${t.familyName})`),
    index('patients_org_birth_idx').on(t.organizationId, t.birthDate),
    /** The patients of a PCP: an outside practice's list (issue 12 §2) filters by it. */
    index('patients_org_pcp_idx').on(t.organizationId, t.pcpId),
    check('patients_results_release_check', sql`${t.resultsRelease} in ('immediate','after_review')`),
  ],
);

/** Activation codes staff hand a patient to open a portal account; only their hash is stored. */
export const activationCodes = pgTable(
  'activation_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    codeHash: text('code_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    redeemedAt: timestamp('redeemed_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('activation_codes_patient_idx').on(t.patientId)],
);
