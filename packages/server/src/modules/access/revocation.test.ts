import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { accessGrants, memberships } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, signInAs } from '../../test/factories.ts';
import { csrfHeaders, testConfig } from '../../test/test-app.ts';
import { createTestDatabase } from '../../test/test-database.ts';

/**
 * Revocation and role changes take effect on the next request, in every server process (SECURITY.md "Sessions"): one
 * app in this process and a second Portico server process share the database; neither caches access.
 */
let handle: DatabaseHandle & { url: string };
let app: FastifyInstance;
let child: ChildProcess;
let childUrl = '';
let dataDir = '';
let patientId = '';
let parentToken = '';
let nurseToken = '';
let nurseId = '';
let grantId = '';
let organizationId = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForReady(url: string, process: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`the second server exited with ${process.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the second server did not start within 60 s');
}

beforeAll(async () => {
  handle = await createTestDatabase();
  const { organization, department } = await buildOrganization(handle.db);
  const { patient } = await buildPatient(handle.db, organization.id, { birthDate: '2019-06-01' });
  patientId = patient.id;
  organizationId = organization.id;
  const parent = await buildUser(handle.db, { role: 'proxy' });
  const [grant] = await handle.db
    .insert(accessGrants)
    .values({
      granteeUserId: parent.id,
      patientId,
      kind: 'proxy',
      level: 'full',
      categories: ['demographics', 'clinical', 'appointments'],
      reason: 'mother',
    })
    .returning({ id: accessGrants.id });
  grantId = grant!.id;
  parentToken = await signInAs(handle.db, parent);
  const nurse = await buildUser(handle.db, { role: 'nurse', organizationId: organization.id, mfa: true, departmentId: department.id });
  nurseId = nurse.id;
  nurseToken = await signInAs(handle.db, nurse);

  app = await buildApp({ config: testConfig(), database: handle, logger: false });
  await app.ready();

  const port = await freePort();
  dataDir = await mkdtemp(path.join(tmpdir(), 'portico-revocation-'));
  childUrl = `http://127.0.0.1:${port}`;
  const main = path.resolve('packages/server/src/main.ts');
  child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: {
      ...process.env,
      DATABASE_URL: handle.url,
      PORT: String(port),
      PORTICO_DEMO: '0',
      PORTICO_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
    },
    stdio: 'ignore',
  });
  await waitForReady(childUrl, child);
}, 90_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await app?.close();
  await handle?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const summaryPath = () => `/api/patients/${patientId}/summary`;
async function inProcess(token: string): Promise<number> {
  return (await app.inject({ method: 'GET', url: summaryPath(), headers: { cookie: `portico_session=${token}` } })).statusCode;
}
async function inOtherProcess(token: string): Promise<number> {
  return (await fetch(`${childUrl}${summaryPath()}`, { headers: { cookie: `portico_session=${token}` } })).status;
}

describe('revocation across server processes', () => {
  it('ends a proxy grant on the very next request, in this process and in the other', async () => {
    expect(await inProcess(parentToken)).toBe(200);
    expect(await inOtherProcess(parentToken)).toBe(200);
    await handle.db.update(accessGrants).set({ revokedAt: new Date() }).where(eq(accessGrants.id, grantId));
    expect(await inOtherProcess(parentToken)).toBe(404);
    expect(await inProcess(parentToken)).toBe(404);
  });

  it('ends a proxy the patient revokes from the Sharing page on the proxy’s next request in the other process', async () => {
    const { patient, user } = await buildPatient(handle.db, organizationId, { withAccount: true, birthDate: '1960-02-02' });
    const daughter = await buildUser(handle.db, { role: 'proxy' });
    const [grant] = await handle.db
      .insert(accessGrants)
      .values({
        granteeUserId: daughter.id,
        patientId: patient.id,
        kind: 'proxy',
        relationship: 'invited',
        level: 'full',
        categories: ['demographics', 'clinical', 'appointments'],
        grantedBy: user!.id,
      })
      .returning({ id: accessGrants.id });
    const token = await signInAs(handle.db, daughter);
    const summary = async () =>
      (await fetch(`${childUrl}/api/patients/${patient.id}/summary`, { headers: { cookie: `portico_session=${token}` } })).status;
    expect(await summary()).toBe(200);
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/api/patients/${patient.id}/sharing/${grant!.id}`,
      headers: { ...csrfHeaders, cookie: `portico_session=${await signInAs(handle.db, user!)}` },
      payload: { reason: 'Moving on' },
    });
    expect(revoked.statusCode).toBe(200);
    expect(await summary()).toBe(404);
  });

  it('ends a staff membership (a role change) on the next request in both processes', async () => {
    expect(await inOtherProcess(nurseToken)).toBe(200);
    expect(await inProcess(nurseToken)).toBe(200);
    await handle.db
      .update(memberships)
      .set({ endedAt: new Date() })
      .where(and(eq(memberships.userId, nurseId), eq(memberships.role, 'nurse')));
    expect(await inOtherProcess(nurseToken)).toBe(404);
    expect(await inProcess(nurseToken)).toBe(404);
  });
});
