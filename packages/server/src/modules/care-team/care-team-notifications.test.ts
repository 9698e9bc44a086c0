import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, users } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { resultFollowUp } from '../fhir-import/import-follow-up.ts';
import { buildOutsideProvider } from './care-team.fixtures.ts';

const publicUrl = 'http://localhost:3000';
let t: TestApp;
let orgId: string;
let clinician: { id: string; token: string };

/** A patient with an outside PCP (English) and a care-team member (Spanish), one former member, and a session. */
async function buildFamily(options: { memberConsents?: string[] } = {}) {
  const pcp = await buildOutsideProvider(t.db, orgId, { locale: 'en' });
  const member = await buildOutsideProvider(t.db, orgId, { locale: 'es' });
  const former = await buildOutsideProvider(t.db, orgId);
  const { patient, user } = await buildPatient(t.db, orgId, {
    withAccount: true,
    givenName: 'Quinlan',
    familyName: 'Marchetti',
    pcpId: pcp.id,
  });
  const token = await signInAs(t.db, user!);
  for (const provider of [member, former]) {
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${patient.id}/care-team`,
      headers: { ...csrfHeaders, ...cookieFor(token) },
      payload: { providerUserId: provider.id },
    });
    expect(added.statusCode).toBe(201);
    if (provider === former) {
      const grantId = added.json().member.grantId;
      expect(
        (
          await t.app.inject({
            method: 'DELETE',
            url: `/api/patients/${patient.id}/care-team/${grantId}`,
            headers: { ...csrfHeaders, ...cookieFor(token) },
          })
        ).statusCode,
      ).toBe(200);
    } else if (options.memberConsents)
      await t.db
        .update(accessGrants)
        .set({ sensitiveCategories: options.memberConsents })
        .where(eq(accessGrants.id, added.json().member.grantId));
  }
  return { patient, token, pcp, member, former };
}

let sequence = 0;

/** A new lab result as the importer stores it. */
function storeLab(patientId: string) {
  const effectiveAt = new Date(Date.now() - 86400_000 + sequence++ * 60_000);
  return buildFhirResource(t.db, {
    organizationId: orgId,
    patientId,
    category: 'laboratory',
    effectiveAt,
    status: 'final',
    resource: { resourceType: 'Observation', status: 'final', code: { text: 'Glucose' }, valueQuantity: { value: 250, unit: 'mg/dL' } },
  });
}

/** A finished visit as the importer stores it, optionally sensitive or marked confidential (meta.security R). */
function storeVisit(patientId: string, options: { sensitive?: 'mental_health'; confidential?: boolean } = {}) {
  return buildFhirResource(t.db, {
    organizationId: orgId,
    patientId,
    status: 'finished',
    effectiveAt: new Date(),
    sensitiveCategory: options.sensitive ?? null,
    resource: {
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'AMB' },
      type: [{ text: 'Psychiatry follow-up' }],
      ...(options.confidential
        ? { meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] } }
        : {}),
    },
  });
}

/** What the importer runs after writing these rows. */
const afterImport = (rows: { id: string; resourceType: string; category: string | null; patientId: string | null }[]) =>
  t.db.transaction((tx) => resultFollowUp(publicUrl)(tx, rows));

const mailTo = async (email: string) => (await t.mail()).filter((m) => m.toAddress === email);

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db, 'Riverside Health')).organization.id;
  const user = await buildUser(t.db, { role: 'clinician', organizationId: orgId, mfa: true });
  clinician = { id: user.id, token: await signInAs(t.db, user) };
});
afterAll(() => t.close());

describe('care-team emails for a result released to the patient', () => {
  it('emails the outside PCP and each member once, in their language, with no patient data; not a former member', async () => {
    const family = await buildFamily();
    const lab = await storeLab(family.patient.id);
    await afterImport([lab]);
    await afterImport([lab]);
    const [toPcp, ...morePcp] = await mailTo(family.pcp.email);
    expect(morePcp).toEqual([]);
    expect(toPcp!.subject).toBe('New information about one of your patients is available in MyPatients');
    expect(toPcp!.text).toContain(`${publicUrl}/sign-in`);
    expect(toPcp!.text).toContain('Riverside Health');
    const toMember = await mailTo(family.member.email);
    expect(toMember).toHaveLength(1);
    expect(toMember[0]!.subject).toBe('Hay información nueva sobre uno de sus pacientes en MyPatients');
    for (const mail of [toPcp!, toMember[0]!])
      for (const secret of ['Quinlan', 'Marchetti', family.patient.mrn, family.patient.id, 'Glucose', '250'])
        expect(`${mail.subject}\n${mail.text}`).not.toContain(secret);
    expect(await mailTo(family.former.email)).toEqual([]);
  });

  it('waits for a held result until a clinician releases it', async () => {
    const family = await buildFamily();
    const setMode = await t.app.inject({
      method: 'PUT',
      url: `/api/patients/${family.patient.id}/record/results-release`,
      headers: { ...csrfHeaders, ...cookieFor(family.token) },
      payload: { mode: 'after_review' },
    });
    expect(setMode.statusCode).toBe(200);
    const lab = await storeLab(family.patient.id);
    await afterImport([lab]);
    expect(await mailTo(family.member.email)).toEqual([]);
    const release = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${family.patient.id}/record/results/${lab.id}/release`,
      headers: { ...csrfHeaders, ...cookieFor(clinician.token) },
      payload: {},
    });
    expect(release.statusCode).toBe(200);
    expect(await mailTo(family.member.email)).toHaveLength(1);
    expect(await mailTo(family.pcp.email)).toHaveLength(1);
  });

  it('sends nothing to a health-system clinician who is the PCP, nor to a disabled member', async () => {
    const family = await buildFamily();
    const { patient } = await buildPatient(t.db, orgId, { pcpId: clinician.id });
    await t.db.insert(accessGrants).values({
      kind: 'care_team',
      granteeUserId: family.member.id,
      patientId: patient.id,
      level: 'read',
      categories: ['demographics', 'clinical', 'appointments'],
    });
    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, family.member.id));
    await afterImport([await storeLab(patient.id)]);
    const clinicianEmail = (await t.db.select({ email: users.email }).from(users).where(eq(users.id, clinician.id)))[0]!.email;
    expect(await mailTo(clinicianEmail)).toEqual([]);
    expect(await mailTo(family.member.email)).toEqual([]);
  });
});

describe('care-team emails for a visit summary', () => {
  it('emails the PCP and the members when a finished visit is imported', async () => {
    const family = await buildFamily();
    await afterImport([await storeVisit(family.patient.id)]);
    expect(await mailTo(family.pcp.email)).toHaveLength(1);
    expect(await mailTo(family.member.email)).toHaveLength(1);
    expect((await mailTo(family.member.email))[0]!.text).not.toMatch(/Psychiatry|Quinlan/);
  });

  it('tells of a sensitive visit only the member the patient consented to show it to; of a confidential one, nobody', async () => {
    const family = await buildFamily({ memberConsents: ['mental_health'] });
    await afterImport([await storeVisit(family.patient.id, { sensitive: 'mental_health' })]);
    expect(await mailTo(family.member.email)).toHaveLength(1);
    expect(await mailTo(family.pcp.email)).toEqual([]);
    await afterImport([await storeVisit(family.patient.id, { confidential: true })]);
    expect(await mailTo(family.member.email)).toHaveLength(1);
    expect(await mailTo(family.pcp.email)).toEqual([]);
  });
});
