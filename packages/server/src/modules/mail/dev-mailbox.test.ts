import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devMailbox } from '../../db/schema/index.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';

let demo: TestApp;
let plain: TestApp;
beforeAll(async () => {
  [demo, plain] = await Promise.all([buildTestApp({ demo: true }), buildTestApp()]);
});
afterAll(async () => {
  await Promise.all([demo.close(), plain.close()]);
});

describe('GET /dev/mailbox', () => {
  it('shows demo-mode mail as escaped text with clickable links, never cached', async () => {
    await demo.db.insert(devMailbox).values({
      toAddress: 'a@example.test',
      subject: '<script>alert(1)</script> Confirm',
      text: 'Open http://localhost:3000/verify-email#token=abc123 <img src=x onerror=alert(1)>',
    });
    const response = await demo.app.inject({ method: 'GET', url: '/dev/mailbox' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).not.toContain('<script>alert(1)');
    expect(response.body).not.toContain('<img src=x');
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Confirm');
    expect(response.body).toContain('<a href="http://localhost:3000/verify-email#token=abc123">');
  });

  it('does not exist outside demo mode (404)', async () => {
    const response = await plain.app.inject({ method: 'GET', url: '/dev/mailbox' });
    expect(response.statusCode).toBe(404);
  });
});
