import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { auditEvents } from '../../db/schema/index.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { canonicalJson, genesisHash, hashAuditEvent, type AuditHashInput } from './audit.hash.ts';
import { recordAudit, type AuditContext } from './audit.service.ts';
import { verifyAuditChain } from './audit.verify.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

function context(): AuditContext {
  return { requestId: randomUUID(), ipAddress: '203.0.113.7', actorUserId: randomUUID() };
}

const eventsOf = (requestId: string) =>
  t.db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId)).orderBy(asc(auditEvents.id));

async function lastEvent() {
  const [row] = await t.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  return row!;
}

/** Runs a check in a transaction that is rolled back, so forged or broken rows never reach the file's real chain. */
async function inRolledBackTransaction(check: (tx: Transaction) => Promise<void>) {
  const outcome: { failure?: Error } = {};
  await expect(
    t.db.transaction(async (tx) => {
      await check(tx).catch((error: unknown) => (outcome.failure = error instanceof Error ? error : new Error(String(error))));
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  if (outcome.failure) throw outcome.failure;
}

describe('recordAudit', () => {
  it('appends events that verify as an intact chain, linked from the genesis hash', async () => {
    const ctx = context();
    const patientId = randomUUID();
    await t.db.transaction((tx) =>
      recordAudit(tx, ctx, [
        {
          action: 'patient.summary.read',
          outcome: 'success',
          patientId,
          objectType: 'Patient',
          objectId: patientId,
          details: { categories: ['demographics'] },
        },
        { action: 'auth.sign_in', outcome: 'failure', details: { reason: 'wrong_password', failuresInWindow: 2 } },
      ]),
    );
    const rows = await eventsOf(ctx.requestId!);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      actorUserId: ctx.actorUserId,
      patientId,
      action: 'patient.summary.read',
      outcome: 'success',
      severity: 'info',
      ipAddress: '203.0.113.7',
    });
    expect(rows[1]).toMatchObject({ outcome: 'failure', severity: 'warning', patientId: null });
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    const [first] = await t.db.select().from(auditEvents).orderBy(asc(auditEvents.id)).limit(1);
    expect(first!.prevHash).toBe(genesisHash);
    expect(await verifyAuditChain(t.db)).toMatchObject({ firstBrokenId: null, reason: null });
  });

  it('keeps the chain intact when JSONB reorders the keys of nested details', async () => {
    const ctx = context();
    await t.db.transaction((tx) =>
      recordAudit(tx, ctx, {
        action: 'test.details',
        outcome: 'success',
        details: { zeta: 1, alpha: { long_key_name: [3, 2, 1], b: null, a: 'é ü 中文 🙂' }, mid: 0.1, neg: -12.5, yes: true },
      }),
    );
    const [row] = await eventsOf(ctx.requestId!);
    expect(row!.details).toEqual({
      zeta: 1,
      alpha: { long_key_name: [3, 2, 1], b: null, a: 'é ü 中文 🙂' },
      mid: 0.1,
      neg: -12.5,
      yes: true,
    });
    expect(await verifyAuditChain(t.db)).toMatchObject({ firstBrokenId: null });
  });

  it('keeps the chain intact when details hold a Date, which JSONB stores as its ISO string', async () => {
    // Verified inside a rolled-back transaction: a broken event could never be removed from the append-only table.
    const ctx = context();
    await inRolledBackTransaction(async (tx) => {
      await recordAudit(tx, ctx, { action: 'test.date', outcome: 'success', details: { until: new Date('2026-01-02T03:04:05.678Z') } });
      const [row] = await tx.select().from(auditEvents).where(eq(auditEvents.requestId, ctx.requestId!));
      expect(row!.details).toEqual({ until: '2026-01-02T03:04:05.678Z' });
      expect(await verifyAuditChain(tx)).toMatchObject({ firstBrokenId: null });
    });
  });

  it('keeps the chain intact under 20 concurrent writing transactions', async () => {
    const ctxs = Array.from({ length: 20 }, () => context());
    await Promise.all(
      ctxs.map((ctx, i) =>
        t.db.transaction((tx) =>
          recordAudit(tx, ctx, [
            { action: 'test.concurrent', outcome: 'success', details: { i } },
            { action: 'test.concurrent', outcome: 'success', details: { i, second: true } },
          ]),
        ),
      ),
    );
    for (const ctx of ctxs) expect(await eventsOf(ctx.requestId!)).toHaveLength(2);
    const verdict = await verifyAuditChain(t.db);
    expect(verdict).toMatchObject({ firstBrokenId: null, reason: null });
    const [count] = await t.db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
    expect(verdict.checked).toBe(count!.n);
  });

  it('leaves no event when the action it belongs to rolls back', async () => {
    const ctx = context();
    const before = await lastEvent();
    await expect(
      t.db.transaction(async (tx) => {
        await recordAudit(tx, ctx, { action: 'test.rolled_back', outcome: 'success' });
        expect(await tx.select().from(auditEvents).where(eq(auditEvents.requestId, ctx.requestId!))).toHaveLength(1);
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await eventsOf(ctx.requestId!)).toHaveLength(0);
    expect((await lastEvent()).id).toBe(before.id);
    expect(await verifyAuditChain(t.db)).toMatchObject({ firstBrokenId: null });
  });
});

describe('audit_events is append-only in the database', () => {
  it('refuses UPDATE of an event and leaves it unchanged', async () => {
    const ctx = context();
    await t.db.transaction((tx) => recordAudit(tx, ctx, { action: 'test.immutable', outcome: 'success' }));
    const [row] = await eventsOf(ctx.requestId!);
    await expect(t.db.update(auditEvents).set({ outcome: 'failure' }).where(eq(auditEvents.id, row!.id))).rejects.toThrow();
    await expect(t.db.execute(sql`update audit_events set action = 'forged' where id = ${row!.id}`)).rejects.toThrow();
    expect((await eventsOf(ctx.requestId!))[0]).toEqual(row);
  });

  it('refuses DELETE of an event', async () => {
    const before = await lastEvent();
    await expect(t.db.delete(auditEvents).where(eq(auditEvents.id, before.id))).rejects.toThrow();
    await expect(t.db.execute(sql`delete from audit_events`)).rejects.toThrow();
    expect((await lastEvent()).id).toBe(before.id);
  });

  it('refuses TRUNCATE', async () => {
    const before = await lastEvent();
    await expect(t.db.execute(sql`truncate audit_events`)).rejects.toThrow();
    expect((await lastEvent()).id).toBe(before.id);
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

  it('changes with the previous hash, so each event is bound to its place in the chain', () => {
    expect(hashAuditEvent('f'.repeat(64), event)).not.toBe(hashAuditEvent(genesisHash, event));
  });

  it('recomputes to the stored hash for every stored event, and not for a tampered copy', async () => {
    const rows = await t.db.select().from(auditEvents).orderBy(asc(auditEvents.id));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(hashAuditEvent(row.prevHash, row)).toBe(row.hash);
    const copy = { ...rows[0]!, outcome: 'denied' };
    expect(hashAuditEvent(copy.prevHash, copy)).not.toBe(copy.hash);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('verifyAuditChain', () => {
  function forgedRow(prevHash: string, hash: string) {
    return {
      occurredAt: new Date(),
      requestId: randomUUID(),
      actorUserId: null,
      onBehalfOfUserId: null,
      patientId: null,
      action: 'forged.event',
      objectType: null,
      objectId: null,
      outcome: 'success',
      severity: 'info',
      ipAddress: null,
      details: null,
      prevHash,
      hash,
    };
  }

  it('reports a row whose content does not match its hash as the first broken one', async () => {
    await inRolledBackTransaction(async (tx) => {
      const [last] = await tx.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
      const [forged] = await tx
        .insert(auditEvents)
        .values(forgedRow(last!.hash, 'a'.repeat(64)))
        .returning();
      const verdict = await verifyAuditChain(tx);
      expect(verdict).toEqual({ checked: expect.any(Number), firstBrokenId: forged!.id, reason: 'content does not match its hash' });
      const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
      expect(verdict.checked).toBe(count!.n - 1);
    });
  });

  it('reports a row that does not link to the previous event, even with a self-consistent hash', async () => {
    await inRolledBackTransaction(async (tx) => {
      const row = forgedRow(genesisHash, '');
      row.hash = hashAuditEvent(genesisHash, row);
      const [forged] = await tx.insert(auditEvents).values(row).returning();
      expect(await verifyAuditChain(tx)).toMatchObject({ firstBrokenId: forged!.id, reason: 'link to the previous event does not match' });
    });
  });

  it('finds the break across page boundaries', async () => {
    await inRolledBackTransaction(async (tx) => {
      const [last] = await tx.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
      const [forged] = await tx
        .insert(auditEvents)
        .values(forgedRow(last!.hash, 'b'.repeat(64)))
        .returning();
      expect(await verifyAuditChain(tx, 3)).toMatchObject({ firstBrokenId: forged!.id });
    });
    expect(await verifyAuditChain(t.db, 3)).toMatchObject({ firstBrokenId: null });
  });
});
