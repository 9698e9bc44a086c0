/** Languages and the translator, without any catalogue: `@portico/shared/i18n/en` and `/es` hold those. */
export * from './locales.ts';
export * from './translate.ts';
export type { MessageId } from './en.ts';
