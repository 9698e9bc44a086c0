import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { dataCategories } from '@portico/shared';
import { queryRows, type DatabaseHandle } from '../../db/client.ts';
import { eq } from 'drizzle-orm';
import { organizations as organizationsTable, patients } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser } from '../../test/factories.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import {
  allSensitiveCategories,
  decide,
  isResourceVisible,
  isThreadVisible,
  type Actor,
  type ActorGrant,
  type GrantKind,
  type Membership,
  type PatientRef,
} from './access.policy.ts';
import {
  confidentialThreadFilterSql,
  patientIdInScopeSql,
  patientScopeSql,
  sensitiveRowFilterSql,
  threadTopicFilterSql,
} from './access.scope.ts';

let handle: DatabaseHandle;
let organizations: string[] = [];
let stored: PatientRef[] = [];
/** Physicians who are PCPs of some stored patients (issue 12: outside practices reach their patients). */
let physicians: string[] = [];
const now = new Date();

/** Birth dates around the proxy thresholds (12 and 18), relative to today, plus adults and a leap-day birth. */
function birthDateYearsAgo(years: number, dayShift: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() + dayShift));
  return d.toISOString().slice(0, 10);
}

beforeAll(async () => {
  handle = await createTestDatabase();
  const a = await buildOrganization(handle.db);
  const b = await buildOrganization(handle.db);
  organizations = [a.organization.id, b.organization.id];
  // Zones far apart, so that at some instants the two organizations are on different calendar days (issue 11 §1).
  const zones = ['America/Los_Angeles', 'Pacific/Kiritimati'];
  for (const [i, id] of organizations.entries())
    await handle.db.update(organizationsTable).set({ timeZone: zones[i]! }).where(eq(organizationsTable.id, id));
  const births = [
    birthDateYearsAgo(5, 0),
    birthDateYearsAgo(12, 0),
    birthDateYearsAgo(12, 1),
    birthDateYearsAgo(17, 0),
    birthDateYearsAgo(18, 0),
    birthDateYearsAgo(18, 1),
    birthDateYearsAgo(18, -1),
    birthDateYearsAgo(40, 0),
    '2008-02-29',
  ];
  for (let i = 0; i < 3; i += 1) physicians.push((await buildUser(handle.db, { role: 'patient' })).id);
  for (const [i, birthDate] of births.entries()) {
    const organizationId = organizations[i % 2]!;
    // Most patients have a PCP, one of three physicians; every fourth has none.
    const pcpId = i % 4 === 3 ? undefined : physicians[i % 3]!;
    const { patient } = await buildPatient(handle.db, organizationId, { birthDate, withAccount: i % 3 !== 0, ...(pcpId ? { pcpId } : {}) });
    stored.push({
      id: patient.id,
      organizationId,
      birthDate,
      userId: patient.userId,
      timeZone: i % 2 === 0 ? 'America/Los_Angeles' : 'Pacific/Kiritimati',
      pcpId: pcpId ?? null,
    });
  }
  // A user row for grants that name a grantor other than the patient.
  await buildUser(handle.db, { role: 'front_desk', organizationId: organizations[0]! });
});

afterAll(async () => {
  await handle.close();
  stored = [];
  physicians = [];
});

const staffRoles = ['clinician', 'nurse', 'front_desk', 'billing', 'admin'] as const;
const grantKinds: GrantKind[] = ['proxy', 'care_team', 'approved_request', 'token', 'break_glass', 'app', 'share_link'];

/** Any actor over the stored patients: memberships, maybe an own record, and grants of any kind, level and categories. */
function actorArbitrary(): fc.Arbitrary<Actor> {
  const staffMembership: fc.Arbitrary<Membership> = fc.record({
    kind: fc.constant('staff' as const),
    role: fc.constantFrom(...staffRoles),
    organizationId: fc.constantFrom(...organizations),
  });
  // A member of an outside practice whose physicians are some of the PCPs (issue 12 §2).
  const practiceMembership: fc.Arbitrary<Membership> = fc.record({
    kind: fc.constant('practice' as const),
    role: fc.constantFrom('outside_provider' as const, 'sponsored_staff' as const),
    organizationId: fc.constantFrom(...organizations),
    practice: fc.record({ id: fc.uuid(), physicianIds: fc.subarray(physicians) }),
  });
  const membership = fc.oneof(staffMembership, practiceMembership);
  const grant: fc.Arbitrary<ActorGrant> = fc.record({
    id: fc.uuid(),
    patientId: fc.constantFrom(...stored.map((p) => p.id)),
    kind: fc.constantFrom(...grantKinds),
    level: fc.constantFrom('full' as const, 'limited' as const, 'read' as const),
    categories: fc.subarray([...dataCategories]),
    sensitiveCategories: fc.subarray([...allSensitiveCategories]),
    grantedBy: fc.oneof(
      fc.constant(null),
      fc.constant('00000000-0000-4000-8000-000000000000'),
      fc.constantFrom(...stored.map((p) => p.userId)),
    ),
    relationship: fc.constantFrom(null, 'guardian', 'invited', 'legal_representative'),
  });
  return fc.record({
    userId: fc.uuid(),
    ownPatientId: fc.oneof(fc.constant(null), fc.constantFrom(...stored.map((p) => p.id))),
    memberships: fc.array(membership, { maxLength: 2 }),
    grants: fc.array(grant, { maxLength: 3 }),
  });
}

describe('patientScopeSql and decide agree', () => {
  it('lists a patient exactly when decide allows, for generated actors, every action and category', async () => {
    await fc.assert(
      fc.asyncProperty(
        actorArbitrary(),
        fc.constantFrom('read' as const, 'write' as const),
        fc.constantFrom(...dataCategories),
        // Now and instants hours away: birthdays then begin in one organization's zone and not yet in the other's.
        fc.constantFrom(0, -10, 10, 14, -20).map((hours) => new Date(now.getTime() + hours * 3600_000)),
        async (actor, action, category, at) => {
          const listed = await queryRows<{ id: string }>(
            handle.db,
            sql`select id from ${patients} where ${patientScopeSql(actor, action, category, patients, at)}`,
          );
          const viaSubquery = await queryRows<{ id: string }>(
            handle.db,
            sql`select id from ${patients} where ${patientIdInScopeSql(actor, action, category, sql`${patients}.id`, at)}`,
          );
          const allowed = stored.filter((p) => decide(actor, p, action, category, at).allow).map((p) => p.id);
          const set = (rows: { id: string }[]) => new Set(rows.map((r) => r.id).filter((id) => stored.some((p) => p.id === id)));
          expect(set(listed)).toEqual(new Set(allowed));
          expect(set(viaSubquery)).toEqual(new Set(allowed));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('ends a guardian’s proxy at 18 on the organization’s calendar day, in decide and in the SQL alike', async () => {
    // Born 18 years before tomorrow (UTC): at 12:00Z it is already tomorrow at Kiritimati (UTC+14) but not in Los Angeles.
    const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12));
    const birth = new Date(Date.UTC(at.getUTCFullYear() - 18, at.getUTCMonth(), at.getUTCDate() + 1)).toISOString().slice(0, 10);
    const subjects: PatientRef[] = [];
    for (const [i, organizationId] of organizations.entries()) {
      const { patient } = await buildPatient(handle.db, organizationId, { birthDate: birth });
      subjects.push({
        id: patient.id,
        organizationId,
        birthDate: birth,
        userId: null,
        timeZone: i === 0 ? 'America/Los_Angeles' : 'Pacific/Kiritimati',
      });
    }
    const guardian: Actor = {
      userId: 'g',
      ownPatientId: null,
      memberships: [],
      grants: subjects.map((p, i) => ({
        id: `00000000-0000-4000-8000-00000000000${i}`,
        patientId: p.id,
        kind: 'proxy' as const,
        level: 'full' as const,
        categories: ['demographics', 'clinical'],
        sensitiveCategories: [],
        grantedBy: null,
      })),
    };
    const rows = await queryRows<{ id: string }>(
      handle.db,
      sql`select id from ${patients} where ${patientScopeSql(guardian, 'read', 'clinical', patients, at)}`,
    );
    expect(rows.map((r) => r.id)).toEqual([subjects[0]!.id]);
    expect(subjects.map((p) => decide(guardian, p, 'read', 'clinical', at).allow)).toEqual([true, false]);
  });

  it('lists nothing for an actor with no relationship at all', async () => {
    const nobody: Actor = { userId: 'x', ownPatientId: null, memberships: [], grants: [] };
    const rows = await queryRows<{ id: string }>(
      handle.db,
      sql`select id from ${patients} where ${patientScopeSql(nobody, 'read', 'demographics')}`,
    );
    expect(rows).toEqual([]);
  });
});

describe('the row filter as SQL and decide agree (sensitive categories, confidential content)', () => {
  /** Every kind of resource row and thread the filters tell apart: each sensitive category or none, marked confidential or not. */
  const rows = [null, ...allSensitiveCategories].flatMap((sensitiveCategory, i) =>
    [false, true].map((confidential) => ({ key: `${i}-${confidential}`, sensitiveCategory, confidential })),
  );
  const values = sql.join(
    rows.map((r) => sql`(${r.key}, ${r.sensitiveCategory}::text, ${r.confidential}::boolean)`),
    sql`, `,
  );
  const topics = ['medical_question', 'appointment'];

  it('keeps exactly the rows isResourceVisible keeps, and the threads isThreadVisible keeps, for generated actors and patients', async () => {
    await fc.assert(
      fc.asyncProperty(
        actorArbitrary(),
        fc.constantFrom(...stored),
        fc.constantFrom(0, -10, 10, 14, -20).map((hours) => new Date(now.getTime() + hours * 3600_000)),
        async (actor, subject, at) => {
          const decision = decide(actor, subject, 'read', 'clinical', at);
          const messages = decide(actor, subject, 'read', 'messages', at);
          if (decision.allow) {
            const kept = await queryRows<{ key: string }>(
              handle.db,
              sql`select key from (values ${values}) as r(key, sensitive_category, confidential)
                where ${sensitiveRowFilterSql(decision.filter, { sensitiveCategory: sql.raw('r.sensitive_category'), confidential: sql.raw('r.confidential') }) ?? sql`true`}`,
            );
            const expected = rows.filter((r) => isResourceVisible(decision.filter, r)).map((r) => r.key);
            expect(new Set(kept.map((k) => k.key))).toEqual(new Set(expected));
          }
          if (messages.allow) {
            const threads = topics.flatMap((topic) =>
              [false, true].map((confidential) => ({ key: `${topic}-${confidential}`, topic, confidential })),
            );
            const threadValues = sql.join(
              threads.map((t) => sql`(${t.key}, ${t.topic}, ${t.confidential}::boolean)`),
              sql`, `,
            );
            const kept = await queryRows<{ key: string }>(
              handle.db,
              sql`select key from (values ${threadValues}) as t(key, topic, confidential)
                where ${threadTopicFilterSql(messages.filter, sql.raw('t.topic')) ?? sql`true`}
                  and ${confidentialThreadFilterSql(messages.filter, sql.raw('t.confidential')) ?? sql`true`}`,
            );
            const expected = threads.filter((t) => isThreadVisible(messages.filter, t)).map((t) => t.key);
            expect(new Set(kept.map((k) => k.key))).toEqual(new Set(expected));
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
