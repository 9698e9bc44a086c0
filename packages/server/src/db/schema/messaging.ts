import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { departments, organizations } from './organization.ts';
import { users } from './identity.ts';
import { patients } from './patient.ts';
import { auditEvents } from './audit.ts';

/** What a patient writes about (issue 4); `refill` threads carry a refill request. */
export const messageTopics = [
  'medical_question',
  'prescription_question',
  'test_result_question',
  'appointment',
  'billing',
  'other',
  'refill',
  'privacy',
] as const;
/** Where a thread stands: waiting for the care team, acknowledged by a holding reply, answered by them, or closed. */
export const threadStatuses = ['waiting', 'acknowledged', 'answered', 'closed'] as const;

/**
 * A conversation between a patient and a care-team pool (one pool per department). Staff see the threads of the pools
 * they belong to (staff_departments); the patient sees their own.
 */
export const messageThreads = pgTable(
  'message_threads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** The pool the thread sits in; forwarding moves it. */
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id),
    /** The clinician the patient wrote to, when they chose one. */
    clinicianId: uuid('clinician_id').references(() => users.id),
    topic: text('topic').notNull(),
    subject: text('subject').notNull(),
    status: text('status').notNull().default('waiting'),
    assignedTo: uuid('assigned_to').references(() => users.id),
    /** A closed thread this one follows up. */
    previousThreadId: uuid('previous_thread_id'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by').references(() => users.id),
    /**
     * The patient, aged 12-17, kept this thread private from their parents when they wrote it (issue 11 §1): hidden
     * from readers whose row filter does not see confidential content (seesConfidential).
     */
    confidential: boolean('confidential').notNull().default(false),
    /**
     * A `privacy` thread's subject (issue 11 §3 "why did this person look?"): the audit event the patient asked about,
     * shown to the privacy office beside the question. Audit events are never deleted, so the reference holds.
     */
    accessEventId: bigint('access_event_id', { mode: 'number' }).references(() => auditEvents.id),
  },
  (t) => [
    index('message_threads_patient_idx').on(t.patientId, t.lastActivityAt),
    index('message_threads_pool_idx').on(t.departmentId, t.status, t.lastActivityAt),
    index('message_threads_patient_created_idx').on(t.patientId, t.createdAt),
    /** The threads addressed to a staff member (their home page): assigned to them, or naming them as the clinician. */
    index('message_threads_assigned_idx').on(t.assignedTo, t.lastActivityAt),
    index('message_threads_clinician_idx').on(t.clinicianId, t.lastActivityAt),
    check('message_threads_status_check', sql`${t.status} in ('waiting','acknowledged','answered','closed')`),
    check(
      'message_threads_topic_check',
      sql`${t.topic} in ('medical_question','prescription_question','test_result_question','appointment','billing','other','refill','privacy')`,
    ),
    check('message_threads_subject_check', sql`length(${t.subject}) between 1 and 200`),
  ],
);

/** One message in a thread. Internal notes (forwarding notes, staff-to-staff) are never shown to the patient. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    threadId: uuid('thread_id')
      .notNull()
      .references(() => messageThreads.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    /** The author's role when they wrote it (patient, clinician, nurse, ...). */
    authorRole: text('author_role').notNull(),
    body: text('body').notNull(),
    internal: boolean('internal').notNull().default(false),
    /** A holding reply ("we received your message"): the thread is acknowledged, a full answer still owed. */
    holding: boolean('holding').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('messages_thread_idx').on(t.threadId, t.createdAt),
    check('messages_holding_check', sql`not (${t.holding} and ${t.internal})`),
    check('messages_body_check', sql`length(${t.body}) between 1 and 10000`),
  ],
);

/** A file sent with a message: PDF, JPEG or PNG, type checked from its bytes, stored under a generated name. */
export const messageAttachments = pgTable(
  'message_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null between upload and send; an unsent upload is removed after a day. */
    messageId: uuid('message_id').references(() => messages.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    uploadedBy: uuid('uploaded_by')
      .notNull()
      .references(() => users.id),
    storageKey: text('storage_key').notNull().unique(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('message_attachments_message_idx').on(t.messageId),
    check('message_attachments_type_check', sql`${t.contentType} in ('application/pdf','image/jpeg','image/png')`),
  ],
);

/** When a user last read a thread: unread means activity after it. */
export const threadReads = pgTable(
  'thread_reads',
  {
    threadId: uuid('thread_id')
      .notNull()
      .references(() => messageThreads.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    lastReadAt: timestamp('last_read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.userId] })],
);

/** Quick replies staff pick from, per organization (and optionally per department). */
export const messageTemplates = pgTable('message_templates', {
  id: uuid('id').primaryKey().defaultRandom(),
  organizationId: uuid('organization_id')
    .notNull()
    .references(() => organizations.id),
  departmentId: uuid('department_id').references(() => departments.id),
  title: text('title').notNull(),
  body: text('body').notNull(),
  /** Sent as a holding reply ("we received your message"): the thread stays in the pool's to-do. */
  holding: boolean('holding').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A pharmacy on a patient's list. */
export const pharmacies = pgTable(
  'pharmacies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    name: text('name').notNull(),
    address: text('address').notNull(),
    phone: text('phone'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('pharmacies_patient_idx').on(t.patientId)],
);

/** A prescription refill request: a typed item in a care-team pool, carried by its own thread. */
export const refillRequests = pgTable(
  'refill_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    threadId: uuid('thread_id')
      .notNull()
      .unique()
      .references(() => messageThreads.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** The MedicationRequest resources (fhir_resources ids) the patient asks to renew. */
    medicationIds: uuid('medication_ids').array().notNull(),
    pharmacyId: uuid('pharmacy_id')
      .notNull()
      .references(() => pharmacies.id),
    note: text('note'),
    status: text('status').notNull().default('requested'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    denialReason: text('denial_reason'),
    /** The new MedicationRequest resources an approval wrote. */
    renewalIds: uuid('renewal_ids').array(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('refill_requests_patient_idx').on(t.patientId, t.createdAt),
    check('refill_requests_status_check', sql`${t.status} in ('requested','approved','denied')`),
    check('refill_requests_denial_check', sql`${t.status} <> 'denied' or ${t.denialReason} is not null`),
  ],
);

/** Events a user can be told about, and the channels they chose; no row means the default (email on, SMS off). */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    event: text('event').notNull(),
    email: boolean('email').notNull(),
    sms: boolean('sms').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.event] })],
);

/**
 * The first answer to a request sent with an `Idempotency-Key`, stored in the same transaction as its effect: a retry
 * gets the same answer and changes nothing.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    key: text('key').notNull(),
    /** SHA-256 of method, route and body: the same key with another request is refused. */
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);
