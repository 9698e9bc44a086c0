import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Database, type DatabaseHandle } from '../../db/client.ts';
import { auditBlocks, auditEvents, auditSeals } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { genesisHash, hashAuditEvent } from './audit.hash.ts';
import { hashAuditBlock, merkleLeaf, merkleNode, merkleRoot } from './audit.merkle.ts';
import { sealAuditEvents, startAuditSealer, type AuditSealerLog } from './audit.sealer.ts';
import { recordAudit } from './audit.service.ts';
import { forgedEvent, sealSettled, waitUntilSealable } from './audit.test-support.ts';
import { verifyAudit } from './audit.verify.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDatabase();
});
afterAll(() => h.close());

/** Commits one audited transaction and answers its event id. */
async function audited(db: Database, action = 'test.event'): Promise<number> {
  const requestId = randomUUID();
  await db.transaction((tx) => recordAudit(tx, { requestId, ipAddress: null, actorUserId: null }, { action, outcome: 'success' }));
  const [row] = await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.requestId, requestId));
  return row!.id;
}

const sealOf = async (db: Database, eventId: number) =>
  (await db.select().from(auditSeals).where(eq(auditSeals.eventId, eventId)))[0]?.blockSeq ?? null;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Merkle tree', () => {
  const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest('hex');
  const leaves = [1, 2, 3, 4, 5].map((i) => merkleLeaf(i, String(i).repeat(64)));

  it('hashes a leaf as 0x00 || "id:hash" and a node as 0x01 || left || right', () => {
    expect(merkleLeaf(7, 'ab'.repeat(32))).toBe(sha(Buffer.from([0]), Buffer.from(`7:${'ab'.repeat(32)}`)));
    const [a, b] = leaves as [string, string];
    expect(merkleNode(a, b)).toBe(sha(Buffer.from([1]), Buffer.from(a, 'hex'), Buffer.from(b, 'hex')));
  });

  it('pairs left to right and carries an odd node up unchanged', () => {
    const [a, b, c, d, e] = leaves as [string, string, string, string, string];
    expect(merkleRoot([a])).toBe(a);
    expect(merkleRoot([a, b])).toBe(merkleNode(a, b));
    expect(merkleRoot([a, b, c])).toBe(merkleNode(merkleNode(a, b), c));
    expect(merkleRoot([a, b, c, d, e])).toBe(merkleNode(merkleNode(merkleNode(a, b), merkleNode(c, d)), e));
    expect(merkleRoot([a, b, c, c])).not.toBe(merkleRoot([a, b, c]));
    expect(() => merkleRoot([])).toThrow();
  });

  it('changes with any leaf, their order, or the event id a leaf names', () => {
    const root = merkleRoot(leaves);
    expect(merkleRoot([leaves[1]!, leaves[0]!, ...leaves.slice(2)])).not.toBe(root);
    expect(merkleRoot([...leaves.slice(0, 4), merkleLeaf(6, '5'.repeat(64))])).not.toBe(root);
    expect(merkleRoot(leaves.slice(0, 4))).not.toBe(root);
    // A leaf is not an inner node: a two-leaf root cannot pass as a leaf of a smaller tree.
    expect(merkleLeaf(1, merkleNode(leaves[0]!, leaves[1]!))).not.toBe(merkleNode(leaves[0]!, leaves[1]!));
  });
});

describe('sealAuditEvents', () => {
  it('seals committed events in a block whose root and hash recompute from the rows', async () => {
    const ids = [await audited(h.db), await audited(h.db), await audited(h.db)];
    const result = await sealSettled(h.db, { now: () => new Date('2026-05-01T10:00:00.123Z') });
    expect(result).toMatchObject({ busy: false, sealed: expect.any(Number), skipped: [] });
    const [block] = await h.db.select().from(auditBlocks).where(eq(auditBlocks.seq, result.blockSeq!));
    const rows = await h.db
      .select({ event: auditEvents })
      .from(auditSeals)
      .innerJoin(auditEvents, eq(auditEvents.id, auditSeals.eventId))
      .where(eq(auditSeals.blockSeq, block!.seq))
      .orderBy(asc(auditEvents.id));
    expect(rows.map((r) => r.event.id)).toEqual(expect.arrayContaining(ids));
    expect(block).toMatchObject({ eventCount: rows.length, firstEventId: rows[0]!.event.id, lastEventId: ids[2] });
    expect(block!.sealedAt.toISOString()).toBe('2026-05-01T10:00:00.123Z');
    for (const { event } of rows) expect(hashAuditEvent(genesisHash, event)).toBe(event.hash);
    expect(merkleRoot(rows.map(({ event }) => merkleLeaf(event.id, event.hash)))).toBe(block!.merkleRoot);
    expect(hashAuditBlock(block!)).toBe(block!.hash);
    expect(await sealAuditEvents(h.db)).toMatchObject({ blockSeq: null, sealed: 0 });
  });

  it('leaves events of an open transaction, and later ones, for a run after it ends', async () => {
    const before = await audited(h.db);
    const opened = deferred();
    const release = deferred();
    const requestId = randomUUID();
    const open = h.db.transaction(async (tx) => {
      await recordAudit(tx, { requestId, ipAddress: null, actorUserId: null }, { action: 'test.open', outcome: 'success' });
      opened.resolve();
      await release.promise;
    });
    await opened.promise;
    let after: number;
    let first: Awaited<ReturnType<typeof sealAuditEvents>>;
    try {
      after = await audited(h.db);
      await waitUntilSealable(h.db, before);
      first = await sealAuditEvents(h.db);
      expect(await sealOf(h.db, before)).toBe(first.blockSeq);
      expect(await sealOf(h.db, after)).toBeNull(); // committed, but its transaction started after the open one's xid
    } finally {
      release.resolve();
      await open;
    }
    const [held] = await h.db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId));
    expect(held!.id).toBeLessThan(after);
    const second = await sealSettled(h.db);
    expect(second.blockSeq).toBe(first.blockSeq! + 1);
    expect(await sealOf(h.db, held!.id)).toBe(second.blockSeq);
    expect(await sealOf(h.db, after)).toBe(second.blockSeq);
    expect(await verifyAudit(h.db)).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('seals at most a batch per block and the rest in the next ones', async () => {
    for (let i = 0; i < 5; i++) await audited(h.db);
    const a = await sealSettled(h.db, { batchSize: 2 });
    const b = await sealAuditEvents(h.db, { batchSize: 2 });
    const c = await sealAuditEvents(h.db, { batchSize: 2 });
    expect([a.sealed, b.sealed, c.sealed]).toEqual([2, 2, 1]);
    expect([b.blockSeq! - a.blockSeq!, c.blockSeq! - b.blockSeq!]).toEqual([1, 1]);
  });

  it('produces gap-free blocks and seals no event twice when several sealers run at once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await audited(h.db));
    await waitUntilSealable(h.db);
    const results = await Promise.all(Array.from({ length: 20 }, () => sealAuditEvents(h.db, { batchSize: 3 })));
    expect(results.some((r) => r.busy)).toBe(true);
    while ((await sealAuditEvents(h.db, { batchSize: 3 })).sealed > 0);
    const blocks = await h.db.select({ seq: auditBlocks.seq }).from(auditBlocks).orderBy(asc(auditBlocks.seq));
    expect(blocks.map((b) => b.seq)).toEqual(blocks.map((_, i) => i + 1));
    const seals = await h.db.select().from(auditSeals).where(inArray(auditSeals.eventId, ids));
    expect(new Set(seals.map((s) => s.eventId)).size).toBe(30);
    const [dupes] = await queryRows<{ n: string }>(h.db, sql`select count(*) - count(distinct event_id) as n from audit_seals`);
    expect(Number(dupes!.n)).toBe(0);
    expect(await verifyAudit(h.db)).toMatchObject({ ok: true, problem: null, unsealed: 0 });
  });

  it('skips an event that was changed before it was sealed, and verify names it', async () => {
    const db = await createTestDatabase();
    try {
      const good = await audited(db.db);
      const bad = await audited(db.db);
      await db.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`update audit_events set outcome = 'failure' where id = ${bad}`);
      });
      const result = await sealSettled(db.db);
      expect(result.skipped).toEqual([{ eventId: bad, reason: 'content does not match its hash' }]);
      expect(await sealOf(db.db, good)).toBe(1);
      expect(await sealOf(db.db, bad)).toBeNull();
      expect(await verifyAudit(db.db)).toMatchObject({ ok: false, problem: { eventId: bad, blockSeq: null } });
    } finally {
      await db.close();
    }
  });

  it('does not seal an event inserted by hand with an old occurred_at, which verify reports as long-unsealed', async () => {
    const db = await createTestDatabase();
    try {
      await audited(db.db);
      await sealSettled(db.db);
      const [forged] = await db.db
        .insert(auditEvents)
        .values(forgedEvent(new Date(Date.now() - 3_600_000)))
        .returning();
      const later = await audited(db.db);
      const result = await sealSettled(db.db);
      expect(result.skipped).toEqual([{ eventId: forged!.id, reason: expect.stringContaining('before events already sealed') }]);
      expect(await sealOf(db.db, later)).toBe(2);
      expect(await verifyAudit(db.db)).toMatchObject({ ok: false, problem: null, longUnsealed: { count: 1, firstEventId: forged!.id } });
    } finally {
      await db.close();
    }
  });
});

describe('startAuditSealer', () => {
  it('seals new events in the background within seconds, and stop waits for the run in progress', async () => {
    const warn = vi.fn();
    const log: AuditSealerLog = { info: vi.fn(), warn, error: vi.fn() };
    const stop = startAuditSealer(h.db, { log, intervalMs: 50 });
    try {
      const id = await audited(h.db);
      await vi.waitFor(async () => expect(await sealOf(h.db, id)).not.toBeNull(), { timeout: 20_000, interval: 50 });
    } finally {
      await stop();
    }
    const id = await audited(h.db);
    await new Promise((r) => setTimeout(r, 200));
    expect(await sealOf(h.db, id)).toBeNull(); // stopped: no more runs
    expect(warn).not.toHaveBeenCalled();
  });

  it('logs a failing run and keeps going instead of throwing', async () => {
    const broken = await createTestDatabase();
    await broken.close(); // every query now fails
    const warn = vi.fn();
    const log: AuditSealerLog = { info: vi.fn(), warn, error: vi.fn() };
    const stop = startAuditSealer(broken.db, { log, intervalMs: 20 });
    await vi.waitFor(() => expect(warn.mock.calls.length).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    await stop();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Object) }), expect.stringContaining('will retry'));
  });
});
