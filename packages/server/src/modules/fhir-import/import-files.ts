import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { FhirError, type OutcomeIssue } from '@portico/fhir';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { organizations } from '../../db/schema/index.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import { importBundle, type AfterImport, type ImportCounts, type RefusedEntry } from './import.service.ts';

/** Bundles of shared directory data (hospitals, practitioners…) go first, so patient bundles can refer to them. */
const directoryFirst = /(hospital|practitioner|organization|location)/i;

/** One file's outcome: counts when it was imported (`refused` lists the entries of a batch or collection it refused), or the issues that refused it whole. */
export interface FileOutcome {
  file: string;
  counts: ImportCounts | null;
  issues: OutcomeIssue[];
  refused: RefusedEntry[];
}

/** Running totals, reported after each file. */
export interface ImportProgress {
  filesDone: number;
  filesTotal: number;
  resources: number;
  failedFiles: number;
  elapsedMs: number;
  last: FileOutcome;
}

/** The JSON files a path names: the file itself, or a folder's `*.json` files (not recursive), directory bundles first. */
export async function listBundleFiles(target: string): Promise<string[]> {
  const info = await stat(target);
  if (!info.isDirectory()) return [target];
  const names = (await readdir(target)).filter((n) => n.toLowerCase().endsWith('.json')).sort();
  return [...names.filter((n) => directoryFirst.test(n)), ...names.filter((n) => !directoryFirst.test(n))].map((n) => path.join(target, n));
}

/** The organization an import writes into: the one named by slug, or the only one there is. */
export async function resolveOrganization(db: Database, slug: string | undefined): Promise<{ id: string; name: string }> {
  if (slug) {
    const [org] = await db
      .select({ id: organizations.id, name: organizations.name })
      .from(organizations)
      .where(eq(organizations.slug, slug));
    if (!org) throw new Error(`No organization has the slug '${slug}'.`);
    return org;
  }
  const orgs = await db.select({ id: organizations.id, name: organizations.name }).from(organizations).limit(2);
  if (orgs.length === 0) throw new Error('The database has no organization yet: start the portal once (npm start) or create one first.');
  if (orgs.length > 1) throw new Error('The database has several organizations: name one with --org <slug>.');
  return orgs[0]!;
}

/** Everything an import run needs besides the files. */
export interface ImportFilesOptions {
  organizationId: string;
  audit: AuditContext;
  /** Files imported at once; PostgreSQL gains from two or three. */
  concurrency: number;
  after?: AfterImport;
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Imports Bundle files, a few at a time. A file refused only because it refers to something not there yet (a
 * conditional reference to a practitioner in a later file) is tried once more after all the others.
 */
export async function importFiles(db: Database, files: string[], options: ImportFilesOptions): Promise<FileOutcome[]> {
  const started = Date.now();
  const outcomes: FileOutcome[] = [];
  let resources = 0;
  let failedFiles = 0;
  let done = 0;

  const importOne = async (file: string): Promise<FileOutcome> => {
    try {
      const bundle: unknown = JSON.parse(await readFile(file, 'utf8'));
      const result = await importBundle(db, { organizationId: options.organizationId, bundle, audit: options.audit }, options.after);
      return { file, counts: result.counts, issues: [], refused: result.refused };
    } catch (error) {
      if (error instanceof FhirError) return { file, counts: null, issues: error.issues, refused: [] };
      if (error instanceof SyntaxError)
        return {
          file,
          counts: null,
          issues: [{ severity: 'error', code: 'structure', diagnostics: `Not JSON: ${error.message}` }],
          refused: [],
        };
      throw error;
    }
  };
  const report = (outcome: FileOutcome, final: boolean) => {
    if (final) {
      done++;
      if (outcome.counts) resources += outcome.counts.entries;
      else failedFiles++;
    }
    options.onProgress?.({
      filesDone: done,
      filesTotal: files.length,
      resources,
      failedFiles,
      elapsedMs: Date.now() - started,
      last: outcome,
    });
  };

  const retry: string[] = [];
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const outcome = await importOne(file);
      const onlyMissing = !outcome.counts && outcome.issues.length > 0 && outcome.issues.every((i) => i.code === 'not-found');
      if (onlyMissing && !retry.includes(file)) retry.push(file);
      else {
        outcomes.push(outcome);
        report(outcome, true);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  for (const file of retry) {
    const outcome = await importOne(file);
    outcomes.push(outcome);
    report(outcome, true);
  }
  return outcomes;
}
