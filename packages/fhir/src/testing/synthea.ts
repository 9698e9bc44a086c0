/// <reference types="node" />
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Folder of the shared Synthea sample: env PORTICO_SYNTHEA_DIR, else <repo root>/../shared/fhir/synthea-r4 (resolve from import.meta.url). */
export function syntheaDir(): string {
  const fromEnv = process.env.PORTICO_SYNTHEA_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  // This file is <repo root>/packages/fhir/src/testing/synthea.ts.
  return fileURLToPath(new URL('../../../../../shared/fhir/synthea-r4', import.meta.url));
}

/** Whether the Synthea sample is where syntheaDir() says. */
export function syntheaAvailable(): boolean {
  return existsSync(syntheaDir());
}

const missing = () => `The Synthea sample is not at ${syntheaDir()}: put ../shared beside the checkout or set PORTICO_SYNTHEA_DIR.`;

/**
 * For a test that reads the sample: returns when it is there; otherwise skips the test saying why, or, under CI=true,
 * fails it (CI must run every test). Pass the test's context (vitest's `ctx`).
 */
export function requireSynthea(ctx: { skip: (note?: string) => void }): void {
  if (syntheaAvailable()) return;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${missing()} (CI=true: the tests that need it must run)`);
  ctx.skip(missing());
}

/** File names in load order: the hospital bundle(s) and practitioner bundle(s) first, then patients sorted by name. */
export function syntheaFiles(): string[] {
  const dir = syntheaDir();
  if (!existsSync(dir)) throw new Error(missing());
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = (name: string): number => (name.startsWith('hospitalInformation') ? 0 : name.startsWith('practitionerInformation') ? 1 : 2);
  return names.sort((a, b) => rank(a) - rank(b));
}
