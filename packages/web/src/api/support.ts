import type {
  applyPracticeChangeResponse,
  auditReportResponse,
  AuditReportFilter,
  ErrorReportBody,
  errorReportCreatedResponse,
  errorReportListResponse,
  myErrorReportsResponse,
  myPracticeChangeResponse,
  PracticeChangeBody,
  practiceChangeDecisionResponse,
  practiceChangeListResponse,
  practiceSearchResponse,
  supportAccessDecisionResponse,
  supportAccessRequestListResponse,
  supportErrorReportResponse,
  supportPracticeListResponse,
} from '@portico/shared';
import { apiDownload, apiRequest, shapeOf, type DownloadedFile } from './client.ts';

/** Query keys of the support console's queues and the practice member's side of them. */
export const supportKeys = {
  requests: (kind: 'pcp' | 'non_pcp') => ['support', 'access-requests', kind] as const,
  practiceChanges: ['support', 'practice-changes'] as const,
  errorReports: ['support', 'error-reports'] as const,
  myErrorReports: ['support', 'error-reports', 'mine'] as const,
  myPracticeChange: ['mypatients', 'practice-change'] as const,
  audit: (filter: AuditReportFilter) => ['support', 'audit-report', filter] as const,
  practices: ['support', 'practices'] as const,
};

const decision = shapeOf<typeof supportAccessDecisionResponse>();

/** The pending requests of a kind routed to support, oldest first. */
export function fetchRoutedRequests(kind: 'pcp' | 'non_pcp') {
  return apiRequest('GET', `/api/support/access-requests?kind=${kind}&status=pending`, shapeOf<typeof supportAccessRequestListResponse>());
}

/** Records the family's verbal confirmation and the new PCP. */
export function approvePcp(id: string, body: { confirmedBy: string; confirmedAt: string; physicianUserId: string }) {
  return apiRequest('POST', `/api/support/access-requests/${encodeURIComponent(id)}/approve-pcp`, decision, { body });
}

/** Approves a non-PCP request routed to support. */
export function approveNonPcp(id: string, note: string) {
  return apiRequest('POST', `/api/support/access-requests/${encodeURIComponent(id)}/approve`, decision, {
    body: note ? { note } : {},
  });
}

/** Denies a routed request with a note. */
export function denyRequest(id: string, note: string) {
  return apiRequest('POST', `/api/support/access-requests/${encodeURIComponent(id)}/deny`, decision, { body: { note } });
}

/** The pending practice changes, oldest first. */
export function fetchPracticeChanges() {
  return apiRequest('GET', '/api/support/practice-changes?status=pending', shapeOf<typeof practiceChangeListResponse>());
}

/** Applies a practice change; the answer lists the sponsored users who lost their sponsor. */
export function applyPracticeChange(id: string) {
  return apiRequest(
    'POST',
    `/api/support/practice-changes/${encodeURIComponent(id)}/apply`,
    shapeOf<typeof applyPracticeChangeResponse>(),
    {
      body: {},
    },
  );
}

/** Declines a practice change with a note. */
export function declinePracticeChange(id: string, note: string) {
  return apiRequest(
    'POST',
    `/api/support/practice-changes/${encodeURIComponent(id)}/decline`,
    shapeOf<typeof practiceChangeDecisionResponse>(),
    {
      body: { note },
    },
  );
}

/** The member's latest practice change. */
export function fetchMyPracticeChange() {
  return apiRequest('GET', '/api/mypatients/practice-change', shapeOf<typeof myPracticeChangeResponse>());
}

/** Sends a practice change. */
export function sendPracticeChange(body: PracticeChangeBody) {
  return apiRequest('POST', '/api/mypatients/practice-change', shapeOf<typeof myPracticeChangeResponse>(), { body });
}

/** Practices by name for the practice change form. */
export function searchPractices(q: string) {
  return apiRequest('GET', `/api/mypatients/practices?q=${encodeURIComponent(q)}`, shapeOf<typeof practiceSearchResponse>());
}

/** The open error reports, oldest first. */
export function fetchOpenErrorReports() {
  return apiRequest('GET', '/api/support/error-reports?status=open', shapeOf<typeof errorReportListResponse>());
}

/** Answers an error report. */
export function answerErrorReport(id: string, answer: string) {
  return apiRequest('POST', `/api/support/error-reports/${encodeURIComponent(id)}/answer`, shapeOf<typeof supportErrorReportResponse>(), {
    body: { answer },
  });
}

/** A report's screenshot's address (an image the API serves inline to the support team). */
export function screenshotUrl(id: string): string {
  return `/api/support/error-reports/${encodeURIComponent(id)}/screenshot`;
}

/** Sends a problem report. */
export function sendErrorReport(body: ErrorReportBody) {
  return apiRequest('POST', '/api/support/error-reports', shapeOf<typeof errorReportCreatedResponse>(), { body });
}

/** The member's own reports with the answers. */
export function fetchMyErrorReports() {
  return apiRequest('GET', '/api/support/error-reports/mine', shapeOf<typeof myErrorReportsResponse>());
}

function auditQuery(filter: AuditReportFilter, cursor?: string): string {
  const params = new URLSearchParams({ from: filter.from, to: filter.to });
  if (filter.practiceId) params.set('practiceId', filter.practiceId);
  if (filter.userId) params.set('userId', filter.userId);
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

/** The organization's practices and their members, for the audit report's filters. */
export function fetchSupportPractices() {
  return apiRequest('GET', '/api/support/practices', shapeOf<typeof supportPracticeListResponse>());
}

/** One page of the audit report. */
export function fetchAuditReport(filter: AuditReportFilter, cursor?: string) {
  return apiRequest('GET', `/api/support/audit-report?${auditQuery(filter, cursor)}`, shapeOf<typeof auditReportResponse>());
}

/** The audit report as a CSV file. */
export function downloadAuditReport(filter: AuditReportFilter): Promise<DownloadedFile> {
  return apiDownload('GET', `/api/support/audit-report.csv?${auditQuery(filter)}`, 'text/csv, application/json', 'audit-report.csv');
}
