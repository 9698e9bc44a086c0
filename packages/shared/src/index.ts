/** The contract between server and web: schemas, types, error codes, limits. */
export * from './errors.ts';
export * from './limits.ts';
export * from './rules.ts';
export * from './brand.ts';
export * from './api/common.ts';
export * from './api/access.ts';
export * from './api/auth.ts';
export * from './api/signup.ts';
export * from './api/patients.ts';
export * from './api/system.ts';
export * from './api/record.ts';
export * from './api/messaging.ts';
export * from './api/scheduling.ts';
export * from './api/branding.ts';
export * from './api/proxies.ts';
export * from './api/activity.ts';
export * from './contrast.ts';
