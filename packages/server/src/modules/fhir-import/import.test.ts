import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import { FhirError } from '@portico/fhir';
import { requireSynthea, syntheaAvailable, syntheaDir, syntheaFiles } from '@portico/fhir/testing';
import { queryRows } from '../../db/client.ts';
import { auditEvents, fhirResources, fhirResourceVersions, patients } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { importFiles } from './import-files.ts';
import { importBundle } from './import.service.ts';

/** The shared Synthea sample as the tests read it: each file's parsed Bundle. */
type Bundle = {
  resourceType: 'Bundle';
  type: string;
  entry: { fullUrl?: string; resource: Record<string, unknown> & { resourceType: string; id?: string }; request?: unknown }[];
};

const files = syntheaAvailable() ? syntheaFiles() : [];
const readBundle = (name: string): Bundle => JSON.parse(readFileSync(path.join(syntheaDir(), name), 'utf8')) as Bundle;
const audit = { requestId: 'import-test', ipAddress: null, actorUserId: null };

let t: TestApp;
let org: Awaited<ReturnType<typeof buildOrganization>>;

beforeAll(async () => {
  t = await buildTestApp();
  org = await buildOrganization(t.db);
});
afterAll(() => t.close());

async function countRows(organizationId: string) {
  const [row] = await t.db.select({ n: count() }).from(fhirResources).where(eq(fhirResources.organizationId, organizationId));
  return row!.n;
}

/** A small transaction Bundle of one new patient, in Synthea's shape. */
function smallBundle(mrn: string, extra: Bundle['entry'] = []): Bundle {
  const patientUrl = `urn:uuid:${mrn}-patient`;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: patientUrl,
        resource: {
          resourceType: 'Patient',
          identifier: [
            { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'urn:test', value: mrn },
          ],
          name: [{ family: 'Okafor', given: ['Ada'] }],
          gender: 'female',
          birthDate: '1984-02-29',
        },
        request: { method: 'POST', url: 'Patient' },
      },
      {
        fullUrl: `urn:uuid:${mrn}-obs`,
        resource: {
          resourceType: 'Observation',
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
          subject: { reference: patientUrl },
          effectiveDateTime: '2026-01-05T09:30:00Z',
          valueQuantity: { value: 101, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
        },
        request: { method: 'POST', url: 'Observation' },
      },
      ...extra,
    ],
  };
}

describe('importing the shared Synthea sample', () => {
  let sampleOrg: Awaited<ReturnType<typeof buildOrganization>>;
  beforeEach((ctx) => requireSynthea(ctx));

  beforeAll(async () => {
    sampleOrg = await buildOrganization(t.db);
    const outcomes = await importFiles(
      t.db,
      files.map((f) => path.join(syntheaDir(), f)),
      { organizationId: sampleOrg.organization.id, audit, concurrency: 2 },
    );
    expect(outcomes.filter((o) => !o.counts).map((o) => [path.basename(o.file), o.issues.slice(0, 3)])).toEqual([]);
  }, 240_000);

  it('stores every distinct resource of the 52 files once', async () => {
    const expected = new Map<string, Set<string>>();
    for (const file of files) {
      for (const { resource } of readBundle(file).entry) {
        const ids = expected.get(resource.resourceType) ?? new Set<string>();
        ids.add(resource.id!);
        expected.set(resource.resourceType, ids);
      }
    }
    const rows = await t.db
      .select({ type: fhirResources.resourceType, n: count() })
      .from(fhirResources)
      .where(eq(fhirResources.organizationId, sampleOrg.organization.id))
      .groupBy(fhirResources.resourceType);
    const stored = Object.fromEntries(rows.map((r) => [r.type, r.n]));
    const wanted = Object.fromEntries([...expected].map(([type, ids]) => [type, ids.size]));
    expect(stored).toEqual(wanted);
    expect(wanted.Patient).toBe(50);
  });

  it('gives each patient a portal patient row by MRN and every compartment resource its patient', async () => {
    const rows = await t.db.select().from(patients).where(eq(patients.organizationId, sampleOrg.organization.id));
    expect(rows).toHaveLength(50);
    const alden = files.find((f) => f.startsWith('Alden_Considine'))!;
    const bundle = readBundle(alden);
    const patient = bundle.entry[0]!.resource as unknown as fhir4.Patient;
    const mrn = patient.identifier!.find((i) => i.type?.coding?.[0]?.code === 'MR')!.value!;
    const row = rows.find((r) => r.mrn === mrn)!;
    expect(row).toMatchObject({
      givenName: patient.name![0]!.given!.join(' '),
      familyName: patient.name![0]!.family,
      birthDate: patient.birthDate,
    });
    const compartmentTypes = new Set([
      'Encounter',
      'Condition',
      'Observation',
      'Procedure',
      'Immunization',
      'MedicationRequest',
      'DiagnosticReport',
      'CarePlan',
      'Goal',
      'AllergyIntolerance',
      'Claim',
      'ExplanationOfBenefit',
      'ImagingStudy',
    ]);
    const expectedCount = bundle.entry.filter((e) => compartmentTypes.has(e.resource.resourceType)).length + 1;
    const [stored] = await t.db.select({ n: count() }).from(fhirResources).where(eq(fhirResources.patientId, row.id));
    expect(stored!.n).toBe(expectedCount);
  });

  it('rewrites every reference to a stored resource of the organization', async () => {
    const dangling = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from fhir_resources f,
            lateral jsonb_path_query(f.resource, 'strict $.**.reference') as ref
          where f.organization_id = ${sampleOrg.organization.id}
            and ref #>> '{}' ~ '^[A-Z][A-Za-z]+/[0-9a-f-]{36}$'
            and not exists (select 1 from fhir_resources g where g.id = split_part(ref #>> '{}', '/', 2)::uuid and g.organization_id = f.organization_id)`,
    );
    expect(dangling[0]!.n).toBe(0);
    const unresolved = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from fhir_resources f, lateral jsonb_path_query(f.resource, 'strict $.**.reference') as ref
          where f.organization_id = ${sampleOrg.organization.id} and ref #>> '{}' like 'urn:uuid:%'`,
    );
    expect(unresolved[0]!.n).toBe(0);
  });

  it('re-importing a file duplicates nothing, and a second re-import changes nothing at all', async () => {
    const before = await countRows(sampleOrg.organization.id);
    const historyCount = async () =>
      (
        await t.db
          .select({ n: count() })
          .from(fhirResourceVersions)
          .where(eq(fhirResourceVersions.organizationId, sampleOrg.organization.id))
      )[0]!.n;
    const file = files.find((f) => !/hospital|practitioner/i.test(f))!;
    // The sample's patient bundles repeat the shared hospitals and practitioners with other utilization counts, so the
    // first re-import may version those; the patient's own resources are unchanged.
    const first = await importBundle(t.db, { organizationId: sampleOrg.organization.id, bundle: readBundle(file), audit });
    expect(first.counts).toMatchObject({ created: 0, failed: 0, patientsCreated: 0, patientsMatched: 1 });
    const historyBefore = await historyCount();
    const second = await importBundle(t.db, { organizationId: sampleOrg.organization.id, bundle: readBundle(file), audit });
    expect(second.counts).toMatchObject({ created: 0, updated: 0, failed: 0, patientsCreated: 0, patientsMatched: 1 });
    expect(second.counts.unchanged).toBe(second.counts.entries);
    expect(await countRows(sampleOrg.organization.id)).toBe(before);
    expect(await historyCount()).toBe(historyBefore);
  });
});

describe('one bundle', () => {
  it('creates a patient and is idempotent; a changed resource becomes version 2 with the old one in history', async () => {
    const bundle = smallBundle('MRN-IDEMP-1');
    const first = await importBundle(t.db, { organizationId: org.organization.id, bundle: structuredClone(bundle), audit });
    expect(first.counts).toMatchObject({ entries: 2, created: 2, updated: 0, patientsCreated: 1 });
    expect(first.response.type).toBe('transaction-response');
    expect(first.response.entry!.map((e) => e.response!.status)).toEqual(['201 Created', '201 Created']);

    const again = await importBundle(t.db, { organizationId: org.organization.id, bundle: structuredClone(bundle), audit });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2, patientsMatched: 1 });

    const changed = structuredClone(bundle);
    (changed.entry[1]!.resource as unknown as { valueQuantity: { value: number } }).valueQuantity.value = 250;
    const third = await importBundle(t.db, { organizationId: org.organization.id, bundle: changed, audit });
    expect(third.counts).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const obsId = third.response.entry![1]!.fullUrl!.split('/')[1]!;
    const [row] = await t.db.select().from(fhirResources).where(eq(fhirResources.id, obsId));
    expect(row!.versionId).toBe(2);
    expect((row!.resource as { valueQuantity: { value: number } }).valueQuantity.value).toBe(250);
    const history = await t.db.select().from(fhirResourceVersions).where(eq(fhirResourceVersions.id, obsId));
    expect(history.map((h) => [h.versionId, (h.resource as { valueQuantity: { value: number } }).valueQuantity.value])).toEqual([[1, 101]]);
  });

  it('matches an existing portal patient by MRN instead of creating one', async () => {
    const { patient: existing } = await buildPatient(t.db, org.organization.id, { mrn: 'MRN-EXISTING-7' });
    const outcome = await importBundle(t.db, { organizationId: org.organization.id, bundle: smallBundle('MRN-EXISTING-7'), audit });
    expect(outcome.counts).toMatchObject({ patientsCreated: 0, patientsMatched: 1 });
    const rows = await t.db.select().from(fhirResources).where(eq(fhirResources.patientId, existing.id));
    expect(rows.map((r) => r.resourceType).sort()).toEqual(['Observation', 'Patient']);
    const [patient] = await t.db.select().from(patients).where(eq(patients.id, existing.id));
    expect(patient).toMatchObject({ givenName: 'Ada', familyName: 'Okafor', birthDate: '1984-02-29' });
  });

  it('refuses a transaction with one bad entry atomically, naming the entry and path', async () => {
    const before = await countRows(org.organization.id);
    const bad = smallBundle('MRN-BAD-1', [
      {
        fullUrl: 'urn:uuid:bad-1',
        resource: { resourceType: 'Observation', code: { text: 'x' }, subject: { reference: 'urn:uuid:MRN-BAD-1-patient' } },
        request: { method: 'POST', url: 'Observation' },
      },
    ]);
    const error = await importBundle(t.db, { organizationId: org.organization.id, bundle: bad, audit }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirError);
    const issues = (error as FhirError).issues;
    expect(issues.some((i) => i.expression?.includes('Bundle.entry[2].resource.status'))).toBe(true);
    expect(await countRows(org.organization.id)).toBe(before);
    const [p] = await t.db
      .select({ n: count() })
      .from(patients)
      .where(and(eq(patients.organizationId, org.organization.id), eq(patients.mrn, 'MRN-BAD-1')));
    expect(p!.n).toBe(0);
  });

  it('refuses a reference to nothing, and a bundle that is not a transaction or batch', async () => {
    const dangling = smallBundle('MRN-DANGLING', [
      {
        fullUrl: 'urn:uuid:enc-1',
        resource: { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'urn:uuid:nobody' } },
        request: { method: 'POST', url: 'Encounter' },
      },
    ]);
    const error = (await importBundle(t.db, { organizationId: org.organization.id, bundle: dangling, audit }).catch(
      (e: unknown) => e,
    )) as FhirError;
    expect(error.issues[0]).toMatchObject({ code: 'not-found', expression: ['Bundle.entry[2].resource.subject.reference'] });

    const searchset = (await importBundle(t.db, {
      organizationId: org.organization.id,
      bundle: { resourceType: 'Bundle', type: 'searchset' },
      audit,
    }).catch((e: unknown) => e)) as FhirError;
    expect(searchset.issues[0]).toMatchObject({ code: 'not-supported', expression: ['Bundle.type'] });
    const notBundle = (await importBundle(t.db, { organizationId: org.organization.id, bundle: [1, 2], audit }).catch(
      (e: unknown) => e,
    )) as FhirError;
    expect(notBundle).toBeInstanceOf(FhirError);
  });

  it('stores the good entries of a batch and reports the bad one', async () => {
    const bundle = smallBundle('MRN-BATCH-1', [
      {
        fullUrl: 'urn:uuid:batch-bad',
        resource: {
          resourceType: 'Observation',
          status: 'final',
          code: { text: 'x' },
          effectiveDateTime: '2019-13-45',
          subject: { reference: 'urn:uuid:MRN-BATCH-1-patient' },
        },
        request: { method: 'POST', url: 'Observation' },
      },
    ]);
    bundle.type = 'batch';
    const outcome = await importBundle(t.db, { organizationId: org.organization.id, bundle, audit });
    expect(outcome.response.type).toBe('batch-response');
    expect(outcome.response.entry!.map((e) => e.response!.status)).toEqual(['201 Created', '201 Created', '400 Bad Request']);
    const refused = outcome.response.entry![2]!.response!.outcome as fhir4.OperationOutcome;
    expect(refused.issue[0]!.expression![0]).toContain('Bundle.entry[2].resource.effectiveDateTime');
    expect(outcome.counts).toMatchObject({ created: 2, failed: 1 });
  });

  it('resolves a conditional reference to a practitioner stored by an earlier bundle', async () => {
    const npi = { system: 'http://hl7.org/fhir/sid/us-npi', value: '9999912345' };
    await importBundle(t.db, {
      organizationId: org.organization.id,
      audit,
      bundle: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:prac-cond-1',
            resource: {
              resourceType: 'Practitioner',
              identifier: [npi],
              name: [{ family: 'Lindqvist', given: ['Ebba'], prefix: ['Dr.'] }],
            },
            request: { method: 'POST', url: 'Practitioner', ifNoneExist: `identifier=${npi.system}|${npi.value}` },
          },
        ],
      },
    });
    const outcome = await importBundle(t.db, {
      organizationId: org.organization.id,
      audit,
      bundle: smallBundle('MRN-COND-1', [
        {
          fullUrl: 'urn:uuid:enc-cond',
          resource: {
            resourceType: 'Encounter',
            status: 'finished',
            class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
            subject: { reference: 'urn:uuid:MRN-COND-1-patient' },
            participant: [
              { individual: { reference: `Practitioner?identifier=${npi.system}|${npi.value}`, display: 'Dr. Ebba Lindqvist' } },
            ],
            period: { start: '2026-01-05T09:00:00Z', end: '2026-01-05T09:30:00Z' },
          },
          request: { method: 'POST', url: 'Encounter' },
        },
      ]),
    });
    const encounterId = outcome.response.entry![2]!.fullUrl!.split('/')[1]!;
    const [encounter] = await t.db.select().from(fhirResources).where(eq(fhirResources.id, encounterId));
    const reference = (encounter!.resource as fhir4.Encounter).participant![0]!.individual!.reference!;
    const [practitioner] = await t.db
      .select()
      .from(fhirResources)
      .where(eq(fhirResources.id, reference.split('/')[1]!));
    expect(practitioner).toMatchObject({ resourceType: 'Practitioner', organizationId: org.organization.id });

    const unknown = (await importBundle(t.db, {
      organizationId: org.organization.id,
      audit,
      bundle: smallBundle('MRN-COND-2', [
        {
          resource: {
            resourceType: 'Encounter',
            status: 'finished',
            class: { code: 'AMB' },
            subject: { reference: 'urn:uuid:MRN-COND-2-patient' },
            serviceProvider: { reference: 'Organization?identifier=urn:x|nope' },
          },
          request: { method: 'POST', url: 'Encounter' },
        },
      ]),
    }).catch((e: unknown) => e)) as FhirError;
    expect(unknown.issues[0]).toMatchObject({ code: 'not-found', expression: ['Bundle.entry[2].resource.serviceProvider.reference'] });
  });

  it('finds an imported patient again by the source id a later bundle refers to', async () => {
    const first = await importBundle(t.db, { organizationId: org.organization.id, bundle: smallBundle('MRN-SRC-1'), audit });
    const patientId = first.response.entry![0]!.fullUrl!.split('/')[1]!;
    const later = await importBundle(t.db, {
      organizationId: org.organization.id,
      audit,
      bundle: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          {
            resource: {
              resourceType: 'Observation',
              status: 'final',
              code: { text: 'Note' },
              subject: { reference: 'Patient/MRN-SRC-1-patient' },
              valueString: 'ok',
            },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      },
    });
    expect(later.response.entry![0]!.response!.status).toBe('201 Created');
    const [row] = await t.db
      .select()
      .from(fhirResources)
      .where(eq(fhirResources.id, later.response.entry![0]!.fullUrl!.split('/')[1]!));
    expect(row!.patientId).toBe(patientId);
    expect((row!.resource as fhir4.Observation).subject!.reference).toBe(`Patient/${patientId}`);
  });

  it('keeps organizations apart: the same bundle in two organizations makes two records', async () => {
    const other = await buildOrganization(t.db);
    await importBundle(t.db, { organizationId: org.organization.id, bundle: smallBundle('MRN-TWO-ORGS'), audit });
    await importBundle(t.db, { organizationId: other.organization.id, bundle: smallBundle('MRN-TWO-ORGS'), audit });
    const rows = await t.db.select().from(patients).where(eq(patients.mrn, 'MRN-TWO-ORGS'));
    expect(new Set(rows.map((r) => r.organizationId))).toEqual(new Set([org.organization.id, other.organization.id]));
    expect(rows[0]!.id).not.toBe(rows[1]!.id);
  });

  it('audits the import and each patient it wrote', async () => {
    const outcome = await importBundle(t.db, {
      organizationId: org.organization.id,
      bundle: smallBundle('MRN-AUDIT-1'),
      audit: { ...audit, requestId: 'audit-check' },
    });
    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.requestId, 'audit-check'));
    const patientId = outcome.response.entry![0]!.fullUrl!.split('/')[1]!;
    expect(events.map((e) => [e.action, e.patientId])).toEqual(
      expect.arrayContaining([
        ['fhir.import', null],
        ['fhir.import.patient', patientId],
      ]),
    );
  });
});

describe('confidential content (issue 11 §1)', () => {
  it('marks a resource confidential when meta.security holds v3 Confidentiality R or V, and clears it when the label goes', async () => {
    const mrn = `CONF${Date.now()}`;
    // An organization of its own, so no other test's encounters share it.
    const own = (await buildOrganization(t.db)).organization.id;
    const encounter = (security: object[]) => ({
      fullUrl: `urn:uuid:${mrn}-enc`,
      resource: {
        resourceType: 'Encounter',
        id: '6f1c3a52-7d0e-4b4e-9a55-0c1d2e3f4a5b',
        meta: { security },
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: `urn:uuid:${mrn}-patient` },
        period: { start: '2026-01-05T09:00:00Z', end: '2026-01-05T09:30:00Z' },
      },
      request: { method: 'PUT', url: 'Encounter/6f1c3a52-7d0e-4b4e-9a55-0c1d2e3f4a5b' },
    });
    const restricted = [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }];
    // The importer gives the resource its own id: find it by its organization and period.
    const encounterRow = and(
      eq(fhirResources.organizationId, own),
      eq(fhirResources.resourceType, 'Encounter'),
      sql`${fhirResources.resource} -> 'period' ->> 'start' = '2026-01-05T09:00:00Z'`,
    );
    await importBundle(t.db, { organizationId: own, bundle: smallBundle(mrn, [encounter(restricted)]), audit });
    const rows = await t.db
      .select({ type: fhirResources.resourceType, confidential: fhirResources.confidential, sensitive: fhirResources.sensitiveCategory })
      .from(fhirResources)
      .where(encounterRow);
    expect(rows).toEqual([{ type: 'Encounter', confidential: true, sensitive: null }]);
    const normal = [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }];
    await importBundle(t.db, { organizationId: own, bundle: smallBundle(mrn, [encounter(normal)]), audit });
    const after = await t.db.select({ confidential: fhirResources.confidential }).from(fhirResources).where(encounterRow);
    expect(after).toEqual([{ confidential: false }]);
  });
});
