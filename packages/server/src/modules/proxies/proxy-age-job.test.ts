import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, organizations, outbox, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { runProxyAgeRules } from './proxy-age-job.ts';
import { fullProxyCategories } from './proxy-access.ts';

let t: TestApp;
let orgId: string;
const publicUrl = 'http://localhost:3000';

/** A patient born on `birthDate` in the Los Angeles organization, and a guardian (or the patient's own invitee). */
async function withProxy(birthDate: string, grantedByPatient = false, options: { organizationId?: string; withAccount?: boolean } = {}) {
  const { patient, user } = await buildPatient(t.db, options.organizationId ?? orgId, {
    birthDate,
    withAccount: grantedByPatient || options.withAccount === true,
  });
  const proxy = await buildUser(t.db, { role: 'proxy', organizationId: orgId });
  const [grant] = await t.db
    .insert(accessGrants)
    .values({
      granteeUserId: proxy.id,
      patientId: patient.id,
      kind: 'proxy',
      relationship: grantedByPatient ? 'invited' : 'guardian',
      level: 'full',
      categories: [...fullProxyCategories],
      grantedBy: grantedByPatient ? user!.id : null,
    })
    .returning();
  return { grantId: grant!.id, proxyId: proxy.id };
}

const queued = (grantId: string) =>
  t.db
    .select()
    .from(outbox)
    .where(like(outbox.eventKey, `proxy-age:${grantId}:%`));
const grantOf = async (grantId: string) => (await t.db.select().from(accessGrants).where(eq(accessGrants.id, grantId)))[0]!;

beforeAll(async () => {
  t = await buildTestApp({ publicUrl });
  const { organization } = await buildOrganization(t.db, 'Riverside Health');
  orgId = organization.id;
  await t.db.update(organizations).set({ timeZone: 'America/Los_Angeles' }).where(eq(organizations.id, orgId));
});
afterAll(() => t.close());

describe('runProxyAgeRules', () => {
  it('tells a guardian once, at local midnight of the 12th birthday (07:00Z in Los Angeles in March), what changes', async () => {
    const { grantId } = await withProxy('2014-03-10');
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-03-10T06:59:59Z'));
    expect(await queued(grantId)).toEqual([]);
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-03-10T07:00:00Z'));
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-03-10T20:00:00Z'));
    const rows = await queued(grantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toMatchObject({ subject: 'What you see of a record you help with has changed' });
    // Where patients have their own account from 13 (the default), the 12th birthday's notice does not speak of one.
    expect((rows[0]!.payload as { text: string }).text).not.toContain('own portal account');
    expect((await grantOf(grantId)).revokedAt).toBeNull();
    // The day after, nothing more.
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-03-11T12:00:00Z'));
    expect(await queued(grantId)).toHaveLength(1);
  });

  it('ends a guardian’s grant at local midnight of the 18th birthday (08:00Z in winter), with a notice in their language', async () => {
    const { grantId, proxyId } = await withProxy('2008-12-08');
    await t.db.update(users).set({ locale: 'es' }).where(eq(users.id, proxyId));
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-12-08T07:59:59Z'));
    expect(await queued(grantId)).toEqual([]);
    expect((await grantOf(grantId)).revokedAt).toBeNull();
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-12-08T08:00:00Z'));
    const rows = await queued(grantId);
    expect(rows.map((r) => (r.payload as { subject: string }).subject)).toEqual(['Su acceso a un expediente médico terminó']);
    expect(await grantOf(grantId)).toMatchObject({ revokeReason: 'age_rules: the patient turned 18' });
  });

  it('leaves alone a proxy the adult patient granted themself', async () => {
    const { grantId } = await withProxy('2008-12-09', true);
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-12-09T12:00:00Z'));
    expect(await queued(grantId)).toEqual([]);
    expect((await grantOf(grantId)).revokedAt).toBeNull();
  });

  it('leaves alone a legal representative set up by staff: the age rules do not end it', async () => {
    const { grantId } = await withProxy('2008-12-10');
    await t.db.update(accessGrants).set({ relationship: 'legal_representative' }).where(eq(accessGrants.id, grantId));
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-12-10T12:00:00Z'));
    expect(await queued(grantId)).toEqual([]);
    expect((await grantOf(grantId)).revokedAt).toBeNull();
  });

  it('counts a 29 February birthday from 1 March in a common year, as the policy does', async () => {
    const { grantId } = await withProxy('2008-02-29');
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-02-28T20:00:00Z'));
    expect(await queued(grantId)).toEqual([]);
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-03-01T20:00:00Z'));
    expect(await queued(grantId)).toHaveLength(1);
  });

  it('tells a guardian on the 13th birthday, once, that the young person can now have their own account (account age 13)', async () => {
    const { grantId } = await withProxy('2013-03-10');
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-03-10T06:59:59Z'));
    expect(await queued(grantId)).toEqual([]);
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-03-10T07:00:00Z'));
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-03-10T23:00:00Z'));
    const rows = await queued(grantId);
    expect(rows.map((r) => r.eventKey)).toEqual([`proxy-age:${grantId}:account`]);
    const { subject, text } = rows[0]!.payload as { subject: string; text: string };
    expect(subject).toBe('A young person you help can now have their own portal account');
    expect(text).toContain(
      'is now 13. From today, they can have their own portal account: they can ask the clinic for an activation code.',
    );
    expect(text).toContain('Riverside Health');
  });

  it('says it in the 12th birthday’s notice where the organization’s account age is 12, and sends nothing at 13', async () => {
    const { organization } = await buildOrganization(t.db, 'Hillside Clinic');
    await t.db
      .update(organizations)
      .set({ timeZone: 'America/Los_Angeles', teenAccountAge: 12 })
      .where(eq(organizations.id, organization.id));
    const { grantId, proxyId } = await withProxy('2014-04-20', false, { organizationId: organization.id });
    await t.db.update(users).set({ locale: 'es' }).where(eq(users.id, proxyId));
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-04-20T06:59:59Z'));
    expect(await queued(grantId)).toEqual([]);
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-04-20T07:00:00Z'));
    const rows = await queued(grantId);
    expect(rows.map((r) => r.eventKey)).toEqual([`proxy-age:${grantId}:teen`]);
    expect((rows[0]!.payload as { text: string }).text).toContain(
      'Ahora también puede tener su propia cuenta en el portal: puede pedir un código de activación a la clínica.',
    );
    await runProxyAgeRules(t.db, publicUrl, new Date('2027-04-20T12:00:00Z'));
    expect(await queued(grantId)).toHaveLength(1);
  });

  it('sends no account notice for a young person who has their own account already', async () => {
    const { grantId } = await withProxy('2013-03-11', false, { withAccount: true });
    await runProxyAgeRules(t.db, publicUrl, new Date('2026-03-11T12:00:00Z'));
    expect(await queued(grantId)).toEqual([]);
  });
});
