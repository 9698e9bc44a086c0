import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPool, type DatabaseHandle } from '../db/client.ts';
import { serverUrlWith } from './global-setup.ts';

/**
 * A database of its own for one test file: a copy of the migrated template on the run's server (the embedded one
 * global setup started, or DATABASE_URL's), dropped on close.
 */
export async function createTestDatabase(): Promise<DatabaseHandle & { url: string }> {
  const serverUrl = inject('testServerUrl');
  const template = inject('postgresTemplate');
  const name = `portico_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = serverUrlWith(serverUrl, name);
  const handle = openPool(url, inject('testServerEmbedded') ? 'embedded' : 'postgres', 10);
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
