import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { departments, organizations } from './organization.ts';
import { users } from './identity.ts';
import { patients } from './patient.ts';

/** Clinical data as FHIR R4 resources (JSONB) with the columns search needs beside them (DESIGN.md "The clinical record"). */
export const fhirResources = pgTable(
  'fhir_resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    resourceType: text('resource_type').notNull(),
    category: text('category'),
    code: text('code'),
    effectiveAt: timestamp('effective_at', { withTimezone: true }),
    status: text('status'),
    isSensitive: boolean('is_sensitive').notNull().default(false),
    versionId: integer('version_id').notNull().default(1),
    lastUpdated: timestamp('last_updated', { withTimezone: true }).notNull().defaultNow(),
    resource: jsonb('resource').notNull(),
  },
  (t) => [
    index('fhir_resources_patient_type_idx').on(t.patientId, t.resourceType, t.category, t.effectiveAt),
    index('fhir_resources_patient_code_idx').on(t.patientId, t.code),
  ],
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
    visitType: text('visit_type').notNull(),
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('appointments_patient_start_idx').on(t.patientId, t.startAt),
    check('appointments_time_check', sql`${t.endAt} > ${t.startAt}`),
    check('appointments_status_check', sql`${t.status} in ('scheduled','checked_in','arrived','completed','no_show','cancelled')`),
  ],
);
