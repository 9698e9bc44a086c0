import type { Executor } from '../../db/client.ts';
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
  await tx
    .insert(auditEvents)
    .values(
      events.map((event) => ({ ...event, details: event.details ?? null, prevHash: null, hash: hashAuditEvent(genesisHash, event) })),
    );
}
