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

/** File names in load order: the hospital bundle(s) and practitioner bundle(s) first, then patients sorted by name. */
export function syntheaFiles(): string[] {
  const dir = syntheaDir();
  if (!existsSync(dir))
    throw new Error(`The Synthea sample is not at ${dir}: put ../shared beside the checkout or set PORTICO_SYNTHEA_DIR.`);
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = (name: string): number => (name.startsWith('hospitalInformation') ? 0 : name.startsWith('practitionerInformation') ? 1 : 2);
  return names.sort((a, b) => rank(a) - rank(b));
}
