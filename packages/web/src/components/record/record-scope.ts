import { createContext, useContext } from 'react';

/** Whose record the record pages show, and where its pages live: the patient's own, or a chart a staff member opened. */
export interface RecordScope {
  patientId: string;
  /** `self`: the patient reads their own record ("you"); `staff`: the care team reads a chart ("this patient"). */
  audience: 'self' | 'staff';
  /** Path of the record's home: `/record`, or `/patients/:patientId/chart`. */
  base: string;
}

/** React context carrying the record scope; provided by PatientRecordLayout and ChartLayout. */
export const RecordScopeContext = createContext<RecordScope | null>(null);

/** The record scope of the page; throws outside the record layouts (a wiring bug, not a user error). */
export function useRecordScope(): RecordScope {
  const scope = useContext(RecordScopeContext);
  if (!scope) throw new Error('useRecordScope must be used inside a record layout');
  return scope;
}

/** Paths of the record's pages under a scope's base; ids are opaque UUIDs, the only record data a URL may hold. */
export const recordPaths = {
  visits: (scope: RecordScope) => `${scope.base}/visits`,
  visit: (scope: RecordScope, visitId: string) => `${scope.base}/visits/${encodeURIComponent(visitId)}`,
  results: (scope: RecordScope) => `${scope.base}/results`,
  result: (scope: RecordScope, resultId: string) => `${scope.base}/results/${encodeURIComponent(resultId)}`,
};
