import { describe, expect, it } from 'vitest';
import { FhirError, operationOutcome, type OutcomeIssue } from './outcome.ts';

const issues: OutcomeIssue[] = [
  { severity: 'error', code: 'required', diagnostics: 'Observation.status is required', expression: ['Bundle.entry[3].resource.status'] },
  { severity: 'warning', code: 'processing', diagnostics: 'Second' },
];

describe('operationOutcome', () => {
  it('maps issues one to one into an R4 OperationOutcome', () => {
    expect(operationOutcome(issues)).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'required',
          diagnostics: 'Observation.status is required',
          expression: ['Bundle.entry[3].resource.status'],
        },
        { severity: 'warning', code: 'processing', diagnostics: 'Second' },
      ],
    });
  });
});

describe('FhirError', () => {
  it('carries the status and issues, with the first diagnostics as its message', () => {
    const error = new FhirError(422, issues);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(422);
    expect(error.issues).toBe(issues);
    expect(error.message).toBe('Observation.status is required');
    expect(new FhirError(500, []).message).toBe('FHIR error 500');
  });
});
