import { patientSearchResponse, patientSummaryResponse, type PatientSummary } from '@portico/shared';
import { apiRequest } from './client.ts';
import type { PatientListItem } from './types.ts';

/** Staff search by name, MRN or birth date; a POST so the search text never sits in a URL. */
export async function searchPatients(q: string): Promise<PatientListItem[]> {
  const answer = await apiRequest('POST', '/api/patients/search', patientSearchResponse, { body: { q } });
  return answer.patients;
}

/** The home-page view of one patient: identity, next appointment, recent results. */
export function fetchPatientSummary(patientId: string): Promise<PatientSummary> {
  return apiRequest('GET', `/api/patients/${encodeURIComponent(patientId)}/summary`, patientSummaryResponse);
}

/** Query key of a patient summary; every patient-data key starts with 'patients' so it can be dropped at once. */
export function patientSummaryKey(patientId: string): readonly ['patients', string, 'summary'] {
  return ['patients', patientId, 'summary'];
}
