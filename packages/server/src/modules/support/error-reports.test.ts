import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildUser, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { auditOf, supportClient } from './support-test-helpers.ts';

let t: TestApp;
let orgId: string;
let support: string;
let otherSupport: string;
let clinician: string;
let provider: string;
let providerEmail: string;
let client: ReturnType<typeof supportClient>;

/** The PNG signature and a little more: enough for the byte check. */
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);

beforeAll(async () => {
  t = await buildTestApp();
  client = supportClient(t);
  orgId = (await buildOrganization(t.db)).organization.id;
  const otherOrgId = (await buildOrganization(t.db)).organization.id;
  support = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: orgId }));
  otherSupport = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: otherOrgId }));
  clinician = await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: orgId }));
  const user = await buildUser(t.db, { role: 'sponsored_staff', organizationId: orgId, mfa: true });
  providerEmail = user.email;
  provider = await signInAs(t.db, user);
});
afterAll(() => t.close());

const report = (body: object, session = provider) => client.post('/api/support/error-reports', body, session);
const valid = { page: '/mypatients', description: 'The search button does nothing.' };

describe('POST /api/support/error-reports', () => {
  it('stores the report with its screenshot, due two business days later', async () => {
    const before = Date.now();
    const response = await report({ ...valid, screenshot: png.toString('base64') });
    expect(response.statusCode).toBe(201);
    const created = response.json<{ report: { id: string; dueAt: string; screenshotType: string; status: string } }>().report;
    expect(created).toMatchObject({ screenshotType: 'image/png', status: 'open' });
    const days = (Date.parse(created.dueAt) - before) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(1.9);
    expect(days).toBeLessThanOrEqual(4.1);
    expect(await auditOf(t.db, 'error_report.create', created.id)).toHaveLength(1);
  });

  it('refuses a forged screenshot (text named .png) with 400 naming screenshot', async () => {
    const response = await report({ ...valid, screenshot: Buffer.from('<html>not an image</html>').toString('base64') });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('screenshot');
  });

  it('answers 400 for a page with a query, an empty description and a screenshot over 2 MB', async () => {
    expect((await report({ ...valid, page: '/mypatients?q=Lopez' })).statusCode).toBe(400);
    expect((await report({ ...valid, description: '  ' })).statusCode).toBe(400);
    const big = Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]);
    const response = await report({ ...valid, screenshot: big.toString('base64') });
    expect(response.statusCode).toBe(400);
  });

  it('answers 401 without a session and 403 to staff', async () => {
    expect((await client.post('/api/support/error-reports', valid)).statusCode).toBe(401);
    expect((await report(valid, clinician)).statusCode).toBe(403);
  });
});

describe('the support team’s side of error reports', () => {
  it('lists open reports, serves the screenshot inline and nosniff, answers, and the reporter reads the answer', async () => {
    const created = (await report({ ...valid, screenshot: png.toString('base64') })).json<{ report: { id: string } }>().report;
    const queue = await client.get('/api/support/error-reports?status=open', support);
    expect(queue.statusCode).toBe(200);
    expect(queue.json<{ reports: { id: string }[] }>().reports.map((r) => r.id)).toContain(created.id);
    const one = await client.get(`/api/support/error-reports/${created.id}`, support);
    expect(one.json().report.reporter.email).toBe(providerEmail);
    const image = await client.get(`/api/support/error-reports/${created.id}/screenshot`, support);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['content-disposition']).toBe('inline');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(image.rawPayload, png)).toBe(0);
    const answered = await client.post(`/api/support/error-reports/${created.id}/answer`, { answer: 'Fixed: clear your cache.' }, support);
    expect(answered.statusCode).toBe(200);
    expect(answered.json().report.status).toBe('answered');
    const mine = await client.get('/api/support/error-reports/mine', provider);
    expect(mine.json<{ reports: { id: string; answer: string | null }[] }>().reports.find((r) => r.id === created.id)?.answer).toBe(
      'Fixed: clear your cache.',
    );
    const mail = (await t.mail()).find((m) => m.toAddress === providerEmail && m.subject === 'Your problem report was answered');
    expect(mail).toBeDefined();
    expect(mail!.text).not.toContain('clear your cache');
    const again = await client.post(`/api/support/error-reports/${created.id}/answer`, { answer: 'Again' }, support);
    expect(again.statusCode).toBe(409);
  });

  it('answers 404 to another organization’s support team and for a report without a screenshot', async () => {
    const created = (await report(valid)).json<{ report: { id: string } }>().report;
    expect((await client.get(`/api/support/error-reports/${created.id}`, otherSupport)).statusCode).toBe(404);
    expect((await client.get(`/api/support/error-reports/${created.id}/screenshot`, otherSupport)).statusCode).toBe(404);
    expect((await client.post(`/api/support/error-reports/${created.id}/answer`, { answer: 'x' }, otherSupport)).statusCode).toBe(404);
    expect((await client.get(`/api/support/error-reports/${created.id}/screenshot`, support)).statusCode).toBe(404);
  });

  it('answers 400 for an empty answer, 401 without a session and 403 to the reporter', async () => {
    const created = (await report(valid)).json<{ report: { id: string } }>().report;
    expect((await client.post(`/api/support/error-reports/${created.id}/answer`, { answer: '' }, support)).statusCode).toBe(400);
    expect((await client.get('/api/support/error-reports')).statusCode).toBe(401);
    expect((await client.get('/api/support/error-reports', provider)).statusCode).toBe(403);
    expect((await client.get(`/api/support/error-reports/${created.id}`, provider)).statusCode).toBe(403);
    expect((await client.get('/api/support/error-reports?status=closed', support)).statusCode).toBe(400);
    expect((await client.get('/api/support/error-reports/mine', support)).statusCode).toBe(403);
    expect((await client.get('/api/support/error-reports/mine')).statusCode).toBe(401);
    expect((await client.get('/api/support/error-reports/not-an-id', support)).statusCode).toBe(400);
    expect((await client.post('/api/support/error-reports/not-an-id/answer', { answer: 'x' }, support)).statusCode).toBe(400);
  });
});
