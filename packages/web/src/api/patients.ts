import {
  type chartHeaderResponse,
  type patientSearchResponse,
  type patientSummaryResponse,
  type ChartHeader,
  type PatientSummary,
} from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import { apiRequest, shapeOf } from './client.ts';
import type { Output } from './types.ts';

/** Patients found, and the birth date the search text was read as (when it was read as one). */
export type PatientSearchResult = Output<typeof patientSearchResponse>;

/**
 * Staff search by name, MRN or birth date, the date read as people write it in `locale` (4/12/1990 is April in English,
 * December in Spanish); a POST so the search text never sits in a URL.
 */
export function searchPatients(q: string, locale: Locale): Promise<PatientSearchResult> {
  return apiRequest('POST', '/api/patients/search', shapeOf<typeof patientSearchResponse>(), { body: { q, locale } });
}

/** The staff chart's header: name, MRN, birth date, sex, age today and allergies (an audited clinical read). */
export function fetchChartHeader(patientId: string): Promise<ChartHeader> {
  return apiRequest('GET', `/api/patients/${encodeURIComponent(patientId)}/chart-header`, shapeOf<typeof chartHeaderResponse>());
}

/** Query key of a chart header; it starts with 'patients' so sign-out drops it with every other patient datum. */
export function chartHeaderKey(patientId: string): readonly ['patients', string, 'chart-header'] {
  return ['patients', patientId, 'chart-header'];
}

/** The home-page view of one patient: identity, next appointment, recent results. */
export function fetchPatientSummary(patientId: string): Promise<PatientSummary> {
  return apiRequest('GET', `/api/patients/${encodeURIComponent(patientId)}/summary`, shapeOf<typeof patientSummaryResponse>());
}

/** Query key of a patient summary; every patient-data key starts with 'patients' so it can be dropped at once. */
export function patientSummaryKey(patientId: string): readonly ['patients', string, 'summary'] {
  return ['patients', patientId, 'summary'];
}
