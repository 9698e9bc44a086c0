import { describe, expect, it } from 'vitest';
import { buildRecordBundle } from './record-bundle.ts';

const generatedAt = new Date('2025-03-04T14:30:00.000Z');
const patientId = '6f1c2b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f';
const encounterId = '0b7e6a52-6f0d-4d7e-8a55-3c2f1e0d9c8b';
const observationId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const uuidUrn = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function resources(): fhir4.Resource[] {
  const patient: fhir4.Patient = { resourceType: 'Patient', id: patientId, name: [{ family: 'Quenneville', given: ['Marisol'] }] };
  const encounter: fhir4.Encounter = {
    resourceType: 'Encounter',
    id: encounterId,
    meta: { versionId: '3' },
    status: 'finished',
    class: { code: 'AMB' },
    subject: { reference: `Patient/${patientId}` },
    participant: [{ individual: { reference: 'Practitioner/not-exported', display: 'Dr Ana Ruiz' } }],
  };
  const observation: fhir4.Observation = {
    resourceType: 'Observation',
    id: observationId,
    status: 'final',
    code: { text: 'Potassium' },
    subject: { reference: `Patient/${patientId}` },
    encounter: { reference: `Encounter/${encounterId}/_history/3` },
    performer: [{ reference: '#lab' }, { reference: 'https://other.example/fhir/Organization/1' }],
    hasMember: [{ reference: `Observation/${observationId}/_history/1` }],
    contained: [{ resourceType: 'Organization', id: 'lab', partOf: { reference: 'Organization/not-exported' } }],
  };
  return [patient, encounter, observation];
}

/** Every `reference` string in a value, in document order. */
function referencesIn(node: unknown): string[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap(referencesIn);
  const record = node as Record<string, unknown>;
  const own = typeof record.reference === 'string' ? [record.reference] : [];
  return [...own, ...Object.values(record).flatMap(referencesIn)];
}

describe('buildRecordBundle', () => {
  it('returns a collection Bundle stamped with the time, one urn:uuid entry per resource', () => {
    const bundle = buildRecordBundle({ resources: resources(), generatedAt });
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('collection');
    expect(bundle.timestamp).toBe('2025-03-04T14:30:00.000Z');
    expect(bundle).not.toHaveProperty('total');
    expect(bundle.entry?.map((entry) => [entry.fullUrl, entry.resource?.resourceType, entry.resource?.id])).toEqual([
      [`urn:uuid:${patientId}`, 'Patient', patientId],
      [`urn:uuid:${encounterId}`, 'Encounter', encounterId],
      [`urn:uuid:${observationId}`, 'Observation', observationId],
    ]);
    expect(bundle.entry?.[0]?.resource).toEqual(resources()[0]);
  });

  it('points references at entries in the Bundle and leaves every other reference as written', () => {
    const bundle = buildRecordBundle({ resources: resources(), generatedAt });
    const [, encounter, observation] = bundle.entry ?? [];
    expect(referencesIn(encounter?.resource)).toEqual([`urn:uuid:${patientId}`, 'Practitioner/not-exported']);
    expect(referencesIn(observation?.resource)).toEqual([
      `urn:uuid:${patientId}`,
      // The exported version of the encounter: resolved; another version of the observation: kept.
      `urn:uuid:${encounterId}`,
      '#lab',
      'https://other.example/fhir/Organization/1',
      `Observation/${observationId}/_history/1`,
      'Organization/not-exported',
    ]);
  });

  it('leaves no urn:uuid reference without a target entry', () => {
    const input = resources();
    const bundle = buildRecordBundle({ resources: input, generatedAt });
    const fullUrls = new Set(bundle.entry?.map((entry) => entry.fullUrl));
    const written = new Set(input.flatMap(referencesIn));
    for (const reference of bundle.entry?.flatMap((entry) => referencesIn(entry.resource)) ?? []) {
      expect(fullUrls.has(reference) || written.has(reference)).toBe(true);
    }
  });

  it('does not change the resources it is given', () => {
    const input = resources();
    buildRecordBundle({ resources: input, generatedAt });
    expect(input).toEqual(resources());
  });

  it('gives a stable UUID fullUrl to a resource whose id is not a UUID, and resolves references to it', () => {
    const encounter: fhir4.Encounter = {
      resourceType: 'Encounter',
      id: encounterId,
      status: 'finished',
      class: { code: 'AMB' },
      participant: [{ individual: { reference: 'Practitioner/dr-ruiz' } }],
    };
    const input: fhir4.Resource[] = [{ resourceType: 'Practitioner', id: 'dr-ruiz' }, encounter];
    const first = buildRecordBundle({ resources: input, generatedAt });
    const fullUrl = first.entry?.[0]?.fullUrl ?? '';
    expect(fullUrl).toMatch(uuidUrn);
    expect((first.entry?.[1]?.resource as fhir4.Encounter).participant?.[0]?.individual?.reference).toBe(fullUrl);
    expect(buildRecordBundle({ resources: input, generatedAt })).toEqual(first);
  });

  it('holds a resource given twice once, and keeps fullUrls unique when two types share an id', () => {
    const [patient] = resources();
    const sameIdOtherType: fhir4.Resource = { resourceType: 'Condition', id: patientId };
    const bundle = buildRecordBundle({ resources: [patient!, patient!, sameIdOtherType], generatedAt });
    const fullUrls = bundle.entry?.map((entry) => entry.fullUrl) ?? [];
    expect(fullUrls).toHaveLength(2);
    expect(new Set(fullUrls).size).toBe(2);
    expect(fullUrls[0]).toBe(`urn:uuid:${patientId}`);
    expect(fullUrls[1]).toMatch(uuidUrn);
  });

  it('answers an empty collection without an empty entry array (FHIR JSON has none) for no resources', () => {
    expect(buildRecordBundle({ resources: [], generatedAt })).toStrictEqual({
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: '2025-03-04T14:30:00.000Z',
    });
  });
});
