import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { npiCheckDigit } from '@portico/shared';
import { auditEvents, providerRegistrations, users } from '../../db/schema/index.ts';
import { buildOrganization, buildUser } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
/** The deployment's organization: built first, so the oldest. */
let orgId: string;
let orgName: string;
beforeAll(async () => {
  t = await buildTestApp();
  const { organization } = await buildOrganization(t.db);
  orgId = organization.id;
  orgName = organization.name;
  await buildOrganization(t.db);
});
afterAll(() => t.close());

/** A fresh valid NPI: nine random digits after a 1, and their check digit. */
function freshNpi(): string {
  const nine = `1${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
  return `${nine}${npiCheckDigit(nine)}`;
}

/** A complete registration with a fresh NPI and email. */
function registration(overrides: Record<string, unknown> = {}) {
  const tag = randomBytes(4).toString('hex');
  return {
    givenName: 'Ada',
    familyName: 'Harbor',
    credentials: 'MD',
    npi: freshNpi(),
    email: `ada-${tag}@practice.example.test`,
    phone: '+1 617 555 0100',
    fax: '617-555-0101',
    practiceName: 'Harbor Pediatrics',
    practiceAddress: '1 Harbor Way, Boston MA 02110',
    practicePhone: '617 555 0102',
    ...overrides,
  };
}

let address = 0;
/** Each call from its own client address unless one is given, so the hourly limit only bites where a test means it. */
const register = (payload: object, remoteAddress = `198.51.100.${(address++ % 250) + 1}`, language = 'en') =>
  t.app.inject({
    method: 'POST',
    url: '/api/provider-registrations',
    headers: { ...csrfHeaders, 'accept-language': language },
    payload,
    remoteAddress,
  });

describe('POST /api/provider-registrations', () => {
  it('answers 202, stores a pending registration of the deployment organization, emails the registrant and audits it', async () => {
    const body = registration({ practiceFax: '617 555 0103' });
    const response = await register(body);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ received: true });
    const [row] = await t.db.select().from(providerRegistrations).where(eq(providerRegistrations.npi, body.npi));
    expect(row).toMatchObject({
      organizationId: orgId,
      status: 'pending',
      givenName: 'Ada',
      familyName: 'Harbor',
      credentials: 'MD',
      email: body.email,
      phone: body.phone,
      fax: body.fax,
      practiceName: body.practiceName,
      practiceAddress: body.practiceAddress,
      practicePhone: body.practicePhone,
      practiceFax: '617 555 0103',
      userId: null,
      decidedAt: null,
      locale: 'en',
    });
    const [mail] = (await t.mail()).filter((m) => m.toAddress === body.email);
    expect(mail!.subject).toBe('We received your registration for the provider portal');
    expect(mail!.text).toContain('within 2 business days');
    expect(mail!.text).toContain(orgName);
    expect(mail!.text).not.toContain(body.npi);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'provider.registration.create'), eq(auditEvents.objectId, row!.id)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'success', actorUserId: null });
  });

  it('emails a registrant who wrote in Spanish in Spanish, and the optional fields may be left out', async () => {
    const { credentials: _c, fax: _f, ...body } = registration();
    expect((await register(body, undefined, 'es')).statusCode).toBe(202);
    const [row] = await t.db.select().from(providerRegistrations).where(eq(providerRegistrations.npi, body.npi));
    expect(row).toMatchObject({ credentials: null, fax: null, practiceFax: null, locale: 'es' });
    const [mail] = (await t.mail()).filter((m) => m.toAddress === body.email);
    expect(mail!.subject).toBe('Recibimos su registro para el portal de proveedores');
    expect(mail!.text).toContain('2 días hábiles');
  });

  it('answers 400 naming npi with a clear message when the check digit is wrong, and stores nothing', async () => {
    const good = freshNpi();
    const bad = `${good.slice(0, 9)}${(Number(good[9]) + 1) % 10}`;
    for (const npi of [bad, '123456789', '3234567893', 'abcdefghij']) {
      const response = await register(registration({ npi }));
      expect(response.statusCode, npi).toBe(400);
      expect(response.json().error.field).toBe('npi');
      expect(response.json().error.message).toContain('That is not a valid NPI: check the 10 digits.');
    }
    expect(await t.db.select().from(providerRegistrations).where(eq(providerRegistrations.npi, bad))).toEqual([]);
  });

  it.each([
    ['givenName', { givenName: undefined }],
    ['familyName', { familyName: '  ' }],
    ['email', { email: 'not-an-email' }],
    ['phone', { phone: undefined }],
    ['phone', { phone: 'call me' }],
    ['practiceName', { practiceName: undefined }],
    ['practiceAddress', { practiceAddress: '' }],
    ['practicePhone', { practicePhone: undefined }],
  ])('answers 400 naming %s when it is missing or malformed', async (field, overrides) => {
    const response = await register(registration(overrides));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe(field);
  });

  it('ignores a status, organization or account the body tries to set: the registration waits, of the deployment', async () => {
    const { organization: other } = await buildOrganization(t.db);
    const body = registration({ status: 'approved', organizationId: other.id, userId: other.id });
    expect((await register(body)).statusCode).toBe(202);
    const [row] = await t.db.select().from(providerRegistrations).where(eq(providerRegistrations.npi, body.npi));
    expect(row).toMatchObject({ status: 'pending', userId: null, organizationId: orgId });
  });

  it('answers 409 registration_pending when a registration with the NPI already waits', async () => {
    const first = registration();
    expect((await register(first)).statusCode).toBe(202);
    const again = await register(registration({ npi: first.npi }));
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'registration_pending', field: 'npi' });
    expect(again.json().error.message).toContain('already waiting');
    expect(await t.db.select().from(providerRegistrations).where(eq(providerRegistrations.npi, first.npi))).toHaveLength(1);
    const failures = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'provider.registration.create'), eq(auditEvents.outcome, 'failure')));
    expect(failures.length).toBeGreaterThan(0);
  });

  it('answers 409 npi_taken when an account already has the NPI', async () => {
    const npi = freshNpi();
    const provider = await buildUser(t.db, { role: 'outside_provider', organizationId: orgId });
    await t.db.update(users).set({ npi }).where(eq(users.id, provider.id));
    const response = await register(registration({ npi }));
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'npi_taken', field: 'npi' });
    expect(await t.db.select().from(providerRegistrations).where(eq(providerRegistrations.npi, npi))).toEqual([]);
  });

  it('answers 403 csrf_failed without the header our pages send', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/provider-registrations', payload: registration() });
    expect(response.statusCode).toBe(403);
  });

  it('answers 429 after 10 registrations from one address in an hour; another address is unaffected', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 11; n++) statuses.push((await register(registration(), '203.0.113.50')).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect((await register(registration(), '203.0.113.50')).json().error.code).toBe('too_many_requests');
    expect((await register(registration(), '203.0.113.51')).statusCode).toBe(202);
  });
});
