import { desc, eq, sql } from 'drizzle-orm';
import { queryRows, type Database, type Executor } from '../../db/client.ts';
import { auditBlocks, auditEvents, auditSeals } from '../../db/schema/index.ts';
import { genesisHash, type AuditHashInput } from './audit.hash.ts';
import { hashAuditBlock, merkleLeaf, merkleRoot } from './audit.merkle.ts';
import { eventLeafHash } from './audit.repository.ts';

/** Key of the advisory lock that keeps sealing to one process at a time (never taken on the request path). */
const sealerLockKey = 0x41554454; // 'AUDT'

/** Tuning of one sealing run; the defaults suit production. */
export interface SealOptions {
  /** Most events one block seals (a larger backlog takes several runs). */
  batchSize?: number;
  /**
   * How long, measured back from the newest block, the sealer still looks below already-sealed ids for events whose
   * transaction was open when later ones were sealed. An audited transaction open longer than this is not sealed and
   * `audit:verify` reports its events as long-unsealed.
   */
  lookbackMs?: number;
  /**
   * An event whose occurred_at is this much older than an event already sealed before it (lower id, or the previous
   * block's last) is left unsealed: it was backdated, or held in a transaction for that long. Verify reports it.
   */
  lateMs?: number;
  /** The sealing time written into the block (tests pin it). */
  now?: () => Date;
}

/** An event the sealer refused to seal, and why; `audit:verify` names it too. */
export interface SkippedEvent {
  eventId: number;
  reason: string;
}

/** What one run did: the block it wrote (if any), how many events it sealed, what it left out. */
export interface SealResult {
  /** Another sealer held the lock; this run did nothing. */
  busy: boolean;
  blockSeq: number | null;
  sealed: number;
  /** Unsealed committed events the run looked at (a full batch means more may be waiting). */
  considered: number;
  skipped: SkippedEvent[];
}

/** Events hashed between two yields to the event loop (~1 ms of work). */
const hashesPerTurn = 200;

/** Default most events per block. */
export const defaultSealBatchSize = 5000;
/** Default look-back below sealed ids for events of transactions that were still open (see SealOptions.lookbackMs). */
export const defaultSealLookbackMs = 60_000;
/** Default lateness beyond which an event is left for verify to report (see SealOptions.lateMs). */
export const defaultSealLateMs = 5 * 60_000;

/**
 * Ids at or below this are settled: the newest block sealed more than `lookbackMs` before the newest one, and the ones
 * just before it, sealed everything up to it that had committed. Only ids above it are candidates, which keeps the
 * unsealed-candidate query to the recent tail of a large table.
 */
async function settledEventId(tx: Executor, newest: { sealedAt: Date }, lookbackMs: number): Promise<number> {
  const cut = new Date(newest.sealedAt.getTime() - lookbackMs);
  const [row] = await queryRows<{ settled: string | number | null }>(
    tx,
    sql`with cut as (select seq from audit_blocks where sealed_at < ${cut} order by seq desc limit 1)
        select max(b.last_event_id) as settled from audit_blocks b, cut where b.seq between cut.seq - 100 and cut.seq`,
  );
  return row?.settled == null ? 0 : Number(row.settled);
}

/**
 * Seals committed, unsealed events into the next block, in one transaction: events of transactions that have ended
 * (txid below the snapshot's xmin, which is cluster-wide: a long transaction in any database delays sealing), by id,
 * up to a batch. Each event's hash is recomputed from its row first; a
 * mismatch or a backdated event is skipped (and reported), never sealed. Returns at once if another sealer is running.
 */
export async function sealAuditEvents(db: Database, options: SealOptions = {}): Promise<SealResult> {
  const batchSize = options.batchSize ?? defaultSealBatchSize;
  const lookbackMs = options.lookbackMs ?? defaultSealLookbackMs;
  const lateMs = options.lateMs ?? defaultSealLateMs;
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${sealerLockKey}) as locked`);
    if (!lock?.locked) return { busy: true, blockSeq: null, sealed: 0, considered: 0, skipped: [] };
    const [last] = await tx.select().from(auditBlocks).orderBy(desc(auditBlocks.seq)).limit(1);
    const settled = last ? await settledEventId(tx, last, lookbackMs) : 0;
    // Hand-written SQL and a yield every few hundred hashes: the sealer shares the event loop with requests, and a
    // full batch read through the query builder and hashed in one go stalled them (p99, bench).
    const candidates = (
      await queryRows<Omit<AuditHashInput, 'occurredAt'> & { id: string; occurredAtMs: number; prevHash: string | null; hash: string }>(
        tx,
        sql`select id, (extract(epoch from occurred_at) * 1000)::float8 as "occurredAtMs", request_id as "requestId", actor_user_id as "actorUserId",
              on_behalf_of_user_id as "onBehalfOfUserId", patient_id as "patientId", action, object_type as "objectType",
              object_id as "objectId", outcome, severity, ip_address as "ipAddress", details, prev_hash as "prevHash", hash
            from audit_events e
            where e.id > ${settled} and not exists (select 1 from audit_seals s where s.event_id = e.id)
              and e.txid < pg_snapshot_xmin(pg_current_snapshot())
            order by e.id limit ${batchSize}`,
      )
    ).map(({ occurredAtMs, ...row }) => ({ ...row, id: Number(row.id), occurredAt: new Date(occurredAtMs) }));
    let reference: Date | null = null;
    if (last) {
      const [tail] = await tx.select({ at: auditEvents.occurredAt }).from(auditEvents).where(eq(auditEvents.id, last.lastEventId));
      reference = tail?.at ?? null;
    }
    const leaves: { id: number; hash: string }[] = [];
    const skipped: SkippedEvent[] = [];
    for (const [index, event] of candidates.entries()) {
      if (index > 0 && index % hashesPerTurn === 0) await new Promise((resolve) => setImmediate(resolve));
      if (eventLeafHash(event) !== event.hash) {
        skipped.push({ eventId: event.id, reason: 'content does not match its hash' });
      } else if (reference && event.occurredAt.getTime() < reference.getTime() - lateMs) {
        skipped.push({ eventId: event.id, reason: `occurred more than ${Math.round(lateMs / 1000)} s before events already sealed` });
      } else {
        if (!reference || event.occurredAt > reference) reference = event.occurredAt;
        leaves.push({ id: event.id, hash: event.hash });
      }
    }
    const base = { busy: false, considered: candidates.length, skipped };
    if (leaves.length === 0) return { ...base, blockSeq: null, sealed: 0 };
    const header = {
      seq: (last?.seq ?? 0) + 1,
      sealedAt: options.now?.() ?? new Date(),
      eventCount: leaves.length,
      firstEventId: leaves[0]!.id,
      lastEventId: leaves[leaves.length - 1]!.id,
      merkleRoot: merkleRoot(leaves.map((leaf) => merkleLeaf(leaf.id, leaf.hash))),
      prevHash: last?.hash ?? genesisHash,
    };
    await tx.insert(auditBlocks).values({ ...header, hash: hashAuditBlock(header) });
    await queryRows(
      tx,
      sql`insert into ${auditSeals} (event_id, block_seq) select unnest(${sql.param(leaves.map((leaf) => leaf.id))}::bigint[]), ${header.seq}`,
    );
    return { ...base, blockSeq: header.seq, sealed: leaves.length };
  });
}

/** Where the background sealer reports (a pino or Fastify logger fits). */
export interface AuditSealerLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Options of the background sealer. */
export interface AuditSealerOptions extends SealOptions {
  log: AuditSealerLog;
  /** Pause between runs (a run that filled a whole batch is followed at once by the next). */
  intervalMs?: number;
}

/**
 * Seals in the background every ~second (timer unref'd, so it never keeps the process alive). Errors are logged and
 * retried on the next tick, never thrown. Returns a stop function that waits for a run in progress.
 */
export function startAuditSealer(db: Database, options: AuditSealerOptions): () => Promise<void> {
  const { log, intervalMs = 1000, ...sealOptions } = options;
  const batchSize = sealOptions.batchSize ?? defaultSealBatchSize;
  const reported = new Set<number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const runOnce = async () => {
    for (;;) {
      const result = await sealAuditEvents(db, sealOptions);
      for (const skip of result.skipped) {
        if (reported.has(skip.eventId)) continue;
        if (reported.size > 10_000) reported.clear();
        reported.add(skip.eventId);
        log.error({ eventId: skip.eventId, reason: skip.reason }, 'audit event left unsealed; audit:verify will report it');
      }
      if (stopped || result.busy || result.considered < batchSize) return;
    }
  };
  const tick = () => {
    running = runOnce()
      .catch((error: unknown) => log.warn({ err: { message: String(error) } }, 'sealing audit events failed; will retry'))
      .finally(() => {
        if (stopped) return;
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      });
  };
  tick();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
