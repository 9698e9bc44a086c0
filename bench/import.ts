/**
 * `npm run bench:import`: loads the shared Synthea sample (52 FHIR R4 Bundles, about 16,000 resources) into a fresh
 * embedded database and into a fresh PostgreSQL database (DATABASE_URL's server, default 127.0.0.1:5432), and reports
 * resources/s for the first load and for a re-import (which must change nothing). BENCH_IMPORT_DB=embedded|postgres runs one.
 */
import pg from 'pg';
import { syntheaDir, syntheaFiles } from '@portico/fhir/testing';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../packages/server/src/db/client.ts';
import { migrateDatabase } from '../packages/server/src/db/migrate.ts';
import { organizations } from '../packages/server/src/db/schema/index.ts';
import { resultFollowUp } from '../packages/server/src/modules/fhir-import/import-follow-up.ts';
import { importFiles } from '../packages/server/src/modules/fhir-import/import-files.ts';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const only = process.env.BENCH_IMPORT_DB;
const files = syntheaFiles().map((f) => path.join(syntheaDir(), f));
const number = new Intl.NumberFormat('en-US');

async function run(handle: DatabaseHandle, label: string): Promise<void> {
  await migrateDatabase(handle);
  const [org] = await handle.db.insert(organizations).values({ name: 'Bench Health', slug: 'bench' }).returning();
  for (const pass of ['first load', 're-import']) {
    const started = performance.now();
    const outcomes = await importFiles(handle.db, files, {
      organizationId: org!.id,
      audit: { requestId: 'bench-import', ipAddress: null, actorUserId: null },
      concurrency: 3,
      after: resultFollowUp('http://localhost:3000'),
    });
    const seconds = (performance.now() - started) / 1000;
    const resources = outcomes.reduce((n, o) => n + (o.counts?.entries ?? 0), 0);
    const created = outcomes.reduce((n, o) => n + (o.counts?.created ?? 0), 0);
    const refused = outcomes.filter((o) => !o.counts).length;
    console.log(
      `${label.padEnd(11)} ${pass.padEnd(10)} ${String(files.length).padStart(3)} files ${number.format(resources).padStart(7)} resources in ${seconds.toFixed(2).padStart(6)} s = ${number.format(Math.round(resources / seconds)).padStart(6)} resources/s (${number.format(created)} created, ${refused} files refused)`,
    );
    if (refused > 0) process.exitCode = 1;
  }
}

if (!only || only === 'embedded') {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-bench-import-'));
  chmodSync(dataDir, 0o755); // as root, the embedded PostgreSQL runs as the user postgres and must enter it
  const handle = await openDatabase({ kind: 'embedded', dataDir });
  try {
    await run(handle, 'embedded');
  } finally {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!only || only === 'postgres') {
  const name = `portico_bench_import_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  try {
    await run(handle, 'PostgreSQL');
  } finally {
    await handle.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
