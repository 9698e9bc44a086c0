import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type AnyColumn, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index.ts';

/** The Drizzle database, whichever driver is underneath (one SQL dialect: DESIGN.md). */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; repositories accept it in place of the database. */
export type Transaction = PgTransaction<PgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;
/** What a repository method runs its SQL on. */
export type Executor = Database | Transaction;

/** An open database with the means to close it. */
export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Applies the migrations in a folder with the driver's own migrator. */
  migrate(migrationsFolder: string): Promise<void>;
  close(): Promise<void>;
}

/** Runs raw SQL and returns its rows, typed by the caller (both drivers answer `{ rows }`). */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/** Where the database lives: an embedded PGlite directory (or memory, or a loaded dump), or a server URL. */
export type DatabaseTarget =
  { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob } | { kind: 'postgres'; url: string; poolSize?: number };

/** Opens the database the target names; PGlite for the embedded default, a pooled `pg` client for a server. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'pglite') {
    const client = await PGlite.create({
      ...(target.dataDir ? { dataDir: path.resolve(target.dataDir) } : {}),
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    });
    const pgliteDb = drizzlePglite({ client, schema });
    const db: Database = pgliteDb;
    return { db, kind: 'pglite', migrate: (folder) => migratePglite(pgliteDb, { migrationsFolder: folder }), close: () => client.close() };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Requests in flight see their own error.
  });
  const pgDb = drizzlePg({ client: pool, schema });
  const db: Database = pgDb;
  return { db, kind: 'postgres', migrate: (folder) => migratePg(pgDb, { migrationsFolder: folder }), close: () => pool.end() };
}

/** `column = any($1::uuid[])`: one bind parameter for any number of ids (IN lists hit PostgreSQL's 65,535-parameter limit). */
export function anyUuid(column: AnyColumn | SQL, ids: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...ids])}::uuid[])`;
}
