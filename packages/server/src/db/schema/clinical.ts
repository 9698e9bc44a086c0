import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { departments, organizations } from './organization.ts';
import { users } from './identity.ts';
import { patients } from './patient.ts';

/** Sensitive categories (DESIGN.md): the policy may hide these from proxies and outside providers. */
export const sensitiveCategories = ['mental_health', 'substance_use', 'sexual_reproductive', 'hiv', 'genetics'] as const;

/**
 * Clinical and directory data as FHIR R4 resources (JSONB), the current version of each, with the columns search needs
 * beside them (DESIGN.md "The clinical record"). Patient-compartment resources carry `patient_id`; directory resources
 * (Practitioner, Organization, Location...) have none. Earlier versions live in `fhir_resource_versions`.
 */
export const fhirResources = pgTable(
  'fhir_resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id').references(() => patients.id),
    resourceType: text('resource_type').notNull(),
    category: text('category'),
    /** The primary coding as `system|code`. */
    code: text('code'),
    effectiveAt: timestamp('effective_at', { withTimezone: true }),
    status: text('status'),
    /** The Encounter this resource was recorded in, when it names one. */
    encounterId: uuid('encounter_id'),
    /** Every identifier as `system|value`, for conditional references. */
    identifiers: text('identifiers')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sensitiveCategory: text('sensitive_category'),
    isSensitive: boolean('is_sensitive').notNull().default(false),
    /**
     * meta.security holds the v3 Confidentiality code R or V (hasRestrictedConfidentiality): what a clinician or the EHR
     * marked confidential. The policy hides it from a guardian of a 12-17 year old and from share links (seesConfidential).
     */
    confidential: boolean('confidential').notNull().default(false),
    versionId: integer('version_id').notNull().default(1),
    lastUpdated: timestamp('last_updated', { withTimezone: true }).notNull().defaultNow(),
    resource: jsonb('resource').notNull(),
  },
  (t) => [
    index('fhir_resources_patient_type_idx').on(t.patientId, t.resourceType, t.category, t.effectiveAt),
    index('fhir_resources_patient_code_idx').on(t.patientId, t.code, t.effectiveAt),
    index('fhir_resources_patient_encounter_idx')
      .on(t.patientId, t.encounterId)
      .where(sql`${t.encounterId} is not null`),
    index('fhir_resources_identifiers_idx').using('gin', t.identifiers),
    check(
      'fhir_resources_sensitive_category_check',
      sql`${t.sensitiveCategory} is null or ${t.sensitiveCategory} in ('mental_health','substance_use','sexual_reproductive','hiv','genetics')`,
    ),
  ],
);

/** Superseded versions of FHIR resources (FHIR `_history`): a row is written here when an update replaces the current one. */
export const fhirResourceVersions = pgTable(
  'fhir_resource_versions',
  {
    id: uuid('id').notNull(),
    versionId: integer('version_id').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id').references(() => patients.id),
    resourceType: text('resource_type').notNull(),
    lastUpdated: timestamp('last_updated', { withTimezone: true }).notNull(),
    resource: jsonb('resource').notNull(),
  },
  (t) => [primaryKey({ columns: [t.id, t.versionId] }), index('fhir_resource_versions_patient_idx').on(t.patientId)],
);

/**
 * A result kept from the patient: by the patient's own choice until a clinician reviews it, or by a clinician for one
 * result with a documented reason and an end time. Active while `released_at` is null and `held_until` is unset or ahead.
 */
export const resultHolds = pgTable(
  'result_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => fhirResources.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    kind: text('kind').notNull(),
    reason: text('reason'),
    heldBy: uuid('held_by').references(() => users.id),
    heldUntil: timestamp('held_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    releasedBy: uuid('released_by').references(() => users.id),
  },
  (t) => [
    index('result_holds_patient_idx')
      .on(t.patientId, t.resourceId)
      .where(sql`${t.releasedAt} is null`),
    uniqueIndex('result_holds_active_key')
      .on(t.resourceId, t.kind)
      .where(sql`${t.releasedAt} is null`),
    // Ended holds too: when a result was released is when it became new to the patient (results list "New" marks).
    index('result_holds_resource_idx').on(t.resourceId),
    check('result_holds_kind_check', sql`${t.kind} in ('patient_preference','clinician')`),
    check(
      'result_holds_clinician_check',
      sql`${t.kind} <> 'clinician' or (${t.reason} is not null and ${t.heldUntil} is not null and ${t.heldBy} is not null)`,
    ),
  ],
);

/** A note from the care team about one result, shown to the patient with the author's name and role. */
export const resultComments = pgTable(
  'result_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => fhirResources.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('result_comments_resource_idx').on(t.resourceId, t.createdAt)],
);

/**
 * When each reader last visited the results list of each patient, for the "New" marks: results that reached the record
 * after `seen_before` are new. A visit is reads of the list's first page less than 30 minutes apart; when a read
 * starts a new visit, `seen_before` moves up to the previous visit's `last_read_at`. One row per reader and patient,
 * so a patient, each proxy and each staff member keep their own marks.
 */
export const resultsSeen = pgTable(
  'results_seen',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    seenBefore: timestamp('seen_before', { withTimezone: true }).notNull(),
    lastReadAt: timestamp('last_read_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.patientId] })],
);

/** A booked visit. Issue 5 grows this into full scheduling; times are UTC with the location's zone beside them. */
export const appointments = pgTable(
  'appointments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id),
    clinicianId: uuid('clinician_id').references(() => users.id),
    startAt: timestamp('start_at', { withTimezone: true }).notNull(),
    endAt: timestamp('end_at', { withTimezone: true }).notNull(),
    timeZone: text('time_zone').notNull(),
    /** The visit type's name as booked (kept if the type is later renamed). */
    visitType: text('visit_type').notNull(),
    visitTypeId: uuid('visit_type_id'),
    status: text('status').notNull(),
    /** For video visits: where to join. */
    videoUrl: text('video_url'),
    bookedBy: uuid('booked_by').references(() => users.id),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledBy: uuid('cancelled_by').references(() => users.id),
    /** The appointment this one replaced (reschedule or accepted waitlist offer). */
    replacesId: uuid('replaces_id'),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('appointments_patient_start_idx').on(t.patientId, t.startAt),
    index('appointments_clinician_start_idx').on(t.clinicianId, t.startAt),
    index('appointments_department_start_idx').on(t.departmentId, t.startAt),
    check('appointments_time_check', sql`${t.endAt} > ${t.startAt}`),
    check('appointments_status_check', sql`${t.status} in ('scheduled','checked_in','arrived','completed','no_show','cancelled')`),
  ],
);
