import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { type DatabaseHandle, type Executor, type Transaction } from '../../db/client.ts';
import { auditBlocks, auditEvents, auditSeals } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { genesisHash, hashAuditEvent } from './audit.hash.ts';
import { hashAuditBlock } from './audit.merkle.ts';
import { forgedEvent, sealSettled } from './audit.test-support.ts';
import { recordAudit } from './audit.service.ts';
import { describeVerdict, verifyAudit, verifyAuditConsistently } from './audit.verify.ts';

// Tampering happens as an attacker with owner rights would do it (triggers bypassed with session_replication_role =
// replica), inside a transaction that is rolled back after verifying, so every test starts from the same intact trail.
let h: DatabaseHandle;
const ids: number[] = [];
beforeAll(async () => {
  h = await createTestDatabase();
  for (let block = 0; block < 3; block++) {
    for (let i = 0; i < 4; i++) ids.push(await audited(h.db, `test.b${block}.e${i}`));
    await sealSettled(h.db);
  }
});
afterAll(() => h.close());

async function audited(db: Executor, action: string): Promise<number> {
  const requestId = randomUUID();
  await db.transaction((tx) =>
    recordAudit(tx, { requestId, ipAddress: '198.51.100.4', actorUserId: null }, { action, outcome: 'success' }),
  );
  const [row] = await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.requestId, requestId));
  return row!.id;
}

/** Runs `attack` with triggers off, then `check`, in one transaction that is always rolled back. */
async function tampered(attack: (tx: Transaction) => Promise<unknown>, check: (tx: Transaction) => Promise<void>): Promise<void> {
  const outcome: { failure?: Error } = {};
  await expect(
    h.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await attack(tx);
      await check(tx).catch((error: unknown) => (outcome.failure = error instanceof Error ? error : new Error(String(error))));
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  if (outcome.failure) throw outcome.failure;
}

/** Runs SQL statements in order. */
const run =
  (...statements: SQL[]) =>
  async (tx: Transaction) => {
    for (const statement of statements) await tx.execute(statement);
  };

describe('verifyAudit', () => {
  it('finds an intact trail of 3 blocks over 12 events', async () => {
    expect(await verifyAuditConsistently(h.db)).toEqual({
      ok: true,
      blocks: 3,
      sealedEvents: 12,
      problem: null,
      unsealed: 0,
      longUnsealed: { count: 0, firstEventId: null },
    });
  });

  it('names the first changed event, even when later ones are changed too', async () => {
    await tampered(
      run(
        sql`update audit_events set patient_id = ${randomUUID()} where id = ${ids[9]!}`,
        sql`update audit_events set details = '{"x":1}' where id = ${ids[5]!}`,
      ),
      async (tx) =>
        expect(await verifyAudit(tx)).toMatchObject({
          ok: false,
          blocks: 1,
          problem: { eventId: ids[5], blockSeq: 2, reason: 'content does not match its hash' },
        }),
    );
  });

  it('names the block of an event changed together with its stored hash (the Merkle root no longer matches)', async () => {
    const [row] = await h.db.select().from(auditEvents).where(eq(auditEvents.id, ids[6]!));
    const hash = hashAuditEvent(genesisHash, { ...row!, outcome: 'denied' });
    await tampered(run(sql`update audit_events set outcome = 'denied', hash = ${hash} where id = ${ids[6]!}`), async (tx) =>
      expect(await verifyAudit(tx)).toMatchObject({
        problem: { eventId: null, blockSeq: 2, reason: expect.stringContaining('Merkle root') },
      }),
    );
  });

  it('names a deleted sealed event', async () => {
    await tampered(run(sql`delete from audit_events where id = ${ids[2]!}`), async (tx) =>
      expect(await verifyAudit(tx)).toMatchObject({
        problem: { eventId: ids[2], blockSeq: 1, reason: expect.stringContaining('deleted') },
      }),
    );
  });

  it('names the block of an event deleted together with its seal', async () => {
    await tampered(
      run(sql`delete from audit_events where id = ${ids[6]!}`, sql`delete from audit_seals where event_id = ${ids[6]!}`),
      async (tx) =>
        expect(await verifyAudit(tx)).toMatchObject({ problem: { blockSeq: 2, reason: expect.stringContaining('seals 3 events') } }),
    );
  });

  it('names an event whose seal was moved to another block', async () => {
    await tampered(run(sql`update audit_seals set block_seq = 3 where event_id = ${ids[5]!}`), async (tx) =>
      expect(await verifyAudit(tx)).toMatchObject({ problem: { eventId: ids[5], blockSeq: 2 } }),
    );
  });

  it('reports an event inserted by hand with an old timestamp as long-unsealed', async () => {
    let forgedId = 0;
    await tampered(
      async (tx) => {
        const [forged] = await tx
          .insert(auditEvents)
          .values(forgedEvent(new Date(Date.now() - 86_400_000)))
          .returning();
        forgedId = forged!.id;
      },
      async (tx) =>
        expect(await verifyAudit(tx)).toMatchObject({
          ok: false,
          problem: null,
          unsealed: 1,
          longUnsealed: { count: 1, firstEventId: forgedId },
        }),
    );
  });

  it('names a backdated event that someone with the app role sealed by hand', async () => {
    const own = await createTestDatabase();
    try {
      await audited(own.db, 'test.before');
      await sealSettled(own.db);
      const [forged] = await own.db
        .insert(auditEvents)
        .values(forgedEvent(new Date(Date.now() - 86_400_000)))
        .returning();
      expect(await sealSettled(own.db, { lateMs: Number.POSITIVE_INFINITY })).toMatchObject({ blockSeq: 2, sealed: 1 });
      expect(await verifyAudit(own.db)).toMatchObject({
        ok: false,
        problem: { eventId: forged!.id, blockSeq: 2, reason: expect.stringContaining('backdated') },
      });
    } finally {
      await own.close();
    }
  });

  it('reports an event slipped into an id gap below sealed ones, whatever its timestamp, once those are sealed long enough', async () => {
    // Ids left free by rolled-back transactions are never reused by the sequence; an attacker can still name one.
    const gapId = ids[11]! + 1;
    await h.db.execute(sql`select setval('audit_events_id_seq', ${gapId + 10})`);
    await audited(h.db, 'test.after_gap');
    await sealSettled(h.db);
    await tampered(
      (tx) => tx.insert(auditEvents).values({ ...forgedEvent(new Date(Date.now() + 3_600_000)), id: gapId }),
      async (tx) => {
        expect(await verifyAudit(tx)).toMatchObject({ ok: true, unsealed: 1, longUnsealed: { count: 0 } });
        const later = new Date(Date.now() + 10 * 60_000);
        expect(await verifyAudit(tx, { now: later })).toMatchObject({ ok: false, longUnsealed: { count: 1, firstEventId: gapId } });
      },
    );
  });

  it('reports an unsealed event only after the threshold, which is configurable', async () => {
    let id = 0;
    await tampered(
      async (tx) => (id = await audited(tx, 'test.fresh')),
      async (tx) => {
        expect(await verifyAudit(tx)).toMatchObject({ ok: true, unsealed: 1, longUnsealed: { count: 0 } });
        expect(await verifyAudit(tx, { unsealedAfterMs: 0, now: new Date(Date.now() + 1000) })).toMatchObject({
          ok: false,
          longUnsealed: { count: 1, firstEventId: id },
        });
      },
    );
  });

  it('names a changed event that is not sealed yet at once', async () => {
    let id = 0;
    await tampered(
      async (tx) => {
        id = await audited(tx, 'test.fresh');
        await tx.execute(sql`update audit_events set action = 'test.other' where id = ${id}`);
      },
      async (tx) => expect(await verifyAudit(tx)).toMatchObject({ ok: false, problem: { eventId: id, blockSeq: null } }),
    );
  });

  it('names a block removed from the middle, with the first event it sealed', async () => {
    await tampered(run(sql`delete from audit_blocks where seq = 2`), async (tx) =>
      expect(await verifyAudit(tx)).toMatchObject({
        blocks: 1,
        problem: { eventId: ids[4], blockSeq: 2, reason: 'block 2 is missing (blocks jump from 1 to 3)' },
      }),
    );
  });

  it('names the newest block removed, through the seals that still point to it', async () => {
    const [newest] = await h.db.select().from(auditBlocks).orderBy(desc(auditBlocks.seq)).limit(1);
    const [firstSeal] = await h.db.select().from(auditSeals).where(eq(auditSeals.blockSeq, newest!.seq)).orderBy(asc(auditSeals.eventId));
    await tampered(run(sql`delete from audit_blocks where seq = ${newest!.seq}`), async (tx) =>
      expect(await verifyAudit(tx)).toMatchObject({
        blocks: newest!.seq - 1,
        problem: { eventId: firstSeal!.eventId, blockSeq: newest!.seq, reason: expect.stringContaining('does not exist') },
      }),
    );
  });

  it('names a changed block', async () => {
    await tampered(run(sql`update audit_blocks set event_count = 3 where seq = 2`), async (tx) =>
      expect(await verifyAudit(tx)).toMatchObject({ blocks: 1, problem: { blockSeq: 2, reason: 'block 2 does not match its hash' } }),
    );
  });

  it('names the next block when a block was changed and re-hashed', async () => {
    const [block] = await h.db.select().from(auditBlocks).where(eq(auditBlocks.seq, 1));
    const sealedAt = new Date(block!.sealedAt.getTime() - 3_600_000);
    const hash = hashAuditBlock({ ...block!, sealedAt });
    await tampered(run(sql`update audit_blocks set sealed_at = ${sealedAt}, hash = ${hash} where seq = 1`), async (tx) =>
      expect(await verifyAudit(tx)).toMatchObject({
        blocks: 1,
        problem: { blockSeq: 2, reason: expect.stringContaining('does not link to block 1') },
      }),
    );
  });

  it('checks the prev_hash chain of events written before sealing existed', async () => {
    const first = forgedEvent(new Date());
    const second = forgedEvent(new Date());
    const linked = { ...first, prevHash: genesisHash, hash: hashAuditEvent(genesisHash, first) };
    const broken = { ...second, prevHash: 'f'.repeat(64), hash: hashAuditEvent('f'.repeat(64), second) };
    let brokenId = 0;
    await tampered(
      async (tx) => {
        await tx.insert(auditEvents).values(linked);
        brokenId = (await tx.insert(auditEvents).values(broken).returning())[0]!.id;
      },
      async (tx) =>
        expect(await verifyAudit(tx)).toMatchObject({
          unsealed: 2,
          problem: { eventId: brokenId, blockSeq: null, reason: 'link to the previous chained event does not match' },
        }),
    );
  });
});

describe('npm run audit:verify', () => {
  const cli = path.resolve(import.meta.dirname, 'verify-cli.ts');
  const runCli = (databaseUrl: string) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', cli], { env: { ...process.env, DATABASE_URL: databaseUrl } }).then(
      ({ stdout }) => ({ code: 0, out: stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: error.stdout + error.stderr }),
    );

  it('exits 0 on an intact trail and 1 naming the first bad event', async () => {
    const own = await createTestDatabase();
    try {
      const first = await audited(own.db, 'test.cli');
      await audited(own.db, 'test.cli');
      await sealSettled(own.db);
      const url = new URL(own.url);
      expect(await runCli(url.toString())).toMatchObject({ code: 0, out: expect.stringContaining('intact: 1 blocks, 2 sealed events') });
      await own.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`update audit_events set outcome = 'failure' where id = ${first}`);
      });
      const broken = await runCli(url.toString());
      expect(broken.code).toBe(1);
      expect(broken.out).toContain(`BROKEN at event ${first} (block 1): content does not match its hash`);
    } finally {
      await own.close();
    }
  });

  it('describes long-unsealed events with the first one', () => {
    const lines = describeVerdict({
      ok: false,
      blocks: 2,
      sealedEvents: 5,
      problem: null,
      unsealed: 2,
      longUnsealed: { count: 2, firstEventId: 41 },
    });
    expect(lines).toEqual([expect.stringMatching(/2 events unsealed for more than 5 min, first event 41/)]);
  });
});
