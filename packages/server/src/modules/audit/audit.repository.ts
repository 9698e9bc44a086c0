import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { auditEvents } from '../../db/schema/index.ts';
import { genesisHash, hashAuditEvent, type AuditHashInput } from './audit.hash.ts';

/** Key of the transaction-scoped advisory lock that orders the chain: one writer links at a time. */
const chainLockKey = 0x504f5254; // 'PORT'

/** Appends events to the chain inside the caller's transaction; they commit or vanish with the action. */
export async function appendAuditEvents(tx: Executor, events: AuditHashInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${chainLockKey})`);
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  let prevHash = last?.hash ?? genesisHash;
  const rows = events.map((event) => {
    const hash = hashAuditEvent(prevHash, event);
    const row = { ...event, details: event.details ?? null, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await tx.insert(auditEvents).values(rows);
}

/** Reads one page of the chain in order, for the verifier. */
export function readAuditPage(db: Executor, afterId: number, limit: number) {
  return db.select().from(auditEvents).where(gt(auditEvents.id, afterId)).orderBy(asc(auditEvents.id)).limit(limit);
}
