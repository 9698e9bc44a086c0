import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../demo/demo-accounts.ts';

/** The repository root: this file is packages/server/src/db/embedded.test.ts. */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-embedded-'));
chmodSync(dataDir, 0o755); // run as root, PostgreSQL runs as the user postgres, which must be able to enter it
const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
let app: ChildProcess | null = null;
let output = '';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const postmasterPid = () => Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0]!, 10);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts the real server (`node --import tsx main.ts`, NODE_ENV=production, demo data) and waits until it is ready. */
async function startApp(port: number): Promise<string> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      PORTICO_DATA_DIR: dataDir,
      PORTICO_DEMO: '1',
      PORTICO_WEB_DIST: '/nonexistent',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app = child;
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/api/ready`)).ok) return baseUrl;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not become ready:\n${output}`);
}

async function kill9App(): Promise<void> {
  const child = app!;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
  app = null;
}

/** Signs in (a session row: an acknowledged write) and answers the session cookie. */
async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'portico' },
    body: JSON.stringify({ identifier: 'patient', password: demoPassword }),
  });
  expect(response.status).toBe(200);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

const whoIs = async (baseUrl: string, cookie: string) => (await fetch(`${baseUrl}/api/auth/me`, { headers: { cookie } })).status;

afterAll(async () => {
  if (app && app.exitCode === null) {
    const child = app;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  }
  if (existsSync(pidFile) && alive(postmasterPid())) process.kill(postmasterPid(), 'SIGINT');
  for (let i = 0; i < 100 && existsSync(pidFile); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded PostgreSQL of `npm start`', () => {
  it('keeps an acknowledged write through a kill -9 of the app, and of the app and its database server', async () => {
    const port = await freePort();
    // First start: initdb, migrations, demo data; NODE_ENV=production, so the durability check ran at start.
    let baseUrl = await startApp(port);
    const first = await signIn(baseUrl);
    const server = postmasterPid();

    // kill -9 of the app alone: its PostgreSQL survives as an orphan holding postmaster.pid; the next start stops it.
    await kill9App();
    expect(alive(server)).toBe(true);
    baseUrl = await startApp(port);
    expect(alive(server)).toBe(false);
    expect(await whoIs(baseUrl, first)).toBe(200);

    // kill -9 of the app and of every server process right after a write: the next start replays the WAL.
    const second = await signIn(baseUrl);
    const restarted = postmasterPid();
    await kill9App();
    process.kill(-restarted, 'SIGKILL'); // the server's process group: postmaster and backends
    for (let i = 0; i < 100 && alive(restarted); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    baseUrl = await startApp(port);
    expect(await whoIs(baseUrl, first)).toBe(200);
    expect(await whoIs(baseUrl, second)).toBe(200);
  }, 240_000);
});
