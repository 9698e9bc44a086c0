import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { departments, organizations } from './organization.ts';
import { users } from './identity.ts';
import { patients } from './patient.ts';
import { appointments } from './clinical.ts';

/**
 * Scheduling (issue 5). Times are stored in UTC; a department's IANA zone turns weekly templates (wall-clock minutes)
 * into instants, so a template's 9:00 stays 9:00 across daylight-saving changes.
 */

/** A kind of visit with its length, and whether patients may book it themselves. */
export const visitTypes = pgTable(
  'visit_types',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    patientBookable: boolean('patient_bookable').notNull().default(false),
    /** Only patients who have had a visit with the clinician (or department) may book it. */
    establishedOnly: boolean('established_only').notNull().default(false),
    video: boolean('video').notNull().default(false),
    /** What the patient should know before coming (shown with the appointment). */
    instructions: text('instructions'),
    /** E-check-in questions: `[{ id, text, kind: 'yes_no' | 'text' }]`. */
    questionnaire: jsonb('questionnaire')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Consent forms to sign at e-check-in: `[{ id, title, text }]`. */
    consentForms: jsonb('consent_forms')
      .notNull()
      .default(sql`'[]'::jsonb`),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    uniqueIndex('visit_types_org_name_key').on(t.organizationId, t.name),
    check('visit_types_duration_check', sql`${t.durationMinutes} between 5 and 480 and ${t.durationMinutes} % 5 = 0`),
  ],
);

/** A clinician's weekly hours in a department: on `weekday` (0 Sunday … 6 Saturday), from `startMinute` to `endMinute` local time. */
export const scheduleTemplates = pgTable(
  'schedule_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicianId: uuid('clinician_id')
      .notNull()
      .references(() => users.id),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id),
    weekday: smallint('weekday').notNull(),
    startMinute: smallint('start_minute').notNull(),
    endMinute: smallint('end_minute').notNull(),
    /** The visit types offered in these hours; empty means all of the organization's. */
    visitTypeIds: uuid('visit_type_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
  },
  (t) => [
    index('schedule_templates_clinician_idx').on(t.clinicianId, t.weekday),
    index('schedule_templates_department_idx').on(t.departmentId, t.weekday),
    check('schedule_templates_weekday_check', sql`${t.weekday} between 0 and 6`),
    check(
      'schedule_templates_minutes_check',
      sql`${t.startMinute} >= 0 and ${t.endMinute} <= 1440 and ${t.startMinute} < ${t.endMinute} and ${t.startMinute} % 5 = 0 and ${t.endMinute} % 5 = 0`,
    ),
  ],
);

/** Time a clinician is not bookable (leave, meetings), in UTC. */
export const scheduleBlocks = pgTable(
  'schedule_blocks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clinicianId: uuid('clinician_id')
      .notNull()
      .references(() => users.id),
    startAt: timestamp('start_at', { withTimezone: true }).notNull(),
    endAt: timestamp('end_at', { withTimezone: true }).notNull(),
    reason: text('reason'),
    createdBy: uuid('created_by').references(() => users.id),
  },
  (t) => [
    index('schedule_blocks_clinician_idx').on(t.clinicianId, t.startAt),
    check('schedule_blocks_time_check', sql`${t.endAt} > ${t.startAt}`),
  ],
);

/**
 * No double booking, enforced by the database: a booked appointment holds one row per 5-minute unit of its time for its
 * clinician. Two bookings that overlap by any minute collide on the primary key; a cancellation deletes its rows.
 */
export const appointmentSlots = pgTable(
  'appointment_slots',
  {
    clinicianId: uuid('clinician_id')
      .notNull()
      .references(() => users.id),
    /** The start of a 5-minute unit, UTC, on a 5-minute boundary. */
    unitStart: timestamp('unit_start', { withTimezone: true }).notNull(),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id),
  },
  (t) => [
    primaryKey({ columns: [t.clinicianId, t.unitStart] }),
    index('appointment_slots_appointment_idx').on(t.appointmentId),
    check('appointment_slots_unit_check', sql`extract(epoch from ${t.unitStart})::bigint % 300 = 0`),
  ],
);

/** A patient with a booked visit who would take an earlier time. */
export const waitlistEntries = pgTable(
  'waitlist_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    status: text('status').notNull().default('waiting'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('waitlist_entries_active_key')
      .on(t.appointmentId)
      .where(sql`${t.status} = 'waiting'`),
    check('waitlist_entries_status_check', sql`${t.status} in ('waiting','fulfilled','cancelled')`),
  ],
);

/** An earlier time offered to waitlisted patients; the first to accept takes it. */
export const waitlistOffers = pgTable(
  'waitlist_offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => waitlistEntries.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    clinicianId: uuid('clinician_id')
      .notNull()
      .references(() => users.id),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id),
    startAt: timestamp('start_at', { withTimezone: true }).notNull(),
    endAt: timestamp('end_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('waitlist_offers_patient_idx').on(t.patientId, t.status),
    check('waitlist_offers_status_check', sql`${t.status} in ('open','accepted','taken','expired','declined')`),
  ],
);

/** A patient's e-check-in for one appointment: what they confirmed, answered and signed. */
export const checkIns = pgTable('check_ins', {
  appointmentId: uuid('appointment_id')
    .primaryKey()
    .references(() => appointments.id),
  patientId: uuid('patient_id')
    .notNull()
    .references(() => patients.id),
  address: text('address').notNull(),
  phone: text('phone').notNull(),
  emergencyContact: jsonb('emergency_contact').notNull(),
  insurance: jsonb('insurance').notNull(),
  medicationsReviewed: boolean('medications_reviewed').notNull(),
  allergiesReviewed: boolean('allergies_reviewed').notNull(),
  answers: jsonb('answers').notNull(),
  /** `[{ formId, title, signedName, signedAt }]` */
  consents: jsonb('consents').notNull(),
  completedAt: timestamp('completed_at', { withTimezone: true }).notNull().defaultNow(),
});
