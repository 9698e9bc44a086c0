import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents, memberships, sponsorValidations } from '../../db/schema/index.ts';
import { buildOrganization } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { dueOf, lastDayOf, validationPeriodAt } from './sponsor-calendar.ts';
import { runSponsorValidations } from './sponsor-validation-job.ts';
import { buildSponsor, buildSponsored, setOrganizationZone } from './sponsors.test-support.ts';

/**
 * The Sponsored User Validation's calendar (issue 12 §1) in a zone far from UTC (Pacific/Auckland, UTC+12/+13): April 1
 * and October 1 open a period at the organization's midnight, the day before does not; 30 days to complete it.
 */
const zone = 'Pacific/Auckland';

describe('the validation calendar', () => {
  it('puts each day in its period on the organization’s calendar', () => {
    // 2027-03-31 23:59 in Auckland (NZDT, UTC+13) is still October's period; a minute later April's begins.
    expect(validationPeriodAt(new Date('2027-03-31T10:59:00Z'), zone).periodStart).toBe('2026-10-01');
    expect(validationPeriodAt(new Date('2027-03-31T11:00:00Z'), zone).periodStart).toBe('2027-04-01');
    // 2027-09-30 23:59 in Auckland (NZDT from the last Sunday of September) is April's; October's begins at midnight.
    expect(validationPeriodAt(new Date('2027-09-30T10:59:00Z'), zone).periodStart).toBe('2027-04-01');
    expect(validationPeriodAt(new Date('2027-09-30T11:00:00Z'), zone).periodStart).toBe('2027-10-01');
    // In UTC the same instants are still March 31 and September 30.
    expect(validationPeriodAt(new Date('2027-03-31T11:00:00Z'), 'UTC').periodStart).toBe('2026-10-01');
    expect(validationPeriodAt(new Date('2027-01-15T00:00:00Z'), zone).periodStart).toBe('2026-10-01');
  });

  it('keeps day 30 open and locks at the midnight that begins day 31, daylight saving included', () => {
    // April 1 2027 is NZDT (+13); May 1 is NZST (+12): day 31 begins at 2027-04-30T12:00Z.
    const april = dueOf('2027-04-01', zone);
    expect(april.dueAt.toISOString()).toBe('2027-04-30T12:00:00.000Z');
    expect(april.lastDay).toBe('2027-04-30');
    expect(lastDayOf(april.dueAt, zone)).toBe('2027-04-30');
    const lastMinuteOfDay30 = new Date('2027-04-30T11:59:59Z');
    expect(lastMinuteOfDay30 < april.dueAt).toBe(true);
    // October 1 2027 is NZDT (+13): day 31 (October 31) begins at 2027-10-30T11:00Z.
    const october = dueOf('2027-10-01', zone);
    expect(october.dueAt.toISOString()).toBe('2027-10-30T11:00:00.000Z');
    expect(october.lastDay).toBe('2027-10-30');
  });
});

describe('runSponsorValidations', () => {
  let t: TestApp;
  let orgId: string;
  beforeAll(async () => {
    t = await buildTestApp();
    orgId = (await buildOrganization(t.db)).organization.id;
    await setOrganizationZone(t.db, orgId, zone);
  });
  afterAll(() => t.close());

  const validationsOf = (sponsorUserId: string) =>
    t.db.select().from(sponsorValidations).where(eq(sponsorValidations.sponsorUserId, sponsorUserId));

  it('opens April’s period on April 1 in the organization’s zone and not the day before; twice makes one row and one email', async () => {
    const sponsor = await buildSponsor(t.db, orgId);
    // Sponsored after the October period began, before April's: October's period does not concern them.
    await buildSponsored(t.db, orgId, sponsor, { since: new Date('2027-01-15T00:00:00Z') });
    await runSponsorValidations(t.db, 'http://localhost:3000', new Date('2027-03-31T10:59:00Z'));
    expect(await validationsOf(sponsor.id)).toEqual([]);

    await runSponsorValidations(t.db, 'http://localhost:3000', new Date('2027-03-31T11:00:00Z'));
    await runSponsorValidations(t.db, 'http://localhost:3000', new Date('2027-04-02T11:00:00Z'));
    const rows = await validationsOf(sponsor.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ periodStart: '2027-04-01', organizationId: orgId, completedAt: null });
    expect(rows[0]!.dueAt.toISOString()).toBe('2027-04-30T12:00:00.000Z');
    expect(rows[0]!.notifiedAt).not.toBeNull();

    const mail = (await t.mail()).filter((m) => m.toAddress === sponsor.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain('Your Sponsored User Validation is due by April 30, 2027');
    expect(mail[0]!.text).toContain('http://localhost:3000/sponsor/validation');
    const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.objectId, rows[0]!.id));
    expect(audit).toMatchObject({ action: 'sponsor.validation.open', outcome: 'success' });
  });

  it('opens October’s period on October 1 and not on September 30', async () => {
    const sponsor = await buildSponsor(t.db, orgId);
    await buildSponsored(t.db, orgId, sponsor, { since: new Date('2027-05-10T00:00:00Z') });
    await runSponsorValidations(t.db, 'http://localhost:3000', new Date('2027-09-30T10:59:00Z'));
    expect(await validationsOf(sponsor.id)).toEqual([]);
    await runSponsorValidations(t.db, 'http://localhost:3000', new Date('2027-09-30T11:00:00Z'));
    const rows = await validationsOf(sponsor.id);
    expect(rows.map((r) => r.periodStart)).toEqual(['2027-10-01']);
    expect(rows[0]!.dueAt.toISOString()).toBe('2027-10-30T11:00:00.000Z');
  });

  it('asks nothing of a sponsor whose sponsored users all began after the period’s first day, or who has none', async () => {
    const late = await buildSponsor(t.db, orgId);
    // Sponsored at 00:30 on April 1 in Auckland: after the period began.
    await buildSponsored(t.db, orgId, late, { since: new Date('2028-03-31T11:30:00Z') });
    const alone = await buildSponsor(t.db, orgId);
    await runSponsorValidations(t.db, 'http://localhost:3000', new Date('2028-04-05T00:00:00Z'));
    expect(await validationsOf(late.id)).toEqual([]);
    expect(await validationsOf(alone.id)).toEqual([]);
  });

  it('does not count removed sponsored users', async () => {
    const sponsor = await buildSponsor(t.db, orgId);
    const staff = await buildSponsored(t.db, orgId, sponsor, { since: new Date('2028-06-01T00:00:00Z') });
    await t.db
      .update(memberships)
      .set({ endedAt: new Date('2028-07-01T00:00:00Z') })
      .where(eq(memberships.userId, staff.id));
    await runSponsorValidations(t.db, 'http://localhost:3000', new Date('2028-10-02T00:00:00Z'));
    expect(await validationsOf(sponsor.id)).toEqual([]);
  });
});
