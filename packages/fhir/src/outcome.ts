/// <reference types="fhir" />

/** FHIR issue-type codes we use (R4 value set http://hl7.org/fhir/ValueSet/issue-type). */
export type IssueCode =
  | 'structure'
  | 'required'
  | 'value'
  | 'invalid'
  | 'not-found'
  | 'multiple-matches'
  | 'not-supported'
  | 'conflict'
  | 'processing'
  | 'too-costly'
  | 'security';

/** One problem found in input, shaped like OperationOutcome.issue so it can be returned as is. */
export interface OutcomeIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: IssueCode;
  diagnostics: string;
  expression?: string[];
}

/** Wraps issues in an R4 OperationOutcome: FHIR endpoints answer every error with one (R4 http.html). */
export function operationOutcome(issues: OutcomeIssue[]): fhir4.OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((issue) => {
      const out: fhir4.OperationOutcomeIssue = { severity: issue.severity, code: issue.code, diagnostics: issue.diagnostics };
      if (issue.expression !== undefined && issue.expression.length > 0) out.expression = [...issue.expression];
      return out;
    }),
  };
}

/** An error that a FHIR route turns into an HTTP status with an OperationOutcome body. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly issues: OutcomeIssue[],
  ) {
    super(issues[0]?.diagnostics ?? `FHIR error ${status}`);
    this.name = 'FhirError';
  }
}
