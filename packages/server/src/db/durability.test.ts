import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type DatabaseHandle } from './client.ts';
import { assertDurableDatabase } from './durability.ts';
import { createTestDatabase } from '../test/test-database.ts';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

describe('assertDurableDatabase (production start-up check)', () => {
  it('accepts a server with fsync and synchronous_commit on, and refuses one with fsync off (the test run’s embedded server)', async () => {
    const [row] = await queryRows<{ fsync: string }>(handle.db, sql`select current_setting('fsync') as fsync`);
    if (row?.fsync === 'on') await expect(assertDurableDatabase(handle.db)).resolves.toBeUndefined();
    else await expect(assertDurableDatabase(handle.db)).rejects.toThrow(/fsync=off/);
    // The embedded server of a test run is the only one started with fsync off; the app's own is durable (embedded.test.ts).
    expect(row?.fsync === 'off').toBe(handle.kind === 'embedded');
  });

  it('refuses a connection with synchronous_commit off', async () => {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local synchronous_commit = off`);
      await expect(assertDurableDatabase(tx)).rejects.toThrow(/(fsync|synchronous_commit)=off/);
    });
  });
});
