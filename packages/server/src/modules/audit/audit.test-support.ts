import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../db/client.ts';
import { randomUUID } from 'node:crypto';
import { genesisHash, hashAuditEvent, type AuditHashInput } from './audit.hash.ts';
import { sealAuditEvents, type SealOptions, type SealResult } from './audit.sealer.ts';

/**
 * Test helper: waits until every transaction that wrote events up to `uptoEventId` (default: all) lies below the
 * snapshot xmin. The xmin is cluster-wide, so a transaction in another test file's database can hold sealing back.
 */
export async function waitUntilSealable(db: Database, uptoEventId = Number.MAX_SAFE_INTEGER, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await queryRows<{ ok: boolean | null }>(
      db,
      sql`select coalesce((select max(txid) from audit_events where id <= ${uptoEventId}) < pg_snapshot_xmin(pg_current_snapshot()), true) as ok`,
    );
    if (row?.ok) return;
    if (Date.now() > deadline) throw new Error('audit events stayed below the snapshot xmin: a transaction is held open');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Test helper: seals once every event written so far can be sealed. */
export async function sealSettled(db: Database, options?: SealOptions): Promise<SealResult> {
  await waitUntilSealable(db);
  return sealAuditEvents(db, options);
}

/** Test helper: an event as an attacker would insert it by hand, with a correct content hash and the given time. */
export function forgedEvent(occurredAt: Date): AuditHashInput & { hash: string } {
  const event: AuditHashInput = {
    occurredAt,
    requestId: randomUUID(),
    actorUserId: null,
    onBehalfOfUserId: null,
    patientId: randomUUID(),
    action: 'patient.summary.read',
    objectType: null,
    objectId: null,
    outcome: 'success',
    severity: 'info',
    ipAddress: null,
    details: null,
  };
  return { ...event, hash: hashAuditEvent(genesisHash, event) };
}
