import { describe, expect, it } from 'vitest';
import { abilities, dataCategories, type Ability } from '@portico/shared';
import {
  abilitiesOf,
  allSensitiveCategories,
  ageOn,
  authorRoleIn,
  dayInZone,
  can,
  decide,
  isThreadTopicVisible,
  isThreadVisible,
  mayKeepThreadPrivate,
  organizationFor,
  staffRowFilter,
  type Actor,
  type ActorGrant,
  type DataCategory,
  type Membership,
  type PatientAction,
  type PatientRef,
} from './access.policy.ts';
import { shareLinkActor } from './share-link-actor.ts';

const orgA = '0b7a4a8e-1111-4c1e-9a57-000000000001';
const orgB = '0b7a4a8e-2222-4c1e-9a57-000000000002';
const now = new Date('2026-12-07T12:00:00Z');
const patientUser = '9f3e8d2c-0000-4a1b-8c7d-0000000000aa';
const patient: PatientRef = {
  id: '5d0c2f4e-aaaa-4b9b-8f1e-000000000001',
  organizationId: orgA,
  birthDate: '1980-05-06',
  userId: patientUser,
  timeZone: 'UTC',
};
/** The same patient at other ages, for the proxy rules (ages on 2026-12-07). */
const child = { ...patient, birthDate: '2018-01-01' }; // 8
const teen = { ...patient, birthDate: '2011-03-01' }; // 15
const otherPatientId = '5d0c2f4e-bbbb-4b9b-8f1e-000000000002';

function staff(role: Membership['role'], organizationId = orgA): Actor {
  return { userId: 'u-staff', ownPatientId: null, memberships: [{ kind: 'staff', role, organizationId }], grants: [] };
}
function grantOf(kind: ActorGrant['kind'], extra: Partial<ActorGrant> = {}): ActorGrant {
  return {
    id: `g-${kind}`,
    patientId: patient.id,
    kind,
    level: kind === 'proxy' ? 'full' : 'read',
    categories: ['demographics', 'clinical', 'appointments', 'billing', 'messages'],
    sensitiveCategories: [],
    grantedBy: 'u-staff-who-set-it-up',
    ...extra,
  };
}
/** A member of an outside practice of organization A whose physicians are not the patient's PCP. */
const otherPracticeMember: Membership = {
  kind: 'practice',
  role: 'outside_provider',
  organizationId: orgA,
  practice: { id: 'pr-x', physicianIds: [] },
};

/** Who holds these grants: an outside provider's grants (care team, request, token) come with their practice membership. */
function holder(grants: ActorGrant[], memberships?: Membership[]): Actor {
  const outside = grants.some((g) => ['care_team', 'approved_request', 'token'].includes(g.kind));
  return { userId: 'u-holder', ownPatientId: null, memberships: memberships ?? (outside ? [otherPracticeMember] : []), grants };
}

/** Every own-record category: what a proxy with level `full` holds (issue 11 §1: every area and the settings). */
const fullProxyCategories: DataCategory[] = ['demographics', 'clinical', 'appointments', 'billing', 'preferences', 'messages'];

/** 'w' read and write, 'r' read only, '-' nothing. */
type Access = 'w' | 'r' | '-';
/** Columns in the order of `dataCategories`: demographics, clinical, appointments, billing, preferences, result_holds, messages. */
const expected: { who: string; actor: Actor; subject: PatientRef; row: string; via: string | null }[] = [
  {
    who: 'the patient themself',
    actor: { userId: patientUser, ownPatientId: patient.id, memberships: [], grants: [] },
    subject: patient,
    row: 'r r w w w - w',
    via: 'own_record',
  },
  {
    who: 'another patient',
    actor: { userId: 'u2', ownPatientId: otherPatientId, memberships: [], grants: [] },
    subject: patient,
    row: '- - - - - - -',
    via: null,
  },
  { who: 'an account without a record or membership', actor: holder([]), subject: patient, row: '- - - - - - -', via: null },
  { who: 'a clinician of the organization', actor: staff('clinician'), subject: patient, row: 'w w w r r w w', via: 'organization_staff' },
  { who: 'a nurse of the organization', actor: staff('nurse'), subject: patient, row: 'w w w - r r w', via: 'organization_staff' },
  { who: 'front desk of the organization', actor: staff('front_desk'), subject: patient, row: 'w - w - - - w', via: 'organization_staff' },
  { who: 'billing staff of the organization', actor: staff('billing'), subject: patient, row: 'r - - w - - w', via: 'organization_staff' },
  { who: 'an admin of the organization', actor: staff('admin'), subject: patient, row: 'r - - - - - -', via: 'organization_staff' },
  { who: 'the privacy office', actor: staff('privacy_officer'), subject: patient, row: 'r - - - - - w', via: 'organization_staff' },
  {
    who: 'the privacy office of another organization',
    actor: staff('privacy_officer', orgB),
    subject: patient,
    row: '- - - - - - -',
    via: null,
  },
  { who: 'a clinician of another organization', actor: staff('clinician', orgB), subject: patient, row: '- - - - - - -', via: null },
  { who: 'front desk of another organization', actor: staff('front_desk', orgB), subject: patient, row: '- - - - - - -', via: null },
  { who: 'an admin of another organization', actor: staff('admin', orgB), subject: patient, row: '- - - - - - -', via: null },
  {
    who: 'an outside provider (practice membership, no grant)',
    actor: holder([], [{ kind: 'practice', role: 'outside_provider', organizationId: orgA }]),
    subject: patient,
    row: '- - - - - - -',
    via: null,
  },
  {
    who: 'support (no grant)',
    actor: holder([], [{ kind: 'support', role: 'support', organizationId: orgA }]),
    subject: patient,
    row: '- - - - - - -',
    via: null,
  },
  { who: 'a proxy of a child', actor: holder([grantOf('proxy')]), subject: child, row: 'r r w w - - w', via: 'proxy' },
  { who: 'a proxy of a teenager', actor: holder([grantOf('proxy')]), subject: teen, row: 'r r w w - - w', via: 'proxy' },
  { who: 'a parent proxy once the patient is 18', actor: holder([grantOf('proxy')]), subject: patient, row: '- - - - - - -', via: null },
  {
    who: 'a proxy the adult patient granted',
    actor: holder([grantOf('proxy', { grantedBy: patientUser })]),
    subject: patient,
    row: 'r r w w - - w',
    via: 'proxy',
  },
  {
    who: 'a read-only proxy',
    actor: holder([grantOf('proxy', { level: 'read', grantedBy: patientUser })]),
    subject: patient,
    row: 'r r r r - - r',
    via: 'proxy',
  },
  {
    who: 'a proxy limited to appointments',
    actor: holder([grantOf('proxy', { categories: ['appointments'], grantedBy: patientUser })]),
    subject: patient,
    row: '- - w - - - -',
    via: 'proxy',
  },
  {
    who: 'a proxy of another patient',
    actor: holder([grantOf('proxy', { patientId: otherPatientId })]),
    subject: child,
    row: '- - - - - - -',
    via: null,
  },
  {
    who: 'a care-team grant',
    actor: holder([grantOf('care_team', { categories: ['demographics', 'clinical'] })]),
    subject: patient,
    row: 'r r - - - - -',
    via: 'care_team',
  },
  {
    who: 'an approved request',
    actor: holder([grantOf('approved_request', { categories: ['clinical'] })]),
    subject: patient,
    row: '- r - - - - -',
    via: 'approved_request',
  },
  {
    who: 'a redeemed MRN token',
    actor: holder([grantOf('token', { categories: ['demographics', 'clinical'] })]),
    subject: patient,
    row: 'r r - - - - -',
    via: 'token',
  },
  {
    who: 'break-the-glass',
    actor: holder(
      [grantOf('break_glass', { categories: ['demographics', 'clinical', 'result_holds'] })],
      [{ kind: 'staff', role: 'clinician', organizationId: orgB }],
    ),
    subject: patient,
    row: 'r r - - - - -',
    via: 'break_glass',
  },
  { who: 'an app grant (not a user relationship)', actor: holder([grantOf('app')]), subject: patient, row: '- - - - - - -', via: null },
  // Issue 11 §2: a share link's reader reads the name, birth date and clinical record, nothing else.
  {
    who: 'a share link',
    actor: shareLinkActor({ id: 'link-1', patientId: patient.id, createdBy: 'u-patient' }),
    subject: patient,
    row: 'r r - - - - -',
    via: 'share_link',
  },
  // Issue 11: every proxy kind (guardian, invited, legal representative), level (full, chosen areas) and age band.
  ...proxyRows(),
  // Issue 12 §2: an outside practice whose physician is the patient's PCP reads a chart; nothing else.
  ...practiceRows(),
];

/**
 * The outside-practice rows: a physician of the practice and a sponsored staff member of it reach the patients whose
 * PCP is one of its physicians (the PCP themself or a practice partner), in the practice's organization only.
 */
function practiceRows() {
  const pcp = 'u-pcp-physician';
  const partner = 'u-practice-partner';
  const practice = { id: 'practice-1', physicianIds: [pcp, partner] };
  const member = (role: 'outside_provider' | 'sponsored_staff', organizationId = orgA, of = practice): Membership => ({
    kind: 'practice',
    role,
    organizationId,
    practice: of,
  });
  const chart = 'r r r - - - -';
  const none = '- - - - - - -';
  return [
    { who: 'the PCP (outside provider)', actor: { ...holder([], [member('outside_provider')]), userId: pcp }, pcpId: pcp, row: chart },
    {
      who: 'a practice partner of the PCP',
      actor: { ...holder([], [member('outside_provider')]), userId: partner },
      pcpId: pcp,
      row: chart,
    },
    { who: 'staff sponsored by a physician of the PCP’s practice', actor: holder([], [member('sponsored_staff')]), pcpId: pcp, row: chart },
    {
      who: 'an outside provider of another practice',
      actor: holder([], [member('outside_provider', orgA, { id: 'practice-2', physicianIds: ['u-someone-else'] })]),
      pcpId: pcp,
      row: none,
    },
    {
      who: 'the PCP’s practice, in another organization',
      actor: holder([], [member('outside_provider', orgB)]),
      pcpId: pcp,
      row: none,
    },
    { who: 'a practice member, the patient having no PCP', actor: holder([], [member('outside_provider')]), pcpId: null, row: none },
    {
      who: 'an organization staff member who is the PCP (no practice membership)',
      actor: { ...staff('front_desk', orgB), userId: pcp },
      pcpId: pcp,
      row: none,
    },
  ].map(({ who, actor, pcpId, row }) => ({
    who,
    actor,
    subject: { ...patient, pcpId },
    row,
    via: row === none ? null : 'pcp_practice',
  }));
}

/** The proxy rows of the matrix: relationship × level × age band, written out as what each may do. */
function proxyRows() {
  const youngAdult = { ...patient, birthDate: '2008-01-01' }; // 18
  const bands = [
    { band: 'under 12', subject: child },
    { band: '12-17', subject: teen },
    { band: '18 and over', subject: youngAdult },
  ];
  const levels = [
    { level: 'full', categories: fullProxyCategories, row: 'r r w w w - w' },
    {
      level: 'areas: record and appointments',
      categories: ['demographics', 'clinical', 'appointments'] as DataCategory[],
      row: 'r r w - - - -',
    },
    { level: 'areas: messages and billing', categories: ['demographics', 'billing', 'messages'] as DataCategory[], row: 'r - - w - - w' },
  ];
  const relationships = [
    // Staff set guardians and legal representatives up; an invited proxy's grant is the patient's own (granted_by).
    { relationship: 'guardian (set up by staff)', grantedBy: 'u-staff-who-set-it-up' },
    { relationship: 'legal representative (set up by staff)', grantedBy: 'u-staff-who-set-it-up' },
    { relationship: 'invited by the patient', grantedBy: patientUser },
  ];
  return relationships.flatMap(({ relationship, grantedBy }) =>
    levels.flatMap(({ level, categories, row }) =>
      bands.map(({ band, subject }) => {
        const ends = band === '18 and over' && grantedBy !== patientUser;
        return {
          who: `a ${relationship} proxy, ${level}, patient ${band}`,
          actor: holder([grantOf('proxy', { categories, grantedBy })]),
          subject,
          row: ends ? '- - - - - - -' : row,
          via: ends ? null : 'proxy',
        };
      }),
    ),
  );
}

const actions: PatientAction[] = ['read', 'write'];
const matrix = expected.flatMap(({ who, actor, subject, row, via }) => {
  const cells = row.split(' ') as Access[];
  return dataCategories.flatMap((category, i) =>
    actions.map((action) => ({
      who,
      actor,
      subject,
      category,
      action,
      via,
      allow: cells[i] === 'w' || (cells[i] === 'r' && action === 'read'),
    })),
  );
});

describe('decide: the generated access matrix (relationship × category × action)', () => {
  it('has a row of expectations for every category', () => {
    for (const e of expected) expect(e.row.split(' '), e.who).toHaveLength(dataCategories.length);
  });

  it.each(matrix)('$who: $action $category → allow=$allow', ({ actor, subject, category, action, allow, via }) => {
    const decision = decide(actor, subject, action, category, now);
    expect(decision.allow).toBe(allow);
    expect(decision.reason).toMatch(/\S/);
    if (decision.allow) expect(decision.via).toBe(via);
  });
});

describe('decide: row filters', () => {
  it('hides every sensitive category, what is confidential, held results and notes from an outside practice', () => {
    const actor = holder(
      [],
      [{ kind: 'practice', role: 'outside_provider', organizationId: orgA, practice: { id: 'p', physicianIds: ['u-pcp'] } }],
    );
    const decision = decide(actor, { ...patient, pcpId: 'u-pcp' }, 'read', 'clinical', now);
    expect(decision.allow && decision.filter).toEqual({
      hiddenSensitive: allSensitiveCategories,
      seesConfidential: false,
      seesHeldResults: false,
      seesInternalNotes: false,
      seesClinicalThreads: false,
    });
    expect(decision.allow && decision.reason).toBe('pcp_practice_outside_provider');
  });

  it('hides nothing from the treating organization; held results only for clinicians and nurses', () => {
    const clinician = decide(staff('clinician'), patient, 'read', 'clinical', now);
    expect(clinician.allow && clinician.filter).toEqual({
      hiddenSensitive: [],
      seesConfidential: true,
      seesHeldResults: true,
      seesInternalNotes: true,
      seesClinicalThreads: true,
    });
    const frontDesk = decide(staff('front_desk'), patient, 'read', 'messages', now);
    expect(frontDesk.allow && frontDesk.filter).toEqual({
      hiddenSensitive: [],
      seesConfidential: true,
      seesHeldResults: false,
      seesInternalNotes: false,
      seesClinicalThreads: false,
    });
  });

  it('shows the patient no held result and no internal note', () => {
    const own = decide({ userId: patientUser, ownPatientId: patient.id, memberships: [], grants: [] }, patient, 'read', 'clinical', now);
    expect(own.allow && own.filter).toEqual({
      hiddenSensitive: [],
      seesConfidential: true,
      seesHeldResults: false,
      seesInternalNotes: false,
      seesClinicalThreads: true,
    });
  });

  it('hides every sensitive category from a proxy of a teenager, and the unconsented ones from other grants', () => {
    const teenProxy = decide(holder([grantOf('proxy', { sensitiveCategories: ['hiv'] })]), teen, 'read', 'clinical', now);
    expect(teenProxy.allow && teenProxy.filter.hiddenSensitive).toEqual([
      'mental_health',
      'substance_use',
      'sexual_reproductive',
      'hiv',
      'genetics',
    ]);
    const childProxy = decide(holder([grantOf('proxy', { sensitiveCategories: ['genetics'] })]), child, 'read', 'clinical', now);
    expect(childProxy.allow && childProxy.filter.hiddenSensitive).toEqual(['mental_health', 'substance_use', 'sexual_reproductive', 'hiv']);
    const careTeam = decide(holder([grantOf('care_team', { sensitiveCategories: ['mental_health'] })]), patient, 'read', 'clinical', now);
    expect(careTeam.allow && careTeam.filter.hiddenSensitive).toEqual(['substance_use', 'sexual_reproductive', 'hiv', 'genetics']);
  });

  it('computes age at decision time: a proxy ends on the 18th birthday', () => {
    const turning = { ...patient, birthDate: '2008-12-08' };
    const proxy = holder([grantOf('proxy')]);
    expect(decide(proxy, turning, 'read', 'clinical', new Date('2026-12-07T23:59:59Z')).allow).toBe(true);
    expect(decide(proxy, turning, 'read', 'clinical', new Date('2026-12-08T00:00:00Z')).allow).toBe(false);
  });

  it('hides substance-use records (42 CFR Part 2) from a proxy without that specific consent, and shows them with it', () => {
    const without = decide(holder([grantOf('proxy', { sensitiveCategories: ['mental_health'] })]), child, 'read', 'clinical', now);
    expect(without.allow && without.filter.hiddenSensitive).toContain('substance_use');
    const consented = decide(holder([grantOf('proxy', { sensitiveCategories: ['substance_use'] })]), child, 'read', 'clinical', now);
    expect(consented.allow && consented.filter.hiddenSensitive).not.toContain('substance_use');
  });

  it('gives a share link’s reader every sensitive category hidden, no held result, no internal note', () => {
    const decision = decide(shareLinkActor({ id: 'link-1', patientId: patient.id, createdBy: 'u-patient' }), patient, 'read', 'clinical');
    expect(decision).toMatchObject({
      allow: true,
      via: 'share_link',
      grantId: 'link-1',
      filter: { hiddenSensitive: [...allSensitiveCategories], seesConfidential: false, seesHeldResults: false, seesInternalNotes: false },
    });
    const other = { ...patient, id: 'p-other' };
    expect(decide(shareLinkActor({ id: 'link-1', patientId: patient.id, createdBy: 'u-patient' }), other, 'read', 'clinical').allow).toBe(
      false,
    );
  });

  it('names the relationship and the grant in its answer', () => {
    const decision = decide(holder([grantOf('care_team')]), patient, 'read', 'clinical', now);
    expect(decision).toMatchObject({ allow: true, via: 'care_team', grantId: 'g-care_team' });
    expect(decide(staff('front_desk'), patient, 'read', 'clinical', now)).toEqual({
      allow: false,
      reason: 'role_front_desk_lacks_clinical_read',
    });
    expect(decide(staff('clinician', orgB), patient, 'read', 'clinical', now)).toEqual({ allow: false, reason: 'no_relationship' });
  });

  it('lets a nurse who is also a patient read her own record as a patient and her patients as staff', () => {
    const nursePatient: Actor = {
      userId: patientUser,
      ownPatientId: patient.id,
      memberships: [{ kind: 'staff', role: 'nurse', organizationId: orgB }],
      grants: [],
    };
    expect(decide(nursePatient, patient, 'read', 'clinical', now)).toMatchObject({ allow: true, via: 'own_record' });
    expect(decide(nursePatient, { ...patient, id: otherPatientId, organizationId: orgB }, 'read', 'clinical', now)).toMatchObject({
      allow: true,
      via: 'organization_staff',
    });
    expect(decide(nursePatient, { ...patient, id: otherPatientId, organizationId: orgA }, 'read', 'clinical', now).allow).toBe(false);
  });
});

describe('ages on the calendar day of the organization’s zone (issue 11 §1)', () => {
  const guardian = holder([grantOf('proxy', { categories: fullProxyCategories })]);
  const hidden = (subject: PatientRef, at: string) => {
    const d = decide(guardian, subject, 'read', 'clinical', new Date(at));
    return d.allow ? d.filter.hiddenSensitive.length : null;
  };

  it('limits a guardian at 12 from local midnight in Los Angeles (07:00Z under daylight time), not at 00:00Z', () => {
    const la = { ...patient, birthDate: '2014-03-10', timeZone: 'America/Los_Angeles' };
    expect(dayInZone(new Date('2026-03-10T06:59:59Z'), la.timeZone)).toBe('2026-03-09');
    // A consent to genetics counts while the child is 11; at 12 every sensitive category is hidden.
    const consenting = holder([grantOf('proxy', { categories: fullProxyCategories, sensitiveCategories: ['genetics'] })]);
    const filterAt = (at: string) => {
      const d = decide(consenting, la, 'read', 'clinical', new Date(at));
      return d.allow ? d.filter.hiddenSensitive : null;
    };
    expect(filterAt('2026-03-10T00:00:00Z')).not.toContain('genetics');
    expect(filterAt('2026-03-10T06:59:59Z')).not.toContain('genetics');
    expect(filterAt('2026-03-10T07:00:00Z')).toContain('genetics');
    expect(hidden(la, '2026-03-10T07:00:00Z')).toBe(5);
  });

  it('ends a guardian’s access at 18 from local midnight: 08:00Z in Los Angeles in winter, the evening before in Tokyo', () => {
    const la = { ...patient, birthDate: '2008-12-08', timeZone: 'America/Los_Angeles' };
    expect(decide(guardian, la, 'read', 'clinical', new Date('2026-12-08T07:59:59Z')).allow).toBe(true);
    expect(decide(guardian, la, 'read', 'clinical', new Date('2026-12-08T08:00:00Z')).allow).toBe(false);
    const tokyo = { ...la, timeZone: 'Asia/Tokyo' };
    expect(decide(guardian, tokyo, 'read', 'clinical', new Date('2026-12-07T14:59:59Z')).allow).toBe(true);
    expect(decide(guardian, tokyo, 'read', 'clinical', new Date('2026-12-07T15:00:00Z')).allow).toBe(false);
  });

  it('keeps what the adult patient granted themself past the 18th birthday', () => {
    const la = { ...patient, birthDate: '2008-12-08', timeZone: 'America/Los_Angeles' };
    const invited = holder([grantOf('proxy', { categories: fullProxyCategories, grantedBy: patientUser })]);
    expect(decide(invited, la, 'read', 'clinical', new Date('2026-12-08T08:00:00Z'))).toMatchObject({ allow: true, via: 'proxy' });
  });

  it('counts a guardian’s consents on the last day under 12, and none on the eve of 18 (still limited)', () => {
    const consenting = holder([grantOf('proxy', { categories: fullProxyCategories, sensitiveCategories: ['genetics'] })]);
    const hiddenOf = (birthDate: string, at: string) => {
      const d = decide(consenting, { ...patient, birthDate, timeZone: 'America/Los_Angeles' }, 'read', 'clinical', new Date(at));
      return d.allow ? d.filter.hiddenSensitive : null;
    };
    expect(hiddenOf('2014-03-10', '2026-03-10T06:00:00Z')).toEqual(['mental_health', 'substance_use', 'sexual_reproductive', 'hiv']);
    expect(hiddenOf('2008-12-08', '2026-12-08T07:00:00Z')).toHaveLength(5);
  });
});

describe('confidential content (issue 11 §1: what the teen or a clinician marked confidential)', () => {
  const guardian = holder([grantOf('proxy', { categories: fullProxyCategories, sensitiveCategories: [...allSensitiveCategories] })]);
  const sees = (actor: Actor, subject: PatientRef, at: Date = now) => {
    const d = decide(actor, subject, 'read', 'clinical', at);
    return d.allow ? d.filter.seesConfidential : null;
  };
  const self = (subject: PatientRef): Actor => ({ userId: patientUser, ownPatientId: subject.id, memberships: [], grants: [] });

  it('hides it from a guardian of a 12-17 year old only; a guardian of a child, the patient and staff see it', () => {
    expect(sees(guardian, teen)).toBe(false);
    expect(sees(guardian, child)).toBe(true);
    expect(sees(self(teen), teen)).toBe(true);
    expect(sees(staff('clinician'), teen)).toBe(true);
    expect(sees(staff('front_desk'), teen)).toBe(null);
    expect(decide(staff('front_desk'), teen, 'read', 'messages', now)).toMatchObject({ filter: { seesConfidential: true } });
  });

  it('shows it to a proxy of an adult (invited by the patient, or a legal representative)', () => {
    const invited = holder([grantOf('proxy', { categories: fullProxyCategories, grantedBy: patientUser })]);
    expect(sees(invited, patient)).toBe(true);
    const representative = holder([grantOf('proxy', { categories: fullProxyCategories, relationship: 'legal_representative' })]);
    expect(sees(representative, patient)).toBe(true);
  });

  it('hides it from a share link and from an outside provider’s grants (issue 12 §2), not from break-the-glass', () => {
    expect(sees(shareLinkActor({ id: 'link-1', patientId: patient.id, createdBy: patientUser }), patient)).toBe(false);
    for (const kind of ['care_team', 'approved_request', 'token'] as const) {
      expect(sees(holder([grantOf(kind, { categories: ['clinical'] })]), patient), kind).toBe(false);
      expect(decide(holder([grantOf(kind, { categories: ['clinical'] })]), patient, 'read', 'clinical', now), kind).toMatchObject({
        filter: { seesClinicalThreads: false, seesHeldResults: false, seesInternalNotes: false },
      });
    }
    expect(sees(holder([grantOf('break_glass')]), teen)).toBe(true);
  });

  it('honours an outside provider’s grant only while they belong to a practice of the patient’s organization', () => {
    for (const kind of ['care_team', 'approved_request', 'token'] as const) {
      const grant = grantOf(kind, { categories: ['clinical'] });
      expect(decide(holder([grant]), patient, 'read', 'clinical', now).allow, kind).toBe(true);
      expect(decide(holder([grant], []), patient, 'read', 'clinical', now), kind).toEqual({ allow: false, reason: 'no_relationship' });
      const elsewhere = holder([grant], [{ ...otherPracticeMember, organizationId: orgB }]);
      expect(decide(elsewhere, patient, 'read', 'clinical', now).allow, kind).toBe(false);
      const staffOnly = holder([grant], [{ kind: 'staff', role: 'billing', organizationId: orgB }]);
      expect(decide(staffOnly, patient, 'read', 'clinical', now).allow, kind).toBe(false);
    }
  });

  it('lets an outside provider’s grant read only the chart, whatever categories the row names', () => {
    const wide = holder([grantOf('care_team', { categories: ['demographics', 'clinical', 'messages', 'billing', 'preferences'] })]);
    expect(decide(wide, patient, 'read', 'clinical', now).allow).toBe(true);
    expect(decide(wide, patient, 'write', 'clinical', now).allow).toBe(false);
    for (const category of ['messages', 'billing', 'preferences'] as const)
      expect(decide(wide, patient, 'read', category, now).allow, category).toBe(false);
  });

  it('flips on the 12th birthday at local midnight in the organization’s zone, and back on at 18 only for what the adult granted', () => {
    const la = { ...patient, birthDate: '2014-03-10', timeZone: 'America/Los_Angeles' };
    expect(sees(guardian, la, new Date('2026-03-10T06:59:59Z'))).toBe(true);
    expect(sees(guardian, la, new Date('2026-03-10T07:00:00Z'))).toBe(false);
    const adult = { ...la, birthDate: '2008-12-08' };
    const invited = holder([grantOf('proxy', { categories: fullProxyCategories, grantedBy: patientUser })]);
    expect(sees(invited, adult, new Date('2026-12-08T07:59:59Z'))).toBe(false);
    expect(sees(invited, adult, new Date('2026-12-08T08:00:00Z'))).toBe(true);
  });

  it('hides a thread the teen kept private from whoever does not see confidential content', () => {
    const teenProxy = decide(guardian, teen, 'read', 'messages', now);
    const own = decide(self(teen), teen, 'read', 'messages', now);
    if (!teenProxy.allow || !own.allow) throw new Error('expected both allowed');
    expect(isThreadVisible(teenProxy.filter, { topic: 'medical_question', confidential: true })).toBe(false);
    expect(isThreadVisible(teenProxy.filter, { topic: 'medical_question', confidential: false })).toBe(true);
    expect(isThreadVisible(own.filter, { topic: 'medical_question', confidential: true })).toBe(true);
    expect(isThreadVisible(staffRowFilter('front_desk'), { topic: 'medical_question', confidential: false })).toBe(false);
  });

  it('lets only the patient themself, aged 12-17 on the organization’s day, keep a thread private', () => {
    expect(mayKeepThreadPrivate(self(teen), teen, now)).toBe(true);
    expect(mayKeepThreadPrivate(self(child), child, now)).toBe(false);
    expect(mayKeepThreadPrivate(self(patient), patient, now)).toBe(false);
    expect(mayKeepThreadPrivate(guardian, teen, now)).toBe(false);
    expect(mayKeepThreadPrivate(staff('clinician'), teen, now)).toBe(false);
    const la = { ...patient, birthDate: '2014-03-10', timeZone: 'America/Los_Angeles' };
    expect(mayKeepThreadPrivate(self(la), la, new Date('2026-03-10T06:59:59Z'))).toBe(false);
    expect(mayKeepThreadPrivate(self(la), la, new Date('2026-03-10T07:00:00Z'))).toBe(true);
  });
});

describe('ageOn', () => {
  it.each([
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
    ['1980-05-06', '2026-05-05', 45],
    ['1980-05-06', '2026-05-06', 46],
  ])('born %s, on %s → %i', (born, day, age) => {
    expect(ageOn(born, day)).toBe(age);
  });
});

describe('can: organization-level abilities', () => {
  /** Which abilities each staff role holds, written out by hand. */
  const table: Record<string, Ability[]> = {
    clinician: ['patients.search', 'inbox.use', 'schedule.read', 'clinical.read', 'results.hold', 'results.comment', 'refills.decide'],
    nurse: ['patients.search', 'inbox.use', 'schedule.read', 'clinical.read', 'results.comment'],
    front_desk: ['patients.search', 'inbox.use', 'schedule.read', 'schedule.manage', 'schedule.arrive', 'proxies.manage'],
    billing: ['patients.search', 'inbox.use'],
    admin: ['patients.search', 'schedule.manage', 'records.import', 'organization.brand', 'organization.settings', 'proxies.manage'],
    privacy_officer: ['inbox.use'],
  };
  /** The support team's membership (kind support), by hand too: only its console's queues. */
  const supportHeld: Ability[] = ['support.registrations', 'support.requests', 'support.accounts', 'support.audit'];
  /** The same roles where the organization lets nurses mark arrival (organizations.nurses_mark_arrival): only nurses gain. */
  const allowing: Record<string, Ability[]> = { ...table, nurse: [...table.nurse!, 'schedule.arrive'] };
  const cells = [
    ...Object.entries(table).flatMap(([role, held]) =>
      abilities.map((ability) => ({ role, setting: 'default', ability, allow: held.includes(ability) })),
    ),
    ...Object.entries(allowing).flatMap(([role, held]) =>
      abilities.map((ability) => ({ role, setting: 'nurses mark arrival', ability, allow: held.includes(ability) })),
    ),
  ];

  it.each(cells)('$role ($setting): $ability → $allow', ({ role, setting, ability, allow }) => {
    const actor = staff(role as Membership['role']);
    if (setting !== 'default') actor.memberships = [{ ...actor.memberships[0]!, settings: { nursesMarkArrival: true } }];
    expect(can(actor, ability)).toBe(allow);
    expect(can(actor, ability, orgA)).toBe(allow);
    expect(can(actor, ability, orgB)).toBe(false);
    expect(abilitiesOf(actor).includes(ability)).toBe(allow);
  });

  it.each(abilities.map((ability) => ({ ability, allow: supportHeld.includes(ability) })))(
    'support: $ability → $allow',
    ({ ability, allow }) => {
      const actor = holder([], [{ kind: 'support', role: 'support', organizationId: orgA }]);
      expect(can(actor, ability)).toBe(allow);
      expect(can(actor, ability, orgA)).toBe(allow);
      expect(can(actor, ability, orgB)).toBe(false);
      expect(organizationFor(actor, ability)).toBe(allow ? orgA : null);
      expect(abilitiesOf(actor).includes(ability)).toBe(allow);
    },
  );

  it('gives no staff role nor patient, proxy or outside provider the support queue', () => {
    for (const role of Object.keys(table)) expect(can(staff(role as Membership['role']), 'support.registrations'), role).toBe(false);
    expect(can(holder([grantOf('proxy')]), 'support.registrations')).toBe(false);
    expect(can(holder([], [{ kind: 'practice', role: 'outside_provider', organizationId: orgA }]), 'support.registrations')).toBe(false);
  });

  it('lets a nurse mark arrival only in the organization that allows it', () => {
    const nurse: Actor = {
      userId: 'u-nurse',
      ownPatientId: null,
      memberships: [
        { kind: 'staff', role: 'nurse', organizationId: orgA, settings: { nursesMarkArrival: false } },
        { kind: 'staff', role: 'nurse', organizationId: orgB, settings: { nursesMarkArrival: true } },
      ],
      grants: [],
    };
    expect(can(nurse, 'schedule.arrive', orgA)).toBe(false);
    expect(can(nurse, 'schedule.arrive', orgB)).toBe(true);
    expect(organizationFor(nurse, 'schedule.arrive')).toBe(orgB);
  });

  it('gives patients and proxies no organization ability, and outside practices only their own', () => {
    expect(abilitiesOf({ userId: 'p', ownPatientId: patient.id, memberships: [], grants: [grantOf('proxy')] })).toEqual([]);
    const physician = holder([], [{ kind: 'practice', role: 'outside_provider', organizationId: orgA }]);
    expect(abilitiesOf(physician)).toEqual(['practice.patients', 'practice.sponsor']);
    expect(can(physician, 'practice.patients', orgB)).toBe(false);
    expect(abilitiesOf(holder([], [{ kind: 'practice', role: 'sponsored_staff', organizationId: orgA }]))).toEqual(['practice.patients']);
  });
});

describe('messages', () => {
  it('shows front desk and billing only appointment and billing threads', () => {
    const frontDesk = staffRowFilter('front_desk');
    expect(['appointment', 'billing'].every((t) => isThreadTopicVisible(frontDesk, t))).toBe(true);
    for (const topic of ['medical_question', 'prescription_question', 'test_result_question', 'refill', 'other'])
      expect(isThreadTopicVisible(frontDesk, topic), topic).toBe(false);
    expect(isThreadTopicVisible(staffRowFilter('nurse'), 'medical_question')).toBe(true);
  });

  it('shows the privacy office its questions and no clinical thread', () => {
    const office = staffRowFilter('privacy_officer');
    expect(isThreadTopicVisible(office, 'privacy')).toBe(true);
    for (const topic of ['medical_question', 'prescription_question', 'test_result_question', 'refill', 'other'])
      expect(isThreadTopicVisible(office, topic), topic).toBe(false);
    expect(office.seesInternalNotes).toBe(false);
    expect(office.seesHeldResults).toBe(false);
  });

  it('labels an author by their role in the thread organization', () => {
    expect(authorRoleIn(staff('nurse'), orgA, patient.id)).toBe('nurse');
    expect(authorRoleIn({ userId: patientUser, ownPatientId: patient.id, memberships: [], grants: [] }, orgA, patient.id)).toBe('patient');
    expect(authorRoleIn(holder([grantOf('proxy')]), orgA, patient.id)).toBe('proxy');
  });
});
