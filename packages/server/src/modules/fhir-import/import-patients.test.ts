import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { fhirResources, patients } from '../../db/schema/index.ts';
import { buildOrganization } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { planBundle, type PlanLookups } from './bundle-plan.ts';
import { importBundle } from './import.service.ts';

const audit = { requestId: 'import-patients-test', ipAddress: null, actorUserId: null };

let t: TestApp;
let org: Awaited<ReturnType<typeof buildOrganization>>;

beforeAll(async () => {
  t = await buildTestApp();
  org = await buildOrganization(t.db);
});
afterAll(() => t.close());

type Entry = { fullUrl?: string; resource: Record<string, unknown>; request?: { method: string; url: string } };

function bundleOf(type: 'transaction' | 'batch', entries: Entry[]) {
  return { resourceType: 'Bundle', type, entry: entries.map((e) => ({ request: { method: 'POST', url: e.resource.resourceType }, ...e })) };
}

/** A Patient with only a driver's licence and an SSN: no identifier of type MR. */
function patientWithoutMrn(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id,
    identifier: [
      { system: 'urn:oid:2.16.840.1.113883.4.3.25', value: `S999-${id}` },
      { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-12-3456' },
    ],
    name: [{ use: 'official', family: 'Okonkwo', given: ['Chidi'] }],
    gender: 'male',
    birthDate: '1979-11-02',
    ...extra,
  };
}

function observationOf(subject: string): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: subject },
    effectiveDateTime: '2026-02-01T10:00:00Z',
    valueQuantity: { value: 64, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

const patientIdOf = (outcome: Awaited<ReturnType<typeof importBundle>>) => outcome.response.entry![0]!.fullUrl!.split('/')[1]!;

describe('a Patient without an MRN', () => {
  it('is given a local MRN of ours, keeps its source identifiers, and brings its record with it', async () => {
    const outcome = await importBundle(t.db, {
      organizationId: org.organization.id,
      audit,
      bundle: bundleOf('transaction', [
        { fullUrl: 'urn:uuid:no-mrn-1', resource: patientWithoutMrn('no-mrn-1') },
        { fullUrl: 'urn:uuid:no-mrn-1-obs', resource: observationOf('urn:uuid:no-mrn-1') },
      ]),
    });
    expect(outcome.counts).toMatchObject({ created: 2, failed: 0, patientsCreated: 1 });
    const patientId = patientIdOf(outcome);
    const [row] = await t.db.select().from(patients).where(eq(patients.id, patientId));
    // Digits only, like the portal's own MRNs (the staff search reads a number as an MRN), and long enough not to guess.
    expect(row!.mrn).toMatch(/^[1-9]\d{9}$/);
    expect(row).toMatchObject({ givenName: 'Chidi', familyName: 'Okonkwo', birthDate: '1979-11-02' });
    const [stored] = await t.db.select().from(fhirResources).where(eq(fhirResources.id, patientId));
    const identifiers = (stored!.resource as fhir4.Patient).identifier!;
    expect(identifiers.map((i) => i.value)).toEqual(expect.arrayContaining(['S999-no-mrn-1', '999-12-3456']));
    const [obs] = await t.db.select({ n: count() }).from(fhirResources).where(eq(fhirResources.patientId, patientId));
    expect(obs!.n).toBe(2);
  });

  it('lands on the same patient with the same MRN when imported again, and two sources get two MRNs', async () => {
    const bundle = () =>
      bundleOf('batch', [
        { fullUrl: 'urn:uuid:no-mrn-2', resource: patientWithoutMrn('no-mrn-2') },
        { fullUrl: 'urn:uuid:no-mrn-2-obs', resource: observationOf('urn:uuid:no-mrn-2') },
      ]);
    const first = await importBundle(t.db, { organizationId: org.organization.id, audit, bundle: bundle() });
    const again = await importBundle(t.db, { organizationId: org.organization.id, audit, bundle: bundle() });
    expect(patientIdOf(again)).toBe(patientIdOf(first));
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2, patientsCreated: 0, patientsMatched: 1 });
    const rows = await t.db
      .select()
      .from(patients)
      .where(and(eq(patients.organizationId, org.organization.id), eq(patients.familyName, 'Okonkwo')));
    expect(rows).toHaveLength(2);
    expect(rows[0]!.mrn).not.toBe(rows[1]!.mrn);

    // The same source in another organization: another patient, another MRN.
    const other = await buildOrganization(t.db);
    const elsewhere = await importBundle(t.db, { organizationId: other.organization.id, audit, bundle: bundle() });
    const [there] = await t.db
      .select()
      .from(patients)
      .where(eq(patients.id, patientIdOf(elsewhere)));
    expect(there!.organizationId).toBe(other.organization.id);
    expect(patientIdOf(elsewhere)).not.toBe(patientIdOf(first));
  });

  it('never takes an MRN an existing patient of the organization holds', async () => {
    const minted = ['5550001234', '5550005678'];
    const lookups: PlanLookups = {
      patientsByMrn: (mrns) => Promise.resolve(new Map(mrns.filter((m) => m === '5550001234').map((m) => [m, 'someone-else']))),
      patientsById: () => Promise.resolve(new Map()),
      resourcesByIdentifier: () => Promise.resolve([]),
      existingResources: () => Promise.resolve(new Map()),
    };
    const plan = await planBundle(
      bundleOf('transaction', [{ fullUrl: 'urn:uuid:no-mrn-3', resource: patientWithoutMrn('no-mrn-3') }]),
      org.organization.id,
      lookups,
      { mintMrn: () => minted.shift()! },
    );
    if (Array.isArray(plan)) throw new Error('refused');
    expect(plan.patients.map((p) => p.mrn)).toEqual(['5550005678']);
  });
});

describe("the patient's name", () => {
  it('is the current official name, not an old one whose period has ended', async () => {
    const resource = {
      ...patientWithoutMrn('names-1'),
      identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, value: 'NAMES-1' }],
      name: [
        { use: 'old', family: 'Maiden', given: ['Ada'], period: { end: '2001-06-30' } },
        { use: 'official', family: 'Former', given: ['Ada'], period: { start: '2001-07-01', end: '2010-01-01' } },
        { use: 'nickname', given: ['Addie'], family: 'Married' },
        { use: 'official', family: 'Married', given: ['Ada', 'Grace'], period: { start: '2010-01-01' } },
      ],
    };
    const outcome = await importBundle(t.db, {
      organizationId: org.organization.id,
      audit,
      bundle: bundleOf('transaction', [{ fullUrl: 'urn:uuid:names-1', resource }]),
    });
    const [row] = await t.db
      .select()
      .from(patients)
      .where(eq(patients.id, patientIdOf(outcome)));
    expect(row).toMatchObject({ givenName: 'Ada Grace', familyName: 'Married' });
  });

  it('falls back to the usual name, then any name not old or ended, then the first', async () => {
    const withNames = (mrn: string, name: unknown[]) => ({
      ...patientWithoutMrn(mrn),
      identifier: [{ type: { coding: [{ code: 'MR' }] }, value: mrn }],
      name,
    });
    const outcome = await importBundle(t.db, {
      organizationId: org.organization.id,
      audit,
      bundle: bundleOf('batch', [
        {
          resource: withNames('NAMES-2', [
            { use: 'official', family: 'Gone', given: ['Ola'], period: { end: '2015-01-01T00:00:00Z' } },
            { use: 'usual', family: 'Usual', given: ['Ola'] },
          ]),
        },
        {
          resource: withNames('NAMES-3', [
            { use: 'old', family: 'Old', given: ['Ben'] },
            { family: 'Ended', given: ['Ben'], period: { end: '2012' } },
            { use: 'anonymous', family: 'Current', given: ['Ben'] },
          ]),
        },
        {
          resource: withNames('NAMES-4', [
            { use: 'old', family: 'First', given: ['Cy'] },
            { use: 'old', family: 'Second', given: ['Cy'] },
          ]),
        },
      ]),
    });
    const names = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const [row] = await t.db
          .select()
          .from(patients)
          .where(eq(patients.id, outcome.response.entry![i]!.fullUrl!.split('/')[1]!));
        return row!.familyName;
      }),
    );
    expect(names).toEqual(['Usual', 'Current', 'First']);
  });
});

describe('entries that refer to a refused Patient', () => {
  it('say the Patient they refer to was refused, naming its entry', async () => {
    const outcome = await importBundle(t.db, {
      organizationId: org.organization.id,
      audit,
      bundle: bundleOf('batch', [
        { fullUrl: 'urn:uuid:ok-obs', resource: observationOf('urn:uuid:refused-patient') },
        { fullUrl: 'urn:uuid:refused-patient', resource: { ...patientWithoutMrn('refused-patient'), birthDate: '1979' } },
        { resource: observationOf('Patient/refused-patient') },
      ]),
    });
    expect(outcome.response.entry!.map((e) => e.response!.status)).toEqual(['400 Bad Request', '400 Bad Request', '400 Bad Request']);
    const diagnostics = (i: number) =>
      (outcome.response.entry![i]!.response!.outcome as fhir4.OperationOutcome).issue.map((issue) => issue.diagnostics).join(' ');
    expect(diagnostics(1)).toMatch(/birthDate/);
    for (const i of [0, 2]) {
      expect(diagnostics(i)).toMatch(/Patient of entry 1, which was refused/);
      expect(diagnostics(i)).not.toMatch(/matches no entry/);
    }
  });
});
