import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { importFiles } from './import-files.ts';
import { summarizeImport } from './import-summary.ts';

const audit = { requestId: 'import-summary-test', ipAddress: null, actorUserId: null };

let t: TestApp;
let dir: string;
let org: Awaited<ReturnType<typeof buildOrganization>>;

beforeAll(async () => {
  t = await buildTestApp();
  org = await buildOrganization(t.db);
  dir = await mkdtemp(path.join(tmpdir(), 'import-summary-'));
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

const patient = (mrn: string, birthDate: string) => ({
  resourceType: 'Patient',
  identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, value: mrn }],
  name: [{ family: 'Zapata', given: ['Inés'] }],
  birthDate,
});

describe('the import summary (npm run import)', () => {
  it('counts the refused entries of a batch, lists each reason without names, and fails the run', async () => {
    const file = path.join(dir, 'batch.json');
    await writeFile(
      file,
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { fullUrl: 'urn:uuid:summary-ok', resource: patient('SUMMARY-1', '1990-01-01'), request: { method: 'POST', url: 'Patient' } },
          { fullUrl: 'urn:uuid:summary-bad', resource: patient('SUMMARY-2', '1990'), request: { method: 'POST', url: 'Patient' } },
          {
            resource: { resourceType: 'Observation', code: { text: 'x' }, subject: { reference: 'urn:uuid:summary-ok' } },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      }),
    );
    const outcomes = await importFiles(t.db, [file], { organizationId: org.organization.id, audit, concurrency: 1 });
    const summary = summarizeImport(outcomes);
    expect(summary.exitCode).not.toBe(0);
    expect(summary.text).toMatch(/2 refused entries/);
    expect(summary.text).toMatch(/batch\.json: 2 entries refused/);
    expect(summary.text).toMatch(/entry 1: Bundle\.entry\[1\]\.resource\.birthDate: .*birthDate/);
    expect(summary.text).toMatch(/entry 2: Bundle\.entry\[2\]\.resource\.status: /);
    expect(summary.text).not.toMatch(/Zapata|Inés/);
  });

  it('exits 0 when nothing was refused', async () => {
    const file = path.join(dir, 'fine.json');
    await writeFile(
      file,
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'batch',
        entry: [{ resource: patient('SUMMARY-3', '1991-02-03'), request: { method: 'POST', url: 'Patient' } }],
      }),
    );
    const summary = summarizeImport(await importFiles(t.db, [file], { organizationId: org.organization.id, audit, concurrency: 1 }));
    expect(summary.exitCode).toBe(0);
    expect(summary.text).toMatch(/0 refused entries/);
  });
});
