import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained audit trail (HIPAA 164.312(b), ONC 170.315(d)(2)).
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
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_events_patient_idx').on(t.patientId, t.occurredAt), index('audit_events_actor_idx').on(t.actorUserId, t.occurredAt)],
);
