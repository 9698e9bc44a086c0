import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { asc, desc, eq, sql } from 'drizzle-orm';
import { queryRows, type DatabaseHandle } from '../../db/client.ts';
import { auditBlocks, auditEvents, auditSeals } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { canonicalJson, genesisHash, hashAuditEvent, type AuditHashInput } from './audit.hash.ts';
import { sealSettled } from './audit.test-support.ts';
import { recordAudit, type AuditContext } from './audit.service.ts';
import { verifyAudit } from './audit.verify.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDatabase();
});
afterAll(() => h.close());

function context(): AuditContext {
  return { requestId: randomUUID(), ipAddress: '203.0.113.7', actorUserId: randomUUID() };
}

const eventsOf = (requestId: string) =>
  h.db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId)).orderBy(asc(auditEvents.id));

async function lastEvent() {
  const [row] = await h.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  return row;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('recordAudit', () => {
  it('inserts events carrying their own content hash, no chain link, and the writing transaction id', async () => {
    const ctx = context();
    const patientId = randomUUID();
    const txid = await h.db.transaction(async (tx) => {
      await recordAudit(tx, ctx, [
        { action: 'patient.summary.read', outcome: 'success', patientId, objectType: 'Patient', objectId: patientId, details: { n: 1 } },
        { action: 'auth.sign_in', outcome: 'failure', details: { reason: 'wrong_password', failuresInWindow: 2 } },
      ]);
      const [row] = await queryRows<{ txid: string }>(tx, sql`select pg_current_xact_id()::text as txid`);
      return row!.txid;
    });
    const rows = await eventsOf(ctx.requestId!);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      actorUserId: ctx.actorUserId,
      patientId,
      action: 'patient.summary.read',
      outcome: 'success',
      severity: 'info',
      ipAddress: '203.0.113.7',
      prevHash: null,
      txid,
    });
    expect(rows[1]).toMatchObject({ outcome: 'failure', severity: 'warning', patientId: null, prevHash: null, txid });
    for (const row of rows) expect(row.hash).toBe(hashAuditEvent(genesisHash, row));
  });

  it('stores a hash that still matches after JSONB reorders keys and turns Dates into ISO strings', async () => {
    const ctx = context();
    await h.db.transaction((tx) =>
      recordAudit(tx, ctx, {
        action: 'test.details',
        outcome: 'success',
        details: {
          zeta: 1,
          alpha: { long_key_name: [3, 2, 1], b: null, a: 'é ü 中文 🙂' },
          mid: 0.1,
          until: new Date('2026-01-02T03:04:05.678Z'),
        },
      }),
    );
    const [row] = await eventsOf(ctx.requestId!);
    expect(row!.details).toEqual({
      zeta: 1,
      alpha: { long_key_name: [3, 2, 1], b: null, a: 'é ü 中文 🙂' },
      mid: 0.1,
      until: '2026-01-02T03:04:05.678Z',
    });
    expect(hashAuditEvent(genesisHash, row!)).toBe(row!.hash);
  });

  it('leaves no event when the action it belongs to rolls back', async () => {
    const ctx = context();
    const before = await lastEvent();
    await expect(
      h.db.transaction(async (tx) => {
        await recordAudit(tx, ctx, { action: 'test.rolled_back', outcome: 'success' });
        expect(await tx.select().from(auditEvents).where(eq(auditEvents.requestId, ctx.requestId!))).toHaveLength(1);
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await eventsOf(ctx.requestId!)).toHaveLength(0);
    expect((await lastEvent())?.id).toBe(before?.id);
    await sealSettled(h.db);
    expect(await verifyAudit(h.db)).toMatchObject({ ok: true, problem: null });
  });

  it('lets a transaction write and commit its audit event while another holds an uncommitted one', async () => {
    // With a chain lock, B would wait for A's commit (and A waits for B here): lock_timeout turns that into a failure.
    const a = context();
    const b = context();
    const aInserted = deferred();
    const bDone = deferred();
    const first = h.db.transaction(async (tx) => {
      await tx.execute(sql`set local lock_timeout = '3s'`);
      await recordAudit(tx, a, { action: 'test.concurrent.a', outcome: 'success' });
      aInserted.resolve();
      await bDone.promise;
      expect(await eventsOf(b.requestId!)).toHaveLength(1); // B committed while A is still open
    });
    await aInserted.promise;
    const second = h.db
      .transaction(async (tx) => {
        await tx.execute(sql`set local lock_timeout = '3s'`);
        await recordAudit(tx, b, { action: 'test.concurrent.b', outcome: 'success' });
      })
      .finally(() => bDone.resolve());
    await expect(second).resolves.toBeUndefined();
    await expect(first).resolves.toBeUndefined();
    const [ea] = await eventsOf(a.requestId!);
    const [eb] = await eventsOf(b.requestId!);
    expect(ea!.id).toBeLessThan(eb!.id);
  });

  it('keeps every event of 20 concurrent writers, and they seal and verify', async () => {
    const ctxs = Array.from({ length: 20 }, () => context());
    await Promise.all(
      ctxs.map((ctx, i) =>
        h.db.transaction((tx) =>
          recordAudit(tx, ctx, [
            { action: 'test.concurrent', outcome: 'success', details: { i } },
            { action: 'test.concurrent', outcome: 'success', details: { i, second: true } },
          ]),
        ),
      ),
    );
    for (const ctx of ctxs) expect(await eventsOf(ctx.requestId!)).toHaveLength(2);
    await sealSettled(h.db);
    const [count] = await h.db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
    const verdict = await verifyAudit(h.db);
    expect(verdict).toMatchObject({ ok: true, problem: null, unsealed: 0, sealedEvents: count!.n });
  });
});

describe('the audit tables are append-only in the database', () => {
  it('refuses UPDATE of an event and leaves it unchanged', async () => {
    const ctx = context();
    await h.db.transaction((tx) => recordAudit(tx, ctx, { action: 'test.immutable', outcome: 'success' }));
    const [row] = await eventsOf(ctx.requestId!);
    await expect(h.db.update(auditEvents).set({ outcome: 'failure' }).where(eq(auditEvents.id, row!.id))).rejects.toThrow();
    await expect(h.db.execute(sql`update audit_events set action = 'forged' where id = ${row!.id}`)).rejects.toThrow();
    expect((await eventsOf(ctx.requestId!))[0]).toEqual(row);
  });

  it('refuses DELETE and TRUNCATE of events', async () => {
    const before = await lastEvent();
    await expect(h.db.delete(auditEvents).where(eq(auditEvents.id, before!.id))).rejects.toThrow();
    await expect(h.db.execute(sql`delete from audit_events`)).rejects.toThrow();
    await expect(h.db.execute(sql`truncate audit_events`)).rejects.toThrow();
    expect((await lastEvent())?.id).toBe(before!.id);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of blocks and seals', async () => {
    await h.db.transaction((tx) => recordAudit(tx, context(), { action: 'test.sealed', outcome: 'success' }));
    await sealSettled(h.db);
    const blocks = await h.db.select().from(auditBlocks);
    const seals = await h.db.select().from(auditSeals);
    expect(blocks.length).toBeGreaterThan(0);
    await expect(h.db.update(auditBlocks).set({ merkleRoot: 'x' })).rejects.toThrow();
    await expect(h.db.delete(auditBlocks)).rejects.toThrow();
    await expect(h.db.execute(sql`truncate audit_blocks`)).rejects.toThrow();
    await expect(h.db.update(auditSeals).set({ blockSeq: 99 })).rejects.toThrow();
    await expect(h.db.delete(auditSeals)).rejects.toThrow();
    await expect(h.db.execute(sql`truncate audit_seals`)).rejects.toThrow();
    expect(await h.db.select().from(auditBlocks)).toEqual(blocks);
    expect(await h.db.select().from(auditSeals)).toEqual(seals);
  });
});

describe('hashAuditEvent', () => {
  const event: AuditHashInput = {
    occurredAt: new Date('2026-03-01T12:00:00.000Z'),
    requestId: 'req-1',
    actorUserId: '9f3e8d2c-0000-4a1b-8c7d-00000000000f',
    onBehalfOfUserId: null,
    patientId: '5d0c2f4e-aaaa-4b9b-8f1e-000000000001',
    action: 'patient.summary.read',
    objectType: 'Patient',
    objectId: '5d0c2f4e-aaaa-4b9b-8f1e-000000000001',
    outcome: 'success',
    severity: 'info',
    ipAddress: '203.0.113.7',
    details: { reason: 'own_record', categories: ['demographics'] },
  };

  it('is a SHA-256 hex digest, stable for the same input and key order', () => {
    const hash = hashAuditEvent(genesisHash, event);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAuditEvent(genesisHash, { ...event, details: { categories: ['demographics'], reason: 'own_record' } })).toBe(hash);
  });

  it.each([
    ['occurredAt', new Date('2026-03-01T12:00:00.001Z')],
    ['requestId', 'req-2'],
    ['actorUserId', null],
    ['onBehalfOfUserId', '9f3e8d2c-0000-4a1b-8c7d-0000000000ff'],
    ['patientId', '5d0c2f4e-bbbb-4b9b-8f1e-000000000002'],
    ['action', 'patient.summary.write'],
    ['objectType', 'Observation'],
    ['objectId', 'other'],
    ['outcome', 'denied'],
    ['severity', 'high'],
    ['ipAddress', '198.51.100.1'],
    ['details', { reason: 'own_record', categories: ['demographics', 'clinical'] }],
  ] as const)('changes when %s changes', (field, value) => {
    expect(hashAuditEvent(genesisHash, { ...event, [field]: value })).not.toBe(hashAuditEvent(genesisHash, event));
  });

  it('changes with the previous hash (the link of events chained before sealing existed)', () => {
    expect(hashAuditEvent('f'.repeat(64), event)).not.toBe(hashAuditEvent(genesisHash, event));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});
