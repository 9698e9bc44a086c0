import type {
  ApproveRequestBody,
  consoleRequestResponse,
  consoleRequestsResponse,
  okResponse,
  ProxyRequestBody,
  proxyRequestResponse,
  proxyRequestsResponse,
  ProxyRequestStatus,
  staffProxiesResponse,
  staffProxyResponse,
  StaffProxyBody,
} from '@portico/shared';
import { apiDownload, apiRequest, apiUpload, shapeOf, type DownloadedFile } from './client.ts';
import type { Output } from './types.ts';

/** The staff queue's answer. */
export type ConsoleRequests = Output<typeof consoleRequestsResponse>;
/** One request in the staff queue, with its candidate records. */
export type ConsoleRequest = ConsoleRequests['requests'][number];
/** The requester's own requests. */
export type OwnRequests = Output<typeof proxyRequestsResponse>;
/** One of the requester's requests. */
export type OwnRequest = OwnRequests['requests'][number];
/** A patient's proxies as staff see them. */
export type StaffProxies = Output<typeof staffProxiesResponse>;
/** One proxy as staff see it. */
export type StaffProxy = StaffProxies['proxies'][number];

/** Query keys: the console's, the requester's, and a patient's (under `['patients', id]`, dropped with the rest at sign-out). */
export const proxyConsoleKeys = {
  queue: (status: ProxyRequestStatus) => ['proxy-console', 'requests', status] as const,
  own: () => ['proxy-requests'] as const,
  patient: (patientId: string) => ['patients', patientId, 'proxies'] as const,
};

const patientPath = (patientId: string) => `/api/patients/${encodeURIComponent(patientId)}/proxies`;

/** GET the organization's requests of one status (staff). */
export function fetchConsoleRequests(status: ProxyRequestStatus): Promise<ConsoleRequests> {
  return apiRequest('GET', `/api/proxy-console/requests?status=${status}`, shapeOf<typeof consoleRequestsResponse>());
}

/** Approves a request for one of its candidate records (staff). */
export function approveRequest(requestId: string, body: ApproveRequestBody) {
  return apiRequest(
    'POST',
    `/api/proxy-console/requests/${encodeURIComponent(requestId)}/approve`,
    shapeOf<typeof consoleRequestResponse>(),
    {
      body,
    },
  );
}

/** Denies a request with the reason the parent will read (staff). */
export function denyRequest(requestId: string, reason: string) {
  return apiRequest('POST', `/api/proxy-console/requests/${encodeURIComponent(requestId)}/deny`, shapeOf<typeof consoleRequestResponse>(), {
    body: { reason },
  });
}

/** GET the signed-in person's own requests. */
export function fetchOwnRequests(): Promise<OwnRequests> {
  return apiRequest('GET', '/api/proxy-requests', shapeOf<typeof proxyRequestsResponse>());
}

/** Sends a request for access to a child's record. */
export function sendProxyRequest(body: ProxyRequestBody) {
  return apiRequest('POST', '/api/proxy-requests', shapeOf<typeof proxyRequestResponse>(), { body });
}

/** Cancels one of the person's own requests still waiting. */
export function cancelProxyRequest(requestId: string) {
  return apiRequest('DELETE', `/api/proxy-requests/${encodeURIComponent(requestId)}`, shapeOf<typeof okResponse>());
}

/** GET a patient's proxies with their set-up (staff). */
export function fetchPatientProxies(patientId: string): Promise<StaffProxies> {
  return apiRequest('GET', patientPath(patientId), shapeOf<typeof staffProxiesResponse>());
}

/** Sets up a guardian or a legal representative for an existing account (staff). */
export function setUpPatientProxy(patientId: string, body: StaffProxyBody) {
  return apiRequest('POST', patientPath(patientId), shapeOf<typeof staffProxyResponse>(), { body });
}

/** Attaches the set-up's document (PDF, PNG or JPEG, at most 5 MB). */
export function uploadProxyDocument(patientId: string, grantId: string, file: File) {
  return apiUpload(
    `${patientPath(patientId)}/${encodeURIComponent(grantId)}/document`,
    file,
    file.name,
    shapeOf<typeof staffProxyResponse>(),
  );
}

/** Downloads the set-up's document (staff). */
export function downloadProxyDocument(patientId: string, grantId: string, fallbackName: string): Promise<DownloadedFile> {
  return apiDownload('GET', `${patientPath(patientId)}/${encodeURIComponent(grantId)}/document`, '*/*', fallbackName);
}

/** Ends a proxy's access with the staff's reason. */
export function endPatientProxy(patientId: string, grantId: string, reason: string) {
  return apiRequest('DELETE', `${patientPath(patientId)}/${encodeURIComponent(grantId)}`, shapeOf<typeof okResponse>(), {
    body: { reason },
  });
}
