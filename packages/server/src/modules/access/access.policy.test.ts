import { describe, expect, it } from 'vitest';
import { roles, type Role } from '@portico/shared';
import {
  canSearchPatients,
  decide,
  isAllowedByGrants,
  isOfSameOrganization,
  isOwnRecord,
  type Actor,
  type DataCategory,
  type PatientAction,
  type PatientRef,
} from './access.policy.ts';

const orgA = '0b7a4a8e-1111-4c1e-9a57-000000000001';
const orgB = '0b7a4a8e-2222-4c1e-9a57-000000000002';
const patient: PatientRef = { id: '5d0c2f4e-aaaa-4b9b-8f1e-000000000001', organizationId: orgA };
const otherPatientId = '5d0c2f4e-bbbb-4b9b-8f1e-000000000002';

function actor(role: Role, organizationId: string | null = orgA, patientId: string | null = null): Actor {
  return { userId: '9f3e8d2c-0000-4a1b-8c7d-00000000000f', role, organizationId, patientId };
}

const categories: DataCategory[] = ['demographics', 'clinical', 'appointments', 'billing', 'preferences', 'result_holds', 'messages'];
const actions: PatientAction[] = ['read', 'write'];

/** What each actor may do to `patient`, written out by hand: 'rw' read and write, 'r' read only, '-' nothing. */
type Access = 'rw' | 'r' | '-';
const none: Record<DataCategory, Access> = {
  demographics: '-',
  clinical: '-',
  appointments: '-',
  billing: '-',
  preferences: '-',
  result_holds: '-',
  messages: '-',
};
const expected: { who: string; actor: Actor; access: Record<DataCategory, Access> }[] = [
  {
    who: 'the patient themself',
    actor: actor('patient', orgA, patient.id),
    access: { ...none, demographics: 'r', clinical: 'r', appointments: 'rw', billing: 'rw', preferences: 'rw', messages: 'rw' },
  },
  {
    who: 'another patient of the organization',
    actor: actor('patient', orgA, otherPatientId),
    access: none,
  },
  {
    who: 'a patient account without a record',
    actor: actor('patient', orgA, null),
    access: none,
  },
  {
    who: 'a clinician of the organization',
    actor: actor('clinician'),
    access: { demographics: 'rw', clinical: 'rw', appointments: 'rw', billing: 'r', preferences: 'r', result_holds: 'rw', messages: 'rw' },
  },
  {
    who: 'a nurse of the organization',
    actor: actor('nurse'),
    access: { ...none, demographics: 'rw', clinical: 'rw', appointments: 'rw', preferences: 'r', result_holds: 'r', messages: 'rw' },
  },
  {
    who: 'front desk of the organization',
    actor: actor('front_desk'),
    access: { ...none, demographics: 'rw', appointments: 'rw', messages: 'rw' },
  },
  {
    who: 'billing staff of the organization',
    actor: actor('billing'),
    access: { ...none, demographics: 'r', billing: 'rw', messages: 'rw' },
  },
  {
    who: 'an admin of the organization',
    actor: actor('admin'),
    access: { ...none, demographics: 'r' },
  },
  {
    who: 'a clinician of another organization',
    actor: actor('clinician', orgB),
    access: none,
  },
  {
    who: 'a nurse of another organization',
    actor: actor('nurse', orgB),
    access: none,
  },
  {
    who: 'front desk of another organization',
    actor: actor('front_desk', orgB),
    access: none,
  },
  {
    who: 'billing staff of another organization',
    actor: actor('billing', orgB),
    access: none,
  },
  {
    who: 'an admin of another organization',
    actor: actor('admin', orgB),
    access: none,
  },
  {
    who: 'a clinician without an organization',
    actor: actor('clinician', null),
    access: none,
  },
  { who: 'a proxy', actor: actor('proxy'), access: none },
  {
    who: 'an outside provider',
    actor: actor('outside_provider'),
    access: none,
  },
  {
    who: 'sponsored practice staff',
    actor: actor('sponsored_staff'),
    access: none,
  },
  { who: 'support', actor: actor('support'), access: none },
  {
    who: 'a proxy holding the patient id',
    actor: actor('proxy', orgA, patient.id),
    access: none,
  },
];

const matrix = expected.flatMap(({ who, actor: a, access }) =>
  categories.flatMap((category) =>
    actions.map((action) => ({
      who,
      actor: a,
      category,
      action,
      allow: access[category] === 'rw' || (access[category] === 'r' && action === 'read'),
    })),
  ),
);

describe('decide', () => {
  it.each(matrix)('$who: $action $category → allow=$allow', ({ actor: a, category, action, allow }) => {
    const decision = decide(a, patient, action, category);
    expect(decision.allow).toBe(allow);
    expect(decision.reason).toMatch(/\S/);
  });

  it('covers every role the shared contract defines', () => {
    expect(new Set(expected.map((e) => e.actor.role))).toEqual(new Set(roles));
  });

  it('gives the patient the reason own_record, and a distinct reason when the action on their own record is refused', () => {
    expect(decide(actor('patient', orgA, patient.id), patient, 'read', 'clinical')).toEqual({ allow: true, reason: 'own_record' });
    expect(decide(actor('patient', orgA, patient.id), patient, 'write', 'clinical')).toEqual({
      allow: false,
      reason: 'own_record_action_not_allowed',
    });
  });

  it('names the staff role in its reasons', () => {
    expect(decide(actor('nurse'), patient, 'read', 'clinical')).toEqual({ allow: true, reason: 'organization_nurse' });
    expect(decide(actor('front_desk'), patient, 'read', 'clinical')).toEqual({
      allow: false,
      reason: 'role_front_desk_lacks_clinical_read',
    });
  });

  it('lets only a clinician hold or release results; a nurse sees held results; the patient alone sets their release choice', () => {
    expect(decide(actor('clinician'), patient, 'write', 'result_holds')).toEqual({ allow: true, reason: 'organization_clinician' });
    expect(decide(actor('nurse'), patient, 'write', 'result_holds')).toEqual({
      allow: false,
      reason: 'role_nurse_lacks_result_holds_write',
    });
    expect(decide(actor('nurse'), patient, 'read', 'result_holds').allow).toBe(true);
    expect(decide(actor('patient', orgA, patient.id), patient, 'read', 'result_holds').allow).toBe(false);
    expect(decide(actor('patient', orgA, patient.id), patient, 'write', 'preferences').allow).toBe(true);
    expect(decide(actor('clinician'), patient, 'write', 'preferences').allow).toBe(false);
  });

  it('answers no_relationship to anyone outside the record and the organization', () => {
    expect(decide(actor('clinician', orgB), patient, 'read', 'demographics')).toEqual({ allow: false, reason: 'no_relationship' });
    expect(decide(actor('patient', orgA, otherPatientId), patient, 'read', 'demographics')).toEqual({
      allow: false,
      reason: 'no_relationship',
    });
  });
});

describe('isOwnRecord', () => {
  it('holds only for a patient whose own record it is', () => {
    expect(isOwnRecord(actor('patient', orgA, patient.id), patient)).toBe(true);
    expect(isOwnRecord(actor('patient', orgA, otherPatientId), patient)).toBe(false);
    expect(isOwnRecord(actor('patient', orgA, null), patient)).toBe(false);
  });

  it('does not hold for other roles even when their patient id matches', () => {
    expect(isOwnRecord(actor('clinician', orgA, patient.id), patient)).toBe(false);
    expect(isOwnRecord(actor('proxy', orgA, patient.id), patient)).toBe(false);
  });
});

describe('isOfSameOrganization', () => {
  it.each(['clinician', 'nurse', 'front_desk', 'billing', 'admin'] as const)('holds for %s of the patient organization', (role) => {
    expect(isOfSameOrganization(actor(role), patient)).toBe(true);
    expect(isOfSameOrganization(actor(role, orgB), patient)).toBe(false);
    expect(isOfSameOrganization(actor(role, null), patient)).toBe(false);
  });

  it.each(['patient', 'proxy', 'outside_provider', 'sponsored_staff', 'support'] as const)(
    'does not hold for %s even in the same organization',
    (role) => {
      expect(isOfSameOrganization(actor(role), patient)).toBe(false);
    },
  );
});

describe('isAllowedByGrants', () => {
  it('allows exactly the granted actions of the granted categories', () => {
    const grants = { clinical: ['read'], billing: ['read', 'write'] } as const;
    expect(isAllowedByGrants(grants, 'read', 'clinical')).toBe(true);
    expect(isAllowedByGrants(grants, 'write', 'clinical')).toBe(false);
    expect(isAllowedByGrants(grants, 'write', 'billing')).toBe(true);
    expect(isAllowedByGrants(grants, 'read', 'demographics')).toBe(false);
  });

  it('allows nothing without grants', () => {
    expect(isAllowedByGrants(undefined, 'read', 'demographics')).toBe(false);
    expect(isAllowedByGrants({}, 'read', 'demographics')).toBe(false);
  });
});

describe('canSearchPatients', () => {
  it.each([
    ['clinician', true],
    ['nurse', true],
    ['front_desk', true],
    ['billing', true],
    ['admin', true],
    ['patient', false],
    ['proxy', false],
    ['outside_provider', false],
    ['sponsored_staff', false],
    ['support', false],
  ] as const)('%s of an organization → %s', (role, allowed) => {
    expect(canSearchPatients(actor(role))).toBe(allowed);
  });

  it('refuses staff who belong to no organization', () => {
    expect(canSearchPatients(actor('clinician', null))).toBe(false);
  });
});
