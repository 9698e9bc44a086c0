/** The one schema; drizzle-kit generates migrations from it. */
export * from './organization.ts';
export * from './identity.ts';
export * from './patient.ts';
export * from './clinical.ts';
export * from './audit.ts';
export * from './access.ts';
export * from './mail.ts';
export * from './messaging.ts';
export * from './scheduling.ts';
export * from './branding.ts';
export * from './sharing.ts';
export * from './practice.ts';
export * from './outside.ts';
