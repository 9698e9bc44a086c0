import { sql } from 'drizzle-orm';
import { queryPreparedRows, type Executor } from '../../db/client.ts';
import { auditEvents } from '../../db/schema/index.ts';
import { genesisHash, hashAuditEvent, type AuditHashInput } from './audit.hash.ts';

/** The content hash of an event as stored: chained events (before 0008) hash their link, later ones the genesis hash. */
export function eventLeafHash(event: AuditHashInput & { prevHash: string | null }): string {
  return hashAuditEvent(event.prevHash ?? genesisHash, event);
}

/**
 * Inserts events in the caller's transaction; they commit or vanish with the action. A plain insert: no lock and no
 * read of earlier events, so audited transactions never wait for each other. The sealer covers them once committed.
 */
export async function appendAuditEvents(tx: Executor, events: AuditHashInput[]): Promise<void> {
  if (events.length === 0) return;
  // One JSON parameter for any number of events, in hand-written SQL: this runs on every audited request, and the
  // query builder's per-column work cost more than the insert itself (bench, issue 9).
  const rows = events.map((e) => ({
    occurred_at: e.occurredAt.toISOString(),
    request_id: e.requestId,
    actor_user_id: e.actorUserId,
    on_behalf_of_user_id: e.onBehalfOfUserId,
    patient_id: e.patientId,
    action: e.action,
    object_type: e.objectType,
    object_id: e.objectId,
    outcome: e.outcome,
    severity: e.severity,
    ip_address: e.ipAddress,
    details: e.details ?? null,
    hash: hashAuditEvent(genesisHash, e),
  }));
  await queryPreparedRows(
    tx,
    sql`
    insert into ${auditEvents} (occurred_at, request_id, actor_user_id, on_behalf_of_user_id, patient_id, action, object_type,
      object_id, outcome, severity, ip_address, details, hash)
    select occurred_at, request_id, actor_user_id, on_behalf_of_user_id, patient_id, action, object_type, object_id, outcome,
      severity, ip_address, details, hash
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(occurred_at timestamptz, request_id text, actor_user_id uuid,
      on_behalf_of_user_id uuid, patient_id uuid, action text, object_type text, object_id text, outcome text, severity text,
      ip_address text, details jsonb, hash text)`,
  );
}
