import { createHash } from 'node:crypto';
import path from 'node:path';
import { sql, type AnyColumn, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { ensureDatabase, startEmbeddedPostgres } from './embedded.ts';
import * as schema from './schema/index.ts';

/** The Drizzle database (node-postgres driver; one SQL dialect: DESIGN.md). */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; repositories accept it in place of the database. */
export type Transaction = PgTransaction<PgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;
/** What a repository method runs its SQL on. */
export type Executor = Database | Transaction;

/** An open database with the means to close it. */
export interface DatabaseHandle {
  db: Database;
  /** `embedded`: the PostgreSQL server Portico runs itself (./data); `postgres`: a server named by DATABASE_URL. */
  kind: 'embedded' | 'postgres';
  /** Applies the migrations in a folder with drizzle's node-postgres migrator. */
  migrate(migrationsFolder: string): Promise<void>;
  close(): Promise<void>;
}

/** Runs raw SQL and returns its rows, typed by the caller. */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/** Where the database lives: an embedded PostgreSQL in `<dataDir>/postgres`, or a server URL. */
export type DatabaseTarget =
  { kind: 'embedded'; dataDir: string; poolSize?: number } | { kind: 'postgres'; url: string; poolSize?: number };

/** The database the app uses on its embedded server. */
export const embeddedDatabaseName = 'portico';

/** A pooled node-postgres connection to `url` with Drizzle on top: the one driver for both kinds. */
export function openPool(url: string, kind: DatabaseHandle['kind'], poolSize = 10): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Requests in flight see their own error.
  });
  const db = drizzlePg({ client: pool, schema });
  return { db, kind, migrate: (folder) => migratePg(db, { migrationsFolder: folder }), close: () => pool.end() };
}

/**
 * Opens the database the target names. `embedded` starts PostgreSQL on `<dataDir>/postgres` (initialising it on first
 * start, durable: fsync and synchronous_commit on) and stops it on close; `postgres` connects to the server.
 */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') return openPool(target.url, 'postgres', target.poolSize);
  const server = await startEmbeddedPostgres({ dir: path.join(target.dataDir, 'postgres') });
  try {
    await ensureDatabase(server, embeddedDatabaseName);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const handle = openPool(server.url(embeddedDatabaseName), 'embedded', target.poolSize);
  return {
    ...handle,
    async close() {
      await handle.close();
      await server.stop();
    },
  };
}

/** `column = any($1::uuid[])`: one bind parameter for any number of ids (IN lists hit PostgreSQL's 65,535-parameter limit). */
export function anyUuid(column: AnyColumn | SQL, ids: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...ids])}::uuid[])`;
}

const dialect = new PgDialect();

/**
 * Runs hand-written SQL as a named prepared statement (named by a hash of its text) on the executor's connection, so
 * PostgreSQL plans it once per connection: for the statements every audited request runs (the bench, issue 9).
 */
export async function queryPreparedRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const built = dialect.sqlToQuery(query);
  const name = `p_${createHash('sha1').update(built.sql).digest('hex').slice(0, 20)}`;
  const result: unknown = await db._.session.prepareQuery(built, undefined, name, false).execute();
  return (result as { rows: T[] }).rows;
}

/**
 * Serializes, until the transaction ends, every transaction that takes the same key (a per-person or per-patient cap
 * counted then written: two racing requests cannot both pass it).
 */
export async function advisoryXactLock(tx: Executor, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}
