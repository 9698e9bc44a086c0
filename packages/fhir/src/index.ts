/** FHIR R4: validation, search columns, sensitivity, references and display text for the store and the pages. */
export * from './display.ts';
export * from './references.ts';
export * from './display-more.ts';
export * from './display-results.ts';
export * from './outcome.ts';
export * from './validate.ts';
export * from './columns.ts';
export * from './sensitivity.ts';
export * from './compartment.ts';
export * from './display-medication.ts';
