import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/** The browser the journeys drive: Debian's Chromium. */
export const chromiumPath = '/usr/bin/chromium';

/** The one command that installs it, for the error a journey shows when it is missing. */
export const chromiumInstallCommand = 'sudo apt-get update && sudo apt-get install -y chromium';

/**
 * Vitest global setup, once per run: when the run includes browser journeys and Chromium is missing, installs Debian's
 * chromium if we are root with apt-get (waiting for another apt run's lock). Otherwise does nothing: the harness then
 * fails each journey naming the command above.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (existsSync(chromiumPath)) return;
  const { testFiles } = await project.globTestFiles(project.vitest.config.filters);
  if (!testFiles.some((file) => file.includes(`${path.sep}e2e${path.sep}`))) return;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0 || !existsSync('/usr/bin/apt-get')) return;
  console.log(`Chromium is not at ${chromiumPath}: installing Debian's chromium for the browser tests (apt-get install chromium) …`);
  const apt = (args: string[]) =>
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', 'chromium']);
  if (!existsSync(chromiumPath)) throw new Error(`apt-get installed chromium, but ${chromiumPath} is still missing.`);
}
