import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { syntheaDir, syntheaFiles } from '@portico/fhir/testing';
import { fhirResources, fhirResourceVersions, patients } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { portalMrnSystem } from './patient-identity.ts';
import { importBundle } from './import.service.ts';

const audit = { requestId: 'round-trip-test', ipAddress: null, actorUserId: null };
const allSections = ['problems', 'allergies', 'medications', 'immunizations', 'carePlans', 'visits', 'results'];
const v20203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

let t: TestApp;
let org: Awaited<ReturnType<typeof buildOrganization>>;

beforeAll(async () => {
  t = await buildTestApp();
  org = await buildOrganization(t.db);
});
afterAll(() => t.close());

/** The patient's own download (their own record: no staff access rule in the way). */
async function exportOf(patientId: string): Promise<fhir4.Bundle> {
  const [row] = await t.db.select({ userId: patients.userId }).from(patients).where(eq(patients.id, patientId));
  let userId = row!.userId;
  if (!userId) {
    userId = (await buildUser(t.db, { role: 'patient', organizationId: org.organization.id })).id;
    await t.db.update(patients).set({ userId }).where(eq(patients.id, patientId));
  }
  const token = await signInAs(t.db, { id: userId });
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/patients/${patientId}/record/export`,
    headers: { ...csrfHeaders, ...cookieFor(token) },
    payload: { format: 'fhir', sections: allSections },
  });
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body) as fhir4.Bundle;
}

async function counts() {
  const n = async (table: typeof patients | typeof fhirResources | typeof fhirResourceVersions) =>
    (await t.db.select({ n: count() }).from(table).where(eq(table.organizationId, org.organization.id)))[0]!.n;
  return { patients: await n(patients), resources: await n(fhirResources), versions: await n(fhirResourceVersions) };
}

function mrnOf(bundle: fhir4.Bundle): fhir4.Identifier[] {
  const patient = bundle.entry![0]!.resource as fhir4.Patient;
  expect(patient.resourceType).toBe('Patient');
  return (patient.identifier ?? []).filter((i) => i.system === portalMrnSystem(org.organization.id));
}

describe('the exported Patient', () => {
  it("carries the MRN with our organization's system and the v2-0203 MR type (US Core)", async () => {
    const { patient } = await buildPatient(t.db, org.organization.id);
    const bundle = await exportOf(patient.id);
    expect(mrnOf(bundle)).toEqual([
      expect.objectContaining({
        system: portalMrnSystem(org.organization.id),
        value: patient.mrn,
        type: { coding: [expect.objectContaining({ system: v20203, code: 'MR' })] },
      }),
    ]);
  });
});

describe('importing our own export into the organization it came from', () => {
  it('changes nothing: a Synthea record, exported and imported back', async () => {
    const file = syntheaFiles().find((name) => name.startsWith('Liz_Conn'))!;
    const source = JSON.parse(readFileSync(path.join(syntheaDir(), file), 'utf8')) as unknown;
    await importBundle(t.db, { organizationId: org.organization.id, bundle: source, audit });
    const sourcePatient = (source as fhir4.Bundle).entry![0]!.resource as fhir4.Patient;
    const sourceMrn = sourcePatient.identifier!.find((i) => i.type?.coding?.[0]?.code === 'MR')!.value!;
    const [row] = await t.db.select().from(patients).where(eq(patients.mrn, sourceMrn));

    const bundle = await exportOf(row!.id);
    expect(mrnOf(bundle).map((i) => i.value)).toEqual([sourceMrn]);
    expect(bundle.entry!.length).toBeGreaterThan(20);
    const before = await counts();
    const outcome = await importBundle(t.db, { organizationId: org.organization.id, bundle: structuredClone(bundle), audit });
    expect(outcome.counts).toMatchObject({ created: 0, updated: 0, failed: 0, patientsCreated: 0, patientsMatched: 1 });
    expect(await counts()).toEqual(before);
    // And again from the export taken after the re-import: still the same rows.
    expect(await exportOf(row!.id)).toMatchObject({ entry: bundle.entry });
  }, 60_000);

  it('changes nothing for a patient imported without an MRN of the source', async () => {
    const source = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:round-trip-no-mrn',
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: 'urn:example:clinic', value: 'A-17' }],
            name: [{ use: 'official', family: 'Achterberg', given: ['Wim'] }],
            birthDate: '1950-03-03',
          },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          fullUrl: 'urn:uuid:round-trip-no-mrn-condition',
          resource: {
            resourceType: 'Condition',
            clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
            category: [{ coding: [{ code: 'problem-list-item' }] }],
            code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }] },
            subject: { reference: 'urn:uuid:round-trip-no-mrn' },
          },
          request: { method: 'POST', url: 'Condition' },
        },
      ],
    };
    const first = await importBundle(t.db, { organizationId: org.organization.id, bundle: source, audit });
    const patientId = first.response.entry![0]!.fullUrl!.split('/')[1]!;
    const [row] = await t.db.select().from(patients).where(eq(patients.id, patientId));
    const bundle = await exportOf(patientId);
    expect(mrnOf(bundle).map((i) => i.value)).toEqual([row!.mrn]);
    expect(bundle.entry).toHaveLength(2);

    const before = await counts();
    const outcome = await importBundle(t.db, { organizationId: org.organization.id, bundle: structuredClone(bundle), audit });
    expect(outcome.counts).toMatchObject({ created: 0, updated: 0, failed: 0, patientsCreated: 0, patientsMatched: 1 });
    expect(outcome.response.entry!.map((e) => e.fullUrl)).toEqual(
      bundle.entry!.map((e) => `${e.resource!.resourceType}/${e.resource!.id}`),
    );
    expect(await counts()).toEqual(before);
  });
});
