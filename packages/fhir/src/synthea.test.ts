/// <reference types="node" />
/// <reference types="fhir" />
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchColumns } from './columns.ts';
import { isPatientCompartmentType, patientReferenceOf } from './compartment.ts';
import { sensitiveCategoryOf } from './sensitivity.ts';
import { requireSynthea, syntheaAvailable, syntheaDir, syntheaFiles } from './testing/synthea.ts';
import { validateResource } from './validate.ts';

/** Empty when the sample is absent: the test below says so (and fails under CI=true). */
const files = syntheaAvailable() ? syntheaFiles() : [];
const readBundle = (name: string): fhir4.Bundle => JSON.parse(readFileSync(path.join(syntheaDir(), name), 'utf8')) as fhir4.Bundle;
const datedTypes = new Set(['Observation', 'Encounter', 'Condition', 'Immunization', 'Procedure']);

describe('syntheaFiles', () => {
  it('lists the hospital and practitioner bundles first, then the 50 patients by name', (ctx) => {
    requireSynthea(ctx);
    expect(files).toHaveLength(52);
    expect(files[0]).toMatch(/^hospitalInformation/);
    expect(files[1]).toMatch(/^practitionerInformation/);
    const patients = files.slice(2);
    expect(patients).toEqual([...patients].sort());
    expect(patients.every((f) => !/^(hospital|practitioner)Information/.test(f))).toBe(true);
  });
});

describe.each(files)('Synthea sample %s', (file) => {
  const bundle = readBundle(file);
  const entries = bundle.entry ?? [];
  const patientEntry = entries.find((e) => e.resource?.resourceType === 'Patient');

  it('validates every resource with zero issues', () => {
    const issues = entries.flatMap((entry, i) => validateResource(entry.resource, `Bundle.entry[${i}].resource`));
    expect(issues.slice(0, 5)).toEqual([]);
    expect(entries.length).toBeGreaterThan(0);
  });

  it('validates the whole Bundle with zero issues', () => {
    expect(validateResource(bundle, 'Bundle').slice(0, 5)).toEqual([]);
  });

  it('gives every Observation, Encounter, Condition, Immunization and Procedure an effectiveAt', () => {
    const undated = entries.filter((e) => datedTypes.has(e.resource!.resourceType) && searchColumns(e.resource!).effectiveAt === null);
    expect(undated.map((e) => e.fullUrl)).toEqual([]);
  });

  it("names the bundle's Patient for every compartment resource", () => {
    const compartment = entries.filter((e) => e.resource!.resourceType !== 'Patient' && isPatientCompartmentType(e.resource!.resourceType));
    if (patientEntry === undefined) {
      expect(compartment).toEqual([]);
      return;
    }
    expect(patientEntry.fullUrl).toMatch(/^urn:uuid:/);
    const wrong = compartment.filter((e) => patientReferenceOf(e.resource!) !== patientEntry.fullUrl);
    expect(wrong.map((e) => `${e.resource!.resourceType} ${e.fullUrl}`)).toEqual([]);
    expect(compartment.length).toBeGreaterThan(0);
  });

  it('gives the shared directory resources no patient', () => {
    const directory = entries.filter((e) => ['Organization', 'Practitioner'].includes(e.resource!.resourceType));
    expect(directory.map((e) => patientReferenceOf(e.resource!)).filter((r) => r !== null)).toEqual([]);
  });

  it('marks prenatal care as sexual and reproductive health and leaves vital signs alone', () => {
    for (const entry of entries) {
      const resource = entry.resource!;
      const category = sensitiveCategoryOf(resource);
      if (resource.resourceType === 'Observation' && searchColumns(resource).category === 'vital-signs') expect(category).toBeNull();
      if (resource.resourceType === 'Encounter' && searchColumns(resource).code === 'http://snomed.info/sct|424619006') {
        expect(category).toBe('sexual_reproductive');
      }
    }
  });
});
