import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { departments, organizations } from './organization.ts';
import { locales } from '@portico/shared/i18n';
import { bytea } from './branding.ts';

/**
 * A person who signs in. What they are (patient, staff, proxy, outside provider, support) is not a column: it is their
 * memberships, their own patient record (`patients.user_id`) and their grants (DESIGN.md "Access").
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id').references(() => organizations.id),
    username: text('username').notNull(),
    email: text('email').notNull(),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    /** Professional title shown next to the name (MD, RN...). */
    credentials: text('credentials'),
    /**
     * The National Provider Identifier of a physician outside the health system (issue 12): one account per NPI. An
     * NPI holder may sponsor practice staff; everyone without one needs a sponsor.
     */
    npi: text('npi'),
    totpSecret: text('totp_secret'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** Last TOTP time step accepted, so a code works once (RFC 6238 section 5.2). */
    totpLastStep: integer('totp_last_step'),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    /** The person's language for pages, emails, texts and documents (issue 10). */
    locale: text('locale', { enum: locales }).notNull().default('en'),
    /** Text size as a percentage of the base size, applied on every page (issue 10). */
    textSize: integer('text_size').notNull().default(100),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('users_locale_check', sql`${t.locale} in ('en', 'es')`),
    check('users_text_size_check', sql`${t.textSize} in (100, 125, 150, 175, 200)`),
    uniqueIndex('users_username_lower_key').on(sql`lower(${t.username})`),
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    uniqueIndex('users_npi_key').on(t.npi),
    check('users_npi_check', sql`${t.npi} ~ '^[12][0-9]{9}$'`),
  ],
);

/** Which departments a staff member works in. */
export const staffDepartments = pgTable(
  'staff_departments',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.departmentId] })],
);

/** A signed-in browser. Only the SHA-256 of the 256-bit token is stored (OWASP ASVS 3.2). */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** 'mfa_pending' sees nothing but the MFA routes; 'active' is fully signed in. */
    state: text('state').notNull(),
    idleTimeoutSeconds: integer('idle_timeout_seconds').notNull(),
    /** Wrong second-factor guesses on this pending session; the challenge dies at 5 (SECURITY.md). */
    mfaFailures: integer('mfa_failures').notNull().default(0),
    /** When a staff member who must enrol proved their email on this pending session; enrolment needs it. */
    enrollmentVerifiedAt: timestamp('enrollment_verified_at', { withTimezone: true }),
    /**
     * The WebAuthn challenge this session is waiting for (base64url), its purpose and expiry (5 minutes). A passkey
     * registration or sign-in answers it once: verification clears it, whatever the outcome.
     */
    webauthnChallenge: text('webauthn_challenge'),
    webauthnChallengePurpose: text('webauthn_challenge_purpose'),
    webauthnChallengeExpiresAt: timestamp('webauthn_challenge_expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    userAgent: text('user_agent'),
    ipAddress: text('ip_address'),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId),
    check('sessions_state_check', sql`${t.state} in ('mfa_pending','active')`),
    check('sessions_webauthn_purpose_check', sql`${t.webauthnChallengePurpose} in ('register','authenticate')`),
  ],
);

/** Single-use secrets sent by email or shown once: email verification, password reset, email MFA codes, sign-up. */
export const oneTimeTokens = pgTable(
  'one_time_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    purpose: text('purpose').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** Session an email MFA code belongs to; codes for one sign-in do not work for another. */
    sessionId: uuid('session_id'),
    /** The address an email-change link confirms. */
    newEmail: text('new_email'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    wrongGuesses: integer('wrong_guesses').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('one_time_tokens_hash_key').on(t.purpose, t.tokenHash),
    index('one_time_tokens_user_idx').on(t.userId, t.purpose),
    check(
      'one_time_tokens_purpose_check',
      sql`${t.purpose} in ('verify_email','reset_password','email_mfa','change_email','provider_activation')`,
    ),
  ],
);

/** MFA recovery codes, hashed; each works once. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** Failed sign-in and MFA attempts, counted per account (or per unknown identifier) per hour. */
export const authFailures = pgTable(
  'auth_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** users.id when the identifier matched an account, else a hash of the identifier. */
    subjectKey: text('subject_key').notNull(),
    kind: text('kind').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('auth_failures_subject_idx').on(t.subjectKey, t.occurredAt)],
);

/** A passkey (WebAuthn credential) a person registered as a second factor. Only the public key is stored. */
export const webauthnCredentials = pgTable(
  'webauthn_credentials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** The authenticator's credential id, base64url. */
    credentialId: text('credential_id').notNull(),
    /** COSE public key as the authenticator gave it. */
    publicKey: bytea('public_key').notNull(),
    /** Signature counter last seen; an assertion whose counter does not grow (when non-zero) is refused. */
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: text('transports')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The name the person gave it ("Work laptop"). */
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('webauthn_credentials_credential_id_key').on(t.credentialId), index('webauthn_credentials_user_idx').on(t.userId)],
);
