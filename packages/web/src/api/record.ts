import {
  type healthSummaryResponse,
  type okResponse,
  type resultComment,
  type resultHold,
  type resultDetailResponse,
  type resultListResponse,
  type resultsReleaseBody,
  type visitDetailResponse,
  type visitListResponse,
  type HealthSummary,
  type RecordExportBody,
  type ResultDetail,
  type VisitDetail,
} from '@portico/shared';
import { apiDownload, apiRequest, type DownloadedFile, shapeOf } from './client.ts';
import type { Output } from './types.ts';

/** One page of visits, newest first. */
export type VisitPage = Output<typeof visitListResponse>;
/** A hold as the server recorded it. */
export type ResultHold = Output<typeof resultHold>;
/** A care-team comment as the server recorded it. */
export type ResultComment = Output<typeof resultComment>;
/** One page of results, newest first. */
export type ResultPage = Output<typeof resultListResponse>;
/** How the patient's new results reach them. */
export type ResultsReleaseMode = Output<typeof resultsReleaseBody>['mode'];

/** Rows per page of the visit and result lists: one screenful, so thousands of results never load at once. */
export const recordPageSize = 25;

function recordPath(patientId: string, rest: string): string {
  return `/api/patients/${encodeURIComponent(patientId)}/record/${rest}`;
}

function pagePath(patientId: string, list: 'visits' | 'results', cursor: string | null): string {
  const query = new URLSearchParams({ limit: String(recordPageSize) });
  if (cursor) query.set('cursor', cursor);
  return recordPath(patientId, `${list}?${query.toString()}`);
}

/**
 * Query keys of the record. Every key starts with 'patients' (like the home summary's), so sign-out drops them with
 * the rest of the cache, and a patient's whole record can be invalidated at once.
 */
export const recordKeys = {
  all: (patientId: string) => ['patients', patientId, 'record'] as const,
  summary: (patientId: string) => ['patients', patientId, 'record', 'summary'] as const,
  visits: (patientId: string) => ['patients', patientId, 'record', 'visits'] as const,
  visit: (patientId: string, visitId: string) => ['patients', patientId, 'record', 'visit', visitId] as const,
  results: (patientId: string) => ['patients', patientId, 'record', 'results'] as const,
  result: (patientId: string, resultId: string) => ['patients', patientId, 'record', 'result', resultId] as const,
  release: (patientId: string) => ['patients', patientId, 'record', 'results-release'] as const,
};

/** Problems, allergies, medications, immunizations, care plans and goals. */
export function fetchHealthSummary(patientId: string): Promise<HealthSummary> {
  return apiRequest('GET', recordPath(patientId, 'summary'), shapeOf<typeof healthSummaryResponse>());
}

/** One page of past visits; `cursor` is the previous page's `nextCursor` (null for the first page). */
export function fetchVisitPage(patientId: string, cursor: string | null): Promise<VisitPage> {
  return apiRequest('GET', pagePath(patientId, 'visits', cursor), shapeOf<typeof visitListResponse>());
}

/** One visit with its diagnoses, procedures, vitals, medicines, results and after-visit information. */
export function fetchVisit(patientId: string, visitId: string): Promise<VisitDetail> {
  return apiRequest('GET', recordPath(patientId, `visits/${encodeURIComponent(visitId)}`), shapeOf<typeof visitDetailResponse>());
}

/** One page of results; `cursor` is the previous page's `nextCursor` (null for the first page). */
export function fetchResultPage(patientId: string, cursor: string | null): Promise<ResultPage> {
  return apiRequest('GET', pagePath(patientId, 'results', cursor), shapeOf<typeof resultListResponse>());
}

/** One result in full, with its trend for numeric tests. */
export function fetchResult(patientId: string, resultId: string): Promise<ResultDetail> {
  return apiRequest('GET', recordPath(patientId, `results/${encodeURIComponent(resultId)}`), shapeOf<typeof resultDetailResponse>());
}

/** Whether the patient's new results are released at once or after a clinician's review. */
export async function fetchResultsRelease(patientId: string): Promise<ResultsReleaseMode> {
  const answer = await apiRequest('GET', recordPath(patientId, 'results-release'), shapeOf<typeof resultsReleaseBody>());
  return answer.mode;
}

/** The patient's choice of when new results reach them. */
export async function saveResultsRelease(patientId: string, mode: ResultsReleaseMode): Promise<ResultsReleaseMode> {
  const answer = await apiRequest('PUT', recordPath(patientId, 'results-release'), shapeOf<typeof resultsReleaseBody>(), {
    body: { mode },
  });
  return answer.mode;
}

/** A clinician keeps one result from the patient until `until` (ISO instant), with a documented reason. */
export function holdResult(patientId: string, resultId: string, reason: string, until: string): Promise<ResultHold> {
  return apiRequest('POST', recordPath(patientId, `results/${encodeURIComponent(resultId)}/holds`), shapeOf<typeof resultHold>(), {
    body: { reason, until },
  });
}

/** A clinician ends every active hold on one result, so the patient sees it now. */
export function releaseResult(patientId: string, resultId: string): Promise<{ ok: true }> {
  return apiRequest('POST', recordPath(patientId, `results/${encodeURIComponent(resultId)}/release`), shapeOf<typeof okResponse>(), {
    body: {},
  });
}

/** A clinician or nurse writes a note on a result for the patient to read. */
export function commentOnResult(patientId: string, resultId: string, text: string): Promise<ResultComment> {
  return apiRequest('POST', recordPath(patientId, `results/${encodeURIComponent(resultId)}/comments`), shapeOf<typeof resultComment>(), {
    body: { text },
  });
}

/** The chosen sections as a PDF or a FHIR JSON Bundle, held in memory until the browser saves it. */
export function exportRecord(patientId: string, body: RecordExportBody): Promise<DownloadedFile> {
  const pdf = body.format === 'pdf';
  return apiDownload(
    'POST',
    recordPath(patientId, 'export'),
    `${pdf ? 'application/pdf' : 'application/fhir+json'}, application/json`,
    pdf ? 'health-record.pdf' : 'health-record.json',
    { body },
  );
}
