import { describe, expect, it } from 'vitest';
import type { BookableVisitType } from '../../api/appointments.ts';
import { clinicianOptions, noWhoChoice, pcpOption, targetOf } from './booking-choice.ts';

const family = { id: '00000000-0000-4000-8000-00000000000f', name: 'Family Medicine', timeZone: 'America/New_York' };
const endo = { id: '00000000-0000-4000-8000-00000000000e', name: 'Endocrinology', timeZone: 'America/Chicago' };
const chen = { id: '00000000-0000-4000-8000-0000000000c1', name: 'Sarah Chen' };
const okafor = { id: '00000000-0000-4000-8000-0000000000c2', name: 'Chidi Okafor' };
const followUp: BookableVisitType = {
  id: '00000000-0000-4000-8000-0000000000a1',
  name: 'Follow-up visit',
  durationMinutes: 20,
  video: false,
  establishedOnly: true,
  instructions: null,
  departments: [
    { ...family, clinicians: [chen, okafor] },
    { ...endo, clinicians: [okafor] },
  ],
};

describe('the "who" choice of the booking picker', () => {
  it('offers "my doctor" only where the PCP offers the visit, at their place', () => {
    expect(pcpOption(followUp, chen)).toMatchObject({ clinicianId: chen.id, departmentId: family.id, timeZone: 'America/New_York' });
    expect(pcpOption(followUp, null)).toBeNull();
    expect(pcpOption(followUp, { id: '00000000-0000-4000-8000-0000000000c9', name: 'Someone else' })).toBeNull();
    // Rescheduling keeps the place: the PCP is not offered where they do not work.
    expect(pcpOption(followUp, chen, endo.id)).toBeNull();
  });

  it('lists each clinician once per place, by name', () => {
    expect(clinicianOptions(followUp).map((o) => `${o.clinicianName} / ${o.departmentName}`)).toEqual([
      'Chidi Okafor / Endocrinology',
      'Chidi Okafor / Family Medicine',
      'Sarah Chen / Family Medicine',
    ]);
    expect(clinicianOptions(followUp, endo.id).map((o) => o.clinicianName)).toEqual(['Chidi Okafor']);
  });

  it('gives a search target only once the choice is complete', () => {
    expect(targetOf(followUp, chen, noWhoChoice)).toBeNull();
    expect(targetOf(followUp, chen, { ...noWhoChoice, kind: 'pcp' })).toMatchObject({ departmentId: family.id, clinicianId: chen.id });
    expect(targetOf(followUp, chen, { ...noWhoChoice, kind: 'named' })).toBeNull();
    expect(targetOf(followUp, chen, { ...noWhoChoice, kind: 'named', clinicianKey: `${endo.id}:${okafor.id}` })).toMatchObject({
      departmentId: endo.id,
      clinicianId: okafor.id,
      timeZone: 'America/Chicago',
    });
    // First available asks where when the visit is offered in two places, and not when the place is fixed.
    expect(targetOf(followUp, chen, { ...noWhoChoice, kind: 'any' })).toBeNull();
    expect(targetOf(followUp, chen, { kind: 'any', clinicianKey: '', departmentId: endo.id })).toMatchObject({
      clinicianId: null,
      departmentId: endo.id,
    });
    expect(targetOf(followUp, chen, { ...noWhoChoice, kind: 'any' }, family.id)).toMatchObject({
      clinicianId: null,
      departmentId: family.id,
    });
  });
});
