import { describe, expect, it } from 'vitest';
import type { ActingForView, Me } from '@portico/shared';
import { actsForOthers, allows, allowsWrite, defaultPatient } from './acting-for.ts';

/** A patient acted for, with the access GET /api/me would list. */
function patient(patientId: string, relationship: 'self' | 'proxy', access: ActingForView['access']): ActingForView {
  return { patientId, displayName: `Patient ${patientId}`, relationship, access, mayKeepThreadsPrivate: false };
}

/** The parts of GET /api/me the switch reads; the rest stays as a signed-in patient's. */
function person(actingFor: ActingForView[]): Me {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    username: 'someone',
    email: 'someone@example.com',
    displayName: 'Someone',
    organizationName: null,
    patientId: actingFor.find((p) => p.relationship === 'self')?.patientId ?? null,
    mfaEnrolled: false,
    mfaRequired: false,
    memberships: [],
    actingFor,
    abilities: [],
    preferences: { textSize: 100, locale: 'en' },
  };
}

const own = patient('own', 'self', {
  demographics: 'read',
  clinical: 'read',
  appointments: 'write',
  messages: 'write',
  preferences: 'write',
});
const child = patient('child', 'proxy', { demographics: 'read', appointments: 'read' });
const parent = patient('parent', 'proxy', { demographics: 'read', clinical: 'read', preferences: 'write' });

describe('defaultPatient', () => {
  it('shows the person’s own record first, wherever GET /api/me lists it', () => {
    expect(defaultPatient(person([child, own]))?.patientId).toBe('own');
  });

  it('shows the first person they act for when they have no record of their own', () => {
    expect(defaultPatient(person([child, parent]))?.patientId).toBe('child');
  });

  it('shows nobody for someone who acts for no one (staff without a record)', () => {
    expect(defaultPatient(person([]))).toBeNull();
  });
});

describe('actsForOthers', () => {
  it('is false for a patient who only has their own record', () => {
    expect(actsForOthers(person([own]))).toBe(false);
  });

  it('is true with more than one record, or one that is not their own', () => {
    expect(actsForOthers(person([own, child]))).toBe(true);
    expect(actsForOthers(person([child]))).toBe(true);
  });

  it('is false for someone who acts for no one', () => {
    expect(actsForOthers(person([]))).toBe(false);
  });
});

describe('allows and allowsWrite', () => {
  it('follow the current patient’s access per category: a proxy with appointments only has no record or messages', () => {
    expect(allows(child, 'appointments')).toBe(true);
    expect(allows(child, 'clinical')).toBe(false);
    expect(allows(child, 'messages')).toBe(false);
    expect(allowsWrite(child, 'appointments')).toBe(false);
  });

  it('let the patient and a full proxy manage sharing (preferences written), not an areas-only proxy', () => {
    expect(allowsWrite(own, 'preferences')).toBe(true);
    expect(allowsWrite(parent, 'preferences')).toBe(true);
    expect(allows(child, 'preferences')).toBe(false);
  });

  it('allow nothing without a current patient', () => {
    expect(allows(null, 'demographics')).toBe(false);
    expect(allowsWrite(null, 'preferences')).toBe(false);
  });
});
