import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPool } from '../db/client.ts';
import { clearLeftover, serverCanReach, startEmbeddedPostgres } from '../db/embedded.ts';
import { migrateDatabase } from '../db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the server the test databases live on (any database name; test files swap it for their own). */
    testServerUrl: string;
    /** Whether that server is the embedded one this run started (fsync off) rather than DATABASE_URL's. */
    testServerEmbedded: boolean;
    /** Name of a migrated template database each test file copies. */
    postgresTemplate: string;
  }
}

/** The URL with another database name. */
export function serverUrlWith(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Test clusters of runs that died without their teardown (their vitest process is gone): stop any server left, remove. */
async function removeAbandonedTestServers(base: string): Promise<void> {
  for (const name of readdirSync(base)) {
    const match = /^portico-test-postgres-(\d+)$/.exec(name);
    if (!match) continue;
    try {
      process.kill(Number(match[1]), 0);
      continue; // that run is still going
    } catch {
      // gone
    }
    const dir = path.join(base, name);
    await clearLeftover(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.log`, { force: true });
  }
}

/**
 * Migrates a template database once per run; each test file copies it (`CREATE DATABASE … TEMPLATE`). The server is
 * DATABASE_URL's when set, else one embedded PostgreSQL in .tmp/ for the whole run, with fsync off (tests only).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    mkdirSync('.tmp', { recursive: true });
    // In .tmp/, unless the checkout sits in a folder the server's account cannot enter (as root under /root).
    const base = (await serverCanReach(path.resolve('.tmp', 'x'))) ? path.resolve('.tmp') : os.tmpdir();
    await removeAbandonedTestServers(base);
    const dir = path.join(base, `portico-test-postgres-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.log`, { force: true });
    const server = await startEmbeddedPostgres({ dir, unsafeNoFsync: true, settings: { max_connections: '300' } });
    serverUrl = server.url('postgres');
    stops.push(async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}.log`, { force: true });
    });
  }
  const name = `portico_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const handle = openPool(serverUrlWith(serverUrl, name), 'postgres', 1);
  await migrateDatabase(handle);
  await handle.close();
  await admin.query(`alter database ${name} is_template true`);
  project.provide('testServerUrl', serverUrl);
  project.provide('testServerEmbedded', !process.env.DATABASE_URL);
  project.provide('postgresTemplate', name);
  return async () => {
    await admin.query(`alter database ${name} is_template false`);
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    for (const stop of stops) await stop();
  };
}
