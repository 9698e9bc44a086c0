/** FHIR R4: validation, search columns, sensitivity, references and display text for the store and the pages. */
export * from './display.ts';
