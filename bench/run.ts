/**
 * `npm run bench`: starts Portico as its own process on a fresh embedded database with demo data (or uses
 * BENCH_URL), signs in the demo users, and measures the hot endpoints with autocannon.
 * Set DATABASE_URL (with PORTICO_DEMO=1 and a demo-seeded database) to measure PostgreSQL instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { currentTotpCode } from '../packages/server/src/modules/auth/totp.ts';

const duration = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const port = Number(process.env.BENCH_PORT ?? 3999);
const headers = { 'content-type': 'application/json', 'x-requested-with': 'portico' };

async function waitForReady(baseUrl: string, child: ChildProcess | null): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child && child.exitCode !== null) throw new Error('the server exited before it was ready');
    try {
      if ((await fetch(`${baseUrl}/api/ready`)).ok) return;
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

async function measure(name: string, options: autocannon.Options): Promise<void> {
  const result = await autocannon({ duration, connections, ...options });
  const errors = result.non2xx + result.errors;
  console.log(
    `${name.padEnd(34)} ${result.requests.average.toFixed(0).padStart(6)} req/s   p50 ${String(result.latency.p50).padStart(4)} ms   p99 ${String(result.latency.p99).padStart(4)} ms   non-2xx/errors ${errors}`,
  );
}

const external = process.env.BENCH_URL;
const baseUrl = external ?? `http://127.0.0.1:${port}`;
let child: ChildProcess | null = null;
const dataDir = external ? null : mkdtempSync(path.join(os.tmpdir(), 'portico-bench-'));
if (!external) {
  child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    env: { ...process.env, PORT: String(port), PORTICO_DATA_DIR: dataDir ?? '', LOG_LEVEL: 'warn', PORTICO_DEMO: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
try {
  await waitForReady(baseUrl, child);
  const patientCookie = await signIn(baseUrl, 'patient');
  const clinicianCookie = await signIn(baseUrl, 'clinician');
  const me = (await (await fetch(`${baseUrl}/api/auth/me`, { headers: { cookie: patientCookie } })).json()) as {
    user: { patientId: string };
  };
  console.log(`Portico benchmarks: ${connections} connections, ${duration} s each, against ${baseUrl}`);
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
  await measure('POST /api/patients/search', {
    url: `${baseUrl}/api/patients/search`,
    method: 'POST',
    headers: { ...headers, cookie: clinicianCookie },
    body: JSON.stringify({ q: 'Al' }),
  });
} finally {
  child?.kill('SIGTERM');
  if (child) await new Promise((r) => child?.once('exit', r));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
