import { sql } from 'drizzle-orm';
import { bigint, bigserial, customType, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** PostgreSQL's 64-bit transaction id, read as a decimal string. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * Append-only audit trail (HIPAA 164.312(b), ONC 170.315(d)(2)). Each event carries the hash of its own content and is
 * inserted without any lock; a background sealer covers committed events with hash-chained blocks (audit_blocks).
 * No foreign keys: an event outlives whatever it names. Triggers in the migrations refuse UPDATE, DELETE and TRUNCATE.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    requestId: text('request_id'),
    actorUserId: uuid('actor_user_id'),
    onBehalfOfUserId: uuid('on_behalf_of_user_id'),
    patientId: uuid('patient_id'),
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    outcome: text('outcome').notNull(),
    severity: text('severity').notNull(),
    ipAddress: text('ip_address'),
    details: jsonb('details'),
    /** The chain link of events written before sealing existed (migration 0008); null for events since. */
    prevHash: text('prev_hash'),
    /** SHA-256 of the event's canonical content (and prev_hash where set): the leaf of its block's Merkle tree. */
    hash: text('hash').notNull(),
    /** The writing transaction, so the sealer takes only events whose transaction has ended (snapshot xmin). */
    txid: xid8('txid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
  },
  (t) => [index('audit_events_patient_idx').on(t.patientId, t.occurredAt), index('audit_events_actor_idx').on(t.actorUserId, t.occurredAt)],
);

/**
 * A sealed block: the Merkle root of a set of committed events, chained to the previous block's hash. Written only by
 * the sealer, append-only like the events (triggers in migration 0008).
 */
export const auditBlocks = pgTable('audit_blocks', {
  /** 1, 2, 3...: the sealer numbers blocks without gaps, so a removed block shows as a gap. */
  seq: integer('seq').primaryKey(),
  sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull().defaultNow(),
  eventCount: integer('event_count').notNull(),
  firstEventId: bigint('first_event_id', { mode: 'number' }).notNull(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
  merkleRoot: text('merkle_root').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** Which block sealed an event, and where it sits among the block's leaves (ordered by event id). Append-only. */
export const auditSeals = pgTable(
  'audit_seals',
  {
    eventId: bigint('event_id', { mode: 'number' }).primaryKey(),
    blockSeq: integer('block_seq').notNull(),
  },
  (t) => [index('audit_seals_block_idx').on(t.blockSeq)],
);
