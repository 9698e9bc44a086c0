import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from './client.ts';

/** Refuses a database that could lose acknowledged writes (SECURITY.md "Reliability": fsync and synchronous_commit on). */
export async function assertDurableDatabase(db: Executor): Promise<void> {
  for (const setting of ['fsync', 'synchronous_commit']) {
    const [row] = await queryRows<{ value: string }>(db, sql`select current_setting(${setting}) as value`);
    if (row?.value === 'off') {
      throw new Error(`Refusing to start: the database has ${setting}=off, so acknowledged writes could be lost.`);
    }
  }
}
