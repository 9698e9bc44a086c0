import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import type { Database, DatabaseHandle } from '../db/client.ts';
import { createDevMailboxTransport } from '../modules/mail/mail.transport.ts';
import { deliverPendingMail } from '../modules/mail/outbox.worker.ts';
import { devMailbox } from '../db/schema/index.ts';
import { desc } from 'drizzle-orm';
import { createTestDatabase } from './test-database.ts';

/**
 * Configuration for tests: no demo data, mail to the test mailbox table, attachments in a fresh temporary directory,
 * default timeouts unless overridden.
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: 'test',
    port: 0,
    host: '127.0.0.1',
    publicUrl: 'http://localhost:3000',
    database: { kind: 'embedded', dataDir: '.tmp/unused' },
    attachmentsDir: path.join(tmpdir(), `portico-test-attachments-${randomBytes(6).toString('hex')}`),
    demo: false,
    smtpUrl: undefined,
    mailFrom: 'Portico <no-reply@portico.test>',
    logLevel: 'silent',
    idleMinutes: { patient: 30, staff: 15 },
    absoluteSessionHours: 12,
    webDist: '/nonexistent',
    ...overrides,
  };
}

/** A built app on its own database, with helpers to read the mail it sent. */
export interface TestApp {
  app: FastifyInstance;
  db: Database;
  database: DatabaseHandle;
  /** Delivers queued mail to the mailbox table and returns every message, newest first. */
  mail(): Promise<{ toAddress: string; subject: string; text: string }[]>;
  close(): Promise<void>;
}

/** Builds the real app on a fresh test database (STYLE.md: endpoint tests through app.inject, no mocked database). */
export async function buildTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig(overrides);
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  const transport = createDevMailboxTransport(database.db);
  return {
    app,
    db: database.db,
    database,
    async mail() {
      await deliverPendingMail(database.db, transport, 100);
      return database.db.select().from(devMailbox).orderBy(desc(devMailbox.id));
    },
    async close() {
      await app.close();
      await database.close();
      if (overrides.attachmentsDir === undefined) await rm(config.attachmentsDir, { recursive: true, force: true });
    },
  };
}

/** The headers a browser of ours sends on state-changing requests. */
export const csrfHeaders = { 'x-requested-with': 'portico' } as const;

/** The session cookie value from a response, if it set one. */
export function sessionCookieFrom(response: { cookies: { name: string; value: string }[] }): string | undefined {
  return response.cookies.find((c) => c.name === 'portico_session' && c.value !== '')?.value;
}

/** Extracts a `#token=` link token from an email body. */
export function linkTokenFrom(text: string): string {
  const match = /#token=([A-Za-z0-9_-]+)/.exec(text);
  if (!match?.[1]) throw new Error('no link token in the email');
  return match[1];
}
