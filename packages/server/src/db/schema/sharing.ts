import { sql } from 'drizzle-orm';
import { check, customType, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accessGrants } from './access.ts';
import { users } from './identity.ts';
import { organizations } from './organization.ts';
import { patients } from './patient.ts';

/** PostgreSQL `bytea`; node-postgres reads it as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * How staff set up a guardian or a legal representative from the proxy console (issue 11 §1): who checked the
 * proxy's identity, how, and the document that shows the relationship (a birth certificate, a guardianship order, a
 * power of attorney). One row per grant the console made; the grant itself stays in `access_grants`.
 */
export const proxySetups = pgTable(
  'proxy_setups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    grantId: uuid('grant_id')
      .notNull()
      .references(() => accessGrants.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** The staff member who checked the identity and recorded the relationship. */
    setUpBy: uuid('set_up_by')
      .notNull()
      .references(() => users.id),
    /** How the identity was checked: photo_id, birth_certificate, court_order, power_of_attorney, other. */
    identityMethod: text('identity_method').notNull(),
    /** The staff member's note (what was seen), never shown to the proxy. */
    note: text('note'),
    documentName: text('document_name'),
    documentType: text('document_type'),
    document: bytea('document'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('proxy_setups_grant_key').on(t.grantId),
    check(
      'proxy_setups_identity_method_check',
      sql`${t.identityMethod} in ('photo_id','birth_certificate','court_order','power_of_attorney','other')`,
    ),
    check('proxy_setups_document_check', sql`(${t.document} is null) = (${t.documentName} is null and ${t.documentType} is null)`),
  ],
);

/**
 * A parent's request, from the portal, for access to a child's record (issue 11 §1): staff find the child, check the
 * relationship, and approve (a guardian grant) or deny with a reason.
 */
export const proxyRequests = pgTable(
  'proxy_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    requesterUserId: uuid('requester_user_id')
      .notNull()
      .references(() => users.id),
    childGivenName: text('child_given_name').notNull(),
    childFamilyName: text('child_family_name').notNull(),
    childBirthDate: date('child_birth_date', { mode: 'string' }).notNull(),
    /** `parent` or `legal_guardian`, as the requester says. */
    relationship: text('relationship').notNull(),
    /** The requester's words for the staff (optional). */
    note: text('note'),
    status: text('status').notNull().default('pending'),
    /** The child's record, once staff matched it (set on approval). */
    patientId: uuid('patient_id').references(() => patients.id),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** Why it was denied (required), or staff's note on approval. */
    decisionReason: text('decision_reason'),
    grantId: uuid('grant_id').references(() => accessGrants.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('proxy_requests_queue_idx').on(t.organizationId, t.status, t.createdAt),
    index('proxy_requests_requester_idx').on(t.requesterUserId, t.createdAt),
    check('proxy_requests_relationship_check', sql`${t.relationship} in ('parent','legal_guardian')`),
    check('proxy_requests_status_check', sql`${t.status} in ('pending','approved','denied','cancelled')`),
    check(
      'proxy_requests_decision_check',
      sql`(${t.status} = 'approved') = (${t.grantId} is not null and ${t.patientId} is not null)
        and (${t.status} <> 'denied' or ${t.decisionReason} is not null)
        and ((${t.status} in ('approved','denied')) = (${t.decidedBy} is not null and ${t.decidedAt} is not null))`,
    ),
  ],
);

/**
 * "Share my record" (issue 11 §2): a link a patient gives any clinician, with a passcode and an expiry of at most 30
 * days (the check allows 721 hours: an app's 30 × 24 h never meets a clock change), showing a read-only summary or a download; revocable; every open audited. Sent by email it is the ONC (e)(1)
 * transmit: the link goes to the address, the passcode travels apart. The token (in the link's fragment) and the
 * passcode are stored only as hashes; five wrong passcodes lock the link.
 */
export const shareLinks = pgTable(
  'share_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    /** Who it is for, in the patient's words ("Dr. Lee, dermatology"); shown on the patient's own list only. */
    label: text('label').notNull(),
    /** `summary` (a read-only page) or `download` (the record as a PDF). */
    scope: text('scope').notNull(),
    /** Set when the link was emailed (the transmit): the address, listed in the patient's activity log. */
    recipientEmail: text('recipient_email'),
    tokenHash: text('token_hash').notNull(),
    passcodeHash: text('passcode_hash').notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    openCount: integer('open_count').notNull().default(0),
    lastOpenedAt: timestamp('last_opened_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('share_links_token_key').on(t.tokenHash),
    index('share_links_patient_idx').on(t.patientId, t.createdAt),
    check('share_links_scope_check', sql`${t.scope} in ('summary','download')`),
    check('share_links_expiry_check', sql`${t.expiresAt} > ${t.createdAt} and ${t.expiresAt} <= ${t.createdAt} + interval '721 hours'`),
    check('share_links_attempts_check', sql`${t.failedAttempts} >= 0 and ${t.openCount} >= 0`),
  ],
);
