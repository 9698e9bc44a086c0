/**
 * `npm run bench`: starts Portico as its own process on a fresh embedded database with demo data (or uses
 * BENCH_URL), signs in the demo users, and measures the hot endpoints with autocannon. Before them it measures a bare
 * Fastify hello-world route (bench/hello.ts, its own process on the same machine) as the reference: each route is
 * reported as req/s, p99 and its share of hello-world's req/s. Two floors follow (bench/floor.ts, on the app's database):
 * a bare route with one prepared SELECT, and one with a SELECT and a durable INSERT, the least an audited read does.
 * With DATABASE_URL set, Portico runs on a fresh database of that server (created with demo data, dropped afterwards).
 * BENCH_CONNECTIONS (default 50), BENCH_SECONDS (default 10), BENCH_PORT (default 3999; hello-world uses the one below),
 * BENCH_ONLY (a pattern: only the routes whose name matches, besides hello-world and the floors).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { currentTotpCode } from '../packages/server/src/modules/auth/totp.ts';

const duration = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const port = Number(process.env.BENCH_PORT ?? 3999);
const helloPort = port - 1;
const floorPort = port - 2;
const headers = { 'content-type': 'application/json', 'x-requested-with': 'portico' };

async function waitForReady(baseUrl: string, child: ChildProcess | null, readyPath = '/api/ready'): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child && child.exitCode !== null) throw new Error('the server exited before it was ready');
    try {
      if ((await fetch(`${baseUrl}${readyPath}`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not become ready');
}

async function signIn(baseUrl: string, identifier: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ identifier, password: 'Portico-Demo-2026!' }),
  });
  let cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const body = (await response.json()) as { status: string };
  if (body.status === 'mfa_required') {
    const verified = await fetch(`${baseUrl}/api/auth/mfa/verify`, {
      method: 'POST',
      headers: { ...headers, cookie },
      body: JSON.stringify({ method: 'totp', code: currentTotpCode('PORTICODEMOTOTPSECRETKEY') }),
    });
    cookie = (verified.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }
  if (!cookie) throw new Error(`could not sign in as ${identifier}`);
  return cookie;
}

/** An open thread of the patient's, for the reply benchmark (each reply is a new message; no Idempotency-Key). */
async function openThreadOf(baseUrl: string, patientId: string, cookie: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/patients/${patientId}/messages/threads?limit=25`, { headers: { cookie } });
  const body = (await response.json()) as { threads: { id: string; status: string }[] };
  const open = body.threads.find((t) => t.status !== 'closed');
  if (!open) throw new Error('the demo patient has no open thread');
  return open.id;
}

/** hello-world's req/s as first measured; the final table compares with the higher of the first and last runs. */
let reference = 0;
/** Every route measured, for the final table. */
const measured: { name: string; rate: number; p99: number; errors: number }[] = [];

/** BENCH_ONLY (a case-insensitive pattern) measures only the routes whose name matches it, besides hello-world. */
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;

async function measure(name: string, options: autocannon.Options): Promise<number> {
  if (only && reference > 0 && !only.test(name) && !name.startsWith('floor') && !name.startsWith('GET / ')) return 0;
  const result = await autocannon({ duration, connections, ...options });
  const errors = result.non2xx + result.errors;
  const rate = result.requests.average;
  measured.push({ name, rate, p99: result.latency.p99, errors });
  const share = reference > 0 ? `${((rate / reference) * 100).toFixed(1).padStart(5)} % of hello-world` : '';
  console.log(
    `${name.padEnd(42)} ${rate.toFixed(0).padStart(6)} req/s   p99 ${String(result.latency.p99).padStart(4)} ms   ${share}${errors ? `   non-2xx/errors ${errors}` : ''}`,
  );
  return rate;
}

async function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const external = process.env.BENCH_URL;
const serverUrl = process.env.DATABASE_URL;
const baseUrl = external ?? `http://127.0.0.1:${port}`;
let child: ChildProcess | null = null;
let hello: ChildProcess | null = null;
let floor: ChildProcess | null = null;
const dataDir = external ? null : mkdtempSync(path.join(os.tmpdir(), 'portico-bench-'));
if (dataDir) chmodSync(dataDir, 0o755); // as root, the embedded PostgreSQL runs as the user postgres and must enter it
let benchDatabase: string | null = null;
try {
  let databaseUrl: string | undefined;
  if (!external && serverUrl) {
    benchDatabase = `portico_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${benchDatabase}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${benchDatabase}`;
    databaseUrl = url.toString();
  }
  // The floors use the app's database: the server's bench database, or the embedded one over its socket in dataDir.
  const floorUrl = external
    ? null
    : (databaseUrl ?? `postgres://postgres@localhost:5432/portico?host=${encodeURIComponent(path.join(dataDir!, 'postgres'))}`);
  hello = spawn(process.execPath, ['--import', 'tsx', 'bench/hello.ts'], {
    env: { ...process.env, PORT: String(helloPort) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!external) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      PORTICO_DATA_DIR: dataDir ?? '',
      LOG_LEVEL: 'warn',
      PORTICO_DEMO: '1',
    };
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    else delete env.DATABASE_URL;
    child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  await waitForReady(baseUrl, child);
  const patientCookie = await signIn(baseUrl, 'patient');
  const clinicianCookie = await signIn(baseUrl, 'clinician');
  const me = (await (await fetch(`${baseUrl}/api/auth/me`, { headers: { cookie: patientCookie } })).json()) as {
    user: { patientId: string };
  };
  const database = external ? 'as it runs' : databaseUrl ? `PostgreSQL server (${new URL(serverUrl!).host})` : 'embedded PostgreSQL';
  console.log(`Portico benchmarks: ${connections} connections, ${duration} s each, against ${baseUrl} (${database})`);
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${helloPort}/`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  reference = await measure('GET / (bare Fastify hello-world)', { url: `http://127.0.0.1:${helloPort}/` });
  if (floorUrl) {
    floor = spawn(process.execPath, ['--import', 'tsx', 'bench/floor.ts'], {
      env: { ...process.env, PORT: String(floorPort), DATABASE_URL: floorUrl },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitForReady(`http://127.0.0.1:${floorPort}`, floor, '/select');
    await measure('floor: Fastify + 1 prepared SELECT', { url: `http://127.0.0.1:${floorPort}/select` });
    await measure('floor: + 1 durable INSERT (audited read)', { url: `http://127.0.0.1:${floorPort}/audited` });
    await stop(floor);
  }
  await measure('GET /api/health', { url: `${baseUrl}/api/health` });
  await measure('GET /api/auth/me (patient)', { url: `${baseUrl}/api/auth/me`, headers: { cookie: patientCookie } });
  await measure('GET /api/patients/:id/summary', {
    url: `${baseUrl}/api/patients/${me.user.patientId}/summary`,
    headers: { cookie: patientCookie },
  });
  const record = `${baseUrl}/api/patients/${me.user.patientId}/record`;
  const results = (await (await fetch(`${record}/results?limit=25`, { headers: { cookie: patientCookie } })).json()) as {
    results: { id: string; kind: string; value: string | null }[];
  };
  const numeric = results.results.find((r) => r.kind === 'observation' && r.value !== null && !Number.isNaN(Number(r.value)));
  await measure('GET …/record/summary (health summary)', { url: `${record}/summary`, headers: { cookie: patientCookie } });
  await measure('GET …/record/visits (first page)', { url: `${record}/visits?limit=25`, headers: { cookie: patientCookie } });
  await measure('GET …/record/results (first page)', { url: `${record}/results?limit=25`, headers: { cookie: patientCookie } });
  if (numeric) {
    await measure('GET …/record/results/:id (with trend)', { url: `${record}/results/${numeric.id}`, headers: { cookie: patientCookie } });
  }
  await measure('GET …/messages/threads (first page)', {
    url: `${baseUrl}/api/patients/${me.user.patientId}/messages/threads?limit=25`,
    headers: { cookie: patientCookie },
  });
  await measure('GET /api/inbox/pools (clinician)', { url: `${baseUrl}/api/inbox/pools`, headers: { cookie: clinicianCookie } });
  await measure('POST …/messages/threads/:id/messages', {
    url: `${baseUrl}/api/patients/${me.user.patientId}/messages/threads/${await openThreadOf(baseUrl, me.user.patientId, patientCookie)}/messages`,
    method: 'POST',
    headers: { ...headers, cookie: patientCookie },
    body: JSON.stringify({ body: 'Thank you, that helps.' }),
  });
  const patientBase = `${baseUrl}/api/patients/${me.user.patientId}`;
  await measure('GET …/appointments (upcoming)', { url: `${patientBase}/appointments?when=upcoming`, headers: { cookie: patientCookie } });
  const options = (await (await fetch(`${patientBase}/scheduling/options`, { headers: { cookie: patientCookie } })).json()) as {
    visitTypes: { id: string; departments: { id: string }[] }[];
  };
  const bookable = options.visitTypes.find((v) => v.departments.length > 0);
  if (bookable) {
    const query = new URLSearchParams({ visitTypeId: bookable.id, departmentId: bookable.departments[0]!.id, days: '14' });
    await measure('GET …/scheduling/slots (14 days)', {
      url: `${patientBase}/scheduling/slots?${query.toString()}`,
      headers: { cookie: patientCookie },
    });
  }
  // MyPatients (issue 12): an outside pediatrician reads a practice patient's health summary through the PCP's practice.
  const providerCookie = await signIn(baseUrl, 'dr.harbor');
  const selection = (await (
    await fetch(`${baseUrl}/api/mypatients/search`, {
      method: 'POST',
      headers: { ...headers, cookie: providerCookie },
      body: JSON.stringify({ mrn: '100004' }),
    })
  ).json()) as { patients: { patientId: string; authorized: boolean }[] };
  const practicePatient = selection.patients.find((p) => p.authorized);
  if (practicePatient) {
    await measure('GET …/record/summary (outside PCP practice)', {
      url: `${baseUrl}/api/patients/${practicePatient.patientId}/record/summary`,
      headers: { cookie: providerCookie },
    });
  }
  await measure('POST /api/patients/search', {
    url: `${baseUrl}/api/patients/search`,
    method: 'POST',
    headers: { ...headers, cookie: clinicianCookie },
    body: JSON.stringify({ q: 'Al' }),
  });
  // The machine's speed drifts over a run: hello-world again at the end, and the shares against the higher of the two.
  const last = await measure('GET / (hello-world again, at the end)', { url: `http://127.0.0.1:${helloPort}/` });
  const best = Math.max(reference, last);
  const floorRate = measured.find((row) => row.name.startsWith('floor: + 1 durable INSERT'))?.rate ?? 0;
  console.log(`\nShares of hello-world's higher run (${best.toFixed(0)} req/s) and of the audited-read floor:`);
  for (const row of measured.slice(1, -1)) {
    const ofFloor =
      floorRate > 0 && !row.name.startsWith('floor') ? `${((row.rate / floorRate) * 100).toFixed(0).padStart(4)} % of floor` : '';
    console.log(
      `${row.name.padEnd(42)} ${row.rate.toFixed(0).padStart(6)} req/s   p99 ${String(row.p99).padStart(4)} ms   ${((row.rate / best) * 100).toFixed(1).padStart(5)} %   ${ofFloor}${row.errors ? `   non-2xx/errors ${row.errors}` : ''}`,
    );
  }
} finally {
  await stop(hello);
  await stop(floor);
  await stop(child);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (benchDatabase && serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${benchDatabase} with (force)`);
    await admin.end();
  }
}
