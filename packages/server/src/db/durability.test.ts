import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './client.ts';
import { assertDurableDatabase } from './durability.ts';
import { createTestDatabase } from '../test/test-database.ts';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

describe('assertDurableDatabase (production start-up check)', () => {
  it('accepts a PostgreSQL server with fsync and synchronous_commit on, and refuses the embedded database (fsync off)', async () => {
    if (handle.kind === 'postgres') await expect(assertDurableDatabase(handle.db)).resolves.toBeUndefined();
    else await expect(assertDurableDatabase(handle.db)).rejects.toThrow(/fsync=off/);
  });

  it('refuses a connection with synchronous_commit off', async () => {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local synchronous_commit = off`);
      await expect(assertDurableDatabase(tx)).rejects.toThrow(/(fsync|synchronous_commit)=off/);
    });
  });
});
