import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { importFiles, listBundleFiles, resolveOrganization, type ImportProgress } from './import-files.ts';
import { resultFollowUp } from './import-follow-up.ts';
import { summarizeImport } from './import-summary.ts';

/**
 * `npm run import -- <file or folder>... [--org <slug>]`: loads FHIR R4 Bundles into the configured database (the embedded
 * PostgreSQL in ./data, or DATABASE_URL) with a progress bar, then prints a summary. Exits 1 when any file, or any entry of a batch or collection, was refused.
 */
const usage = 'Usage: npm run import -- <bundle.json or folder>... [--org <organization slug>]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { org: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help || positionals.length === 0) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

const number = new Intl.NumberFormat('en-US');
const rate = (count: number, ms: number) => number.format(Math.round(count / Math.max(ms / 1000, 0.001)));

function bar(p: ImportProgress): string {
  const width = 24;
  const filled = Math.round((p.filesDone / Math.max(p.filesTotal, 1)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.filesDone}/${p.filesTotal} files · ${number.format(p.resources)} resources · ${rate(p.resources, p.elapsedMs)} resources/s`;
}

const config = loadConfig();
const handle = await openDatabase(config.database);
let exitCode = 0;
try {
  await migrateDatabase(handle);
  const org = await resolveOrganization(handle.db, values.org);
  const files = (await Promise.all(positionals.map((p) => listBundleFiles(path.resolve(p))))).flat();
  console.error(`Importing ${files.length} file(s) into ${org.name} (${handle.kind}).`);
  const tty = process.stderr.isTTY;
  const outcomes = await importFiles(handle.db, files, {
    organizationId: org.id,
    audit: { requestId: 'import-cli', ipAddress: null, actorUserId: null },
    concurrency: 3,
    after: resultFollowUp(config.publicUrl),
    onProgress: (p) => {
      if (tty) process.stderr.write(`\r${bar(p)}`);
      else if (!p.last.counts) console.error(`refused: ${path.basename(p.last.file)}`);
      else if (p.last.refused.length > 0) console.error(`${p.last.refused.length} entries refused: ${path.basename(p.last.file)}`);
    },
  });
  if (tty) process.stderr.write('\n');

  const summary = summarizeImport(outcomes);
  console.log(summary.text);
  exitCode = summary.exitCode;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await handle.close();
}
process.exit(exitCode);
