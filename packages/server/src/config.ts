import path from 'node:path';
import { z } from 'zod';
import { limits } from '@portico/shared';
import type { DatabaseTarget } from './db/client.ts';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().optional(),
  PORTICO_DATA_DIR: z.string().default('./data'),
  PORTICO_ATTACHMENTS_DIR: z.string().min(1).optional(),
  PORTICO_DEMO: flag.optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Portico <no-reply@portico.local>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORTICO_IDLE_MINUTES_PATIENT: z.coerce.number().positive().max(720).default(limits.patientIdleMinutes),
  PORTICO_IDLE_MINUTES_STAFF: z.coerce.number().positive().max(720).default(limits.staffIdleMinutes),
  PORTICO_WEB_DIST: z.string().optional(),
});

/** Everything the server reads from its environment, checked once at start. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  database: DatabaseTarget;
  /** Where uploaded message attachments are kept, each under a generated name (SECURITY.md "Uploads"). */
  attachmentsDir: string;
  /** Demo mode: demo data on first start and mail delivered to /dev/mailbox. */
  demo: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  idleMinutes: { patient: number; staff: number };
  absoluteSessionHours: number;
  /** Built web app to serve, when present. */
  webDist: string | undefined;
}

/** Reads the configuration; a bad variable stops start-up with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  const database: DatabaseTarget = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL }
    : { kind: 'embedded', dataDir: e.PORTICO_DATA_DIR };
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    database,
    attachmentsDir: path.resolve(e.PORTICO_ATTACHMENTS_DIR ?? path.join(e.PORTICO_DATA_DIR, 'attachments')),
    demo: e.PORTICO_DEMO ?? database.kind === 'embedded',
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    idleMinutes: { patient: e.PORTICO_IDLE_MINUTES_PATIENT, staff: e.PORTICO_IDLE_MINUTES_STAFF },
    absoluteSessionHours: limits.absoluteSessionHours,
    webDist: e.PORTICO_WEB_DIST,
  };
}
