import { and, asc, between, eq, gt, gte, isNotNull, sql } from 'drizzle-orm';
import { queryRows, type Database, type Executor } from '../../db/client.ts';
import { auditBlocks, auditEvents, auditSeals } from '../../db/schema/index.ts';
import { genesisHash } from './audit.hash.ts';
import { hashAuditBlock, merkleLeaf, merkleRoot } from './audit.merkle.ts';
import { eventLeafHash } from './audit.repository.ts';
import { defaultSealLateMs } from './audit.sealer.ts';

/** The first thing found wrong: the event it concerns and/or the block, and why. */
export interface AuditProblem {
  eventId: number | null;
  blockSeq: number | null;
  reason: string;
}

/** The verifier's verdict over blocks, seals and events. */
export interface AuditVerdict {
  /** Nothing wrong and nothing unsealed for too long. */
  ok: boolean;
  blocks: number;
  sealedEvents: number;
  /** The first tampered, missing or misplaced event or block, in block order; null when the sealed trail is intact. */
  problem: AuditProblem | null;
  /** Events without a seal (most are simply waiting for the next sealer run). */
  unsealed: number;
  /** Events without a seal for longer than the threshold: the first one's id and how many. */
  longUnsealed: { count: number; firstEventId: number | null };
}

/** Options of a verification run. */
export interface VerifyOptions {
  /** An event unsealed this long after it occurred (or after later events were sealed) is reported; default 5 minutes. */
  unsealedAfterMs?: number;
  now?: Date;
  /** Blocks read per query. */
  pageSize?: number;
}

/** Default threshold of long-unsealed reporting. */
export const defaultUnsealedAfterMs = 5 * 60_000;

type BlockRow = typeof auditBlocks.$inferSelect;
type EventRow = typeof auditEvents.$inferSelect;

/** Checks one block against the previous block's hash and its sealed events; the first problem, or null. */
function checkBlock(
  block: BlockRow,
  prevHash: string,
  sealed: { eventId: number; event: EventRow | null }[],
  tailAt: Date | null,
): AuditProblem | null {
  const at = (reason: string, eventId: number | null = null): AuditProblem => ({ eventId, blockSeq: block.seq, reason });
  if (block.prevHash !== prevHash) return at(`block ${block.seq} does not link to block ${block.seq - 1} (one of them was changed)`);
  if (hashAuditBlock(block) !== block.hash) return at(`block ${block.seq} does not match its hash`);
  let reference = tailAt;
  for (const { eventId, event } of sealed) {
    if (!event) return at(`event sealed by block ${block.seq} is missing (deleted)`, eventId);
    if (eventLeafHash(event) !== event.hash) return at('content does not match its hash', eventId);
    if (eventId < block.firstEventId || eventId > block.lastEventId)
      return at(`sealed by block ${block.seq} but outside its range`, eventId);
    // The sealer's own rule (SealOptions.lateMs): a backdated event sealed anyway was sealed by someone else.
    if (reference && event.occurredAt.getTime() < reference.getTime() - defaultSealLateMs) {
      return at('sealed although it occurred long before events sealed earlier (backdated)', eventId);
    }
    if (!reference || event.occurredAt > reference) reference = event.occurredAt;
  }
  const first = sealed[0]?.eventId ?? null;
  const last = sealed[sealed.length - 1]?.eventId ?? null;
  if (sealed.length !== block.eventCount || first !== block.firstEventId || last !== block.lastEventId) {
    return at(`block ${block.seq} seals ${sealed.length} events, its header says ${block.eventCount} (seals removed or moved)`);
  }
  if (merkleRoot(sealed.map((s) => merkleLeaf(s.eventId, s.event!.hash))) !== block.merkleRoot) {
    return at(`the events sealed by block ${block.seq} do not reproduce its Merkle root`);
  }
  return null;
}

/** An event in the block's id range whose seal names a later block that cannot hold it: a seal moved elsewhere. */
async function movedSeal(db: Executor, block: BlockRow): Promise<number | null> {
  const [row] = await queryRows<{ event_id: string | number }>(
    db,
    sql`select s.event_id from audit_seals s left join audit_blocks b on b.seq = s.block_seq
        where s.event_id between ${block.firstEventId} and ${block.lastEventId} and s.block_seq <> ${block.seq}
          and (b.seq is null or s.event_id < b.first_event_id or s.event_id > b.last_event_id)
        order by s.event_id limit 1`,
  );
  return row ? Number(row.event_id) : null;
}

/** Walks the blocks in order: gaps, links, block hashes, each sealed event's hash and each Merkle root. */
async function verifyBlocks(
  db: Executor,
  pageSize: number,
): Promise<{ blocks: number; sealedEvents: number; problem: AuditProblem | null }> {
  let expected = 1;
  let prevHash = genesisHash;
  let sealedEvents = 0;
  let tailAt: Date | null = null; // occurred_at of the previous block's last event, as the sealer saw it
  for (;;) {
    const page = await db.select().from(auditBlocks).where(gte(auditBlocks.seq, expected)).orderBy(asc(auditBlocks.seq)).limit(pageSize);
    if (page.length === 0) break;
    for (let start = 0; start < page.length;) {
      // Read the seals of consecutive blocks together, about 10,000 events at a time.
      let end = start;
      let total = 0;
      while (end < page.length && (end === start || total + page[end]!.eventCount <= 10_000)) total += page[end++]!.eventCount;
      const rows = await db
        .select({ eventId: auditSeals.eventId, blockSeq: auditSeals.blockSeq, event: auditEvents })
        .from(auditSeals)
        .leftJoin(auditEvents, eq(auditEvents.id, auditSeals.eventId))
        .where(between(auditSeals.blockSeq, page[start]!.seq, page[end - 1]!.seq))
        .orderBy(asc(auditSeals.blockSeq), asc(auditSeals.eventId));
      for (const block of page.slice(start, end)) {
        if (block.seq !== expected) {
          const [orphan] = await db
            .select({ eventId: auditSeals.eventId })
            .from(auditSeals)
            .where(eq(auditSeals.blockSeq, expected))
            .limit(1);
          const reason = `block ${expected} is missing (blocks jump from ${expected - 1} to ${block.seq})`;
          return { blocks: expected - 1, sealedEvents, problem: { eventId: orphan?.eventId ?? null, blockSeq: expected, reason } };
        }
        const sealed = rows.filter((r) => r.blockSeq === block.seq);
        const problem = checkBlock(block, prevHash, sealed, tailAt);
        if (problem) {
          if (problem.eventId === null && problem.reason.includes('seals removed or moved')) problem.eventId = await movedSeal(db, block);
          return { blocks: expected - 1, sealedEvents, problem };
        }
        sealedEvents += sealed.length;
        tailAt = sealed[sealed.length - 1]?.event?.occurredAt ?? null;
        prevHash = block.hash;
        expected++;
      }
      start = end;
    }
  }
  // Seals naming a block past the last one: the newest block(s) were removed.
  const [orphan] = await db
    .select({ eventId: auditSeals.eventId, blockSeq: auditSeals.blockSeq })
    .from(auditSeals)
    .where(gte(auditSeals.blockSeq, expected))
    .orderBy(asc(auditSeals.eventId))
    .limit(1);
  if (orphan) {
    const problem = {
      eventId: orphan.eventId,
      blockSeq: orphan.blockSeq,
      reason: `sealed by block ${orphan.blockSeq}, which does not exist`,
    };
    return { blocks: expected - 1, sealedEvents, problem };
  }
  return { blocks: expected - 1, sealedEvents, problem: null };
}

/** The old prev_hash chain of events written before migration 0008: each must link to the one before it. */
async function verifyLegacyChain(db: Executor, pageSize: number): Promise<AuditProblem | null> {
  let prevHash = genesisHash;
  let afterId = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditEvents)
      .where(and(gt(auditEvents.id, afterId), isNotNull(auditEvents.prevHash)))
      .orderBy(asc(auditEvents.id))
      .limit(pageSize);
    for (const row of page) {
      if (row.prevHash !== prevHash)
        return { eventId: row.id, blockSeq: null, reason: 'link to the previous chained event does not match' };
      prevHash = row.hash;
      afterId = row.id;
    }
    if (page.length < pageSize) return null;
  }
}

/**
 * Verifies the audit trail (run it in one snapshot: verifyAuditConsistently). The first problem found in block order
 * is named; then unsealed events are checked: a changed one is a problem at once, and one unsealed for longer than
 * the threshold is reported as long-unsealed (a backdated insert, or a transaction that stayed open too long).
 */
export async function verifyAudit(db: Executor, options: VerifyOptions = {}): Promise<AuditVerdict> {
  const pageSize = options.pageSize ?? 500;
  const unsealedAfterMs = options.unsealedAfterMs ?? defaultUnsealedAfterMs;
  const cutoff = new Date((options.now ?? new Date()).getTime() - unsealedAfterMs);
  const walked = await verifyBlocks(db, pageSize);
  let problem = walked.problem;
  // Ids up to the last block sealed before the cutoff should have been sealed by now.
  const [settled] = await queryRows<{ id: string | number | null }>(
    db,
    sql`select max(last_event_id) as id from audit_blocks where sealed_at < ${cutoff}`,
  );
  const settledId = settled?.id == null ? 0 : Number(settled.id);
  let unsealed = 0;
  const longUnsealed: AuditVerdict['longUnsealed'] = { count: 0, firstEventId: null };
  for (let afterId = 0; ;) {
    const page = await db
      .select()
      .from(auditEvents)
      .where(
        and(gt(auditEvents.id, afterId), sql`not exists (select 1 from ${auditSeals} where ${auditSeals.eventId} = ${auditEvents.id})`),
      )
      .orderBy(asc(auditEvents.id))
      .limit(pageSize * 10);
    for (const event of page) {
      unsealed++;
      if (!problem && eventLeafHash(event) !== event.hash) {
        problem = { eventId: event.id, blockSeq: null, reason: 'content does not match its hash (not sealed)' };
      }
      if (event.occurredAt < cutoff || event.id <= settledId) {
        longUnsealed.count++;
        longUnsealed.firstEventId ??= event.id;
      }
      afterId = event.id;
    }
    if (page.length < pageSize * 10) break;
  }
  problem ??= await verifyLegacyChain(db, pageSize * 10);
  return {
    ok: !problem && longUnsealed.count === 0,
    blocks: walked.blocks,
    sealedEvents: walked.sealedEvents,
    problem,
    unsealed,
    longUnsealed,
  };
}

/** verifyAudit in one read-only repeatable-read snapshot, so a sealer running meanwhile cannot cause false alarms. */
export function verifyAuditConsistently(db: Database, options: VerifyOptions = {}): Promise<AuditVerdict> {
  return db.transaction((tx) => verifyAudit(tx, options), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

/** One line per finding, for the CLI and logs. */
export function describeVerdict(verdict: AuditVerdict, unsealedAfterMs = defaultUnsealedAfterMs): string[] {
  const lines: string[] = [];
  if (verdict.problem) {
    const { eventId, blockSeq, reason } = verdict.problem;
    const where = eventId !== null ? `event ${eventId}${blockSeq !== null ? ` (block ${blockSeq})` : ''}` : `block ${blockSeq}`;
    lines.push(`Audit trail BROKEN at ${where}: ${reason}. ${verdict.blocks} blocks verified before it.`);
  }
  if (verdict.longUnsealed.count > 0) {
    lines.push(
      `Audit trail has ${verdict.longUnsealed.count} events unsealed for more than ${Math.round(unsealedAfterMs / 60_000)} min, ` +
        `first event ${verdict.longUnsealed.firstEventId}: inserted late by hand, or written by a transaction that stayed open too long.`,
    );
  }
  if (lines.length === 0) {
    lines.push(
      `Audit trail intact: ${verdict.blocks} blocks, ${verdict.sealedEvents} sealed events verified; ${verdict.unsealed} awaiting the sealer.`,
    );
  }
  return lines;
}
