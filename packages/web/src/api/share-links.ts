import type {
  okResponse,
  sharedOpenResponse,
  ShareLinkCreateBody,
  shareLinkCreateResponse,
  shareLinkListResponse,
  shareLinkView,
} from '@portico/shared';
import { apiDownload, apiRequest, shapeOf, type DownloadedFile } from './client.ts';
import type { Output } from './types.ts';

/** One share link as the patient's list shows it. */
export type ShareLink = Output<typeof shareLinkView>;
/** A new link, with its address and passcode: shown once. */
export type CreatedShareLink = Output<typeof shareLinkCreateResponse>;
/** What a link's reader gets for the passcode: the summary, or that the PDF is ready. */
export type SharedRecord = Output<typeof sharedOpenResponse>;

function linksPath(patientId: string): string {
  return `/api/patients/${encodeURIComponent(patientId)}/share-links`;
}

/** Query keys; under `['patients', patientId]` so sign-out and a lost proxy drop them with the rest. */
export const shareLinkKeys = {
  all: (patientId: string) => ['patients', patientId, 'share-links'] as const,
};

/** GET the patient's share links, newest first. */
export async function fetchShareLinks(patientId: string): Promise<ShareLink[]> {
  return (await apiRequest('GET', linksPath(patientId), shapeOf<typeof shareLinkListResponse>())).links;
}

/** Makes a link (and emails it when `recipientEmail` is given); the answer's URL and passcode are never shown again. */
export function createShareLink(patientId: string, body: ShareLinkCreateBody): Promise<CreatedShareLink> {
  return apiRequest('POST', linksPath(patientId), shapeOf<typeof shareLinkCreateResponse>(), { body });
}

/** Revokes a link: its next open is refused. */
export async function revokeShareLink(patientId: string, linkId: string): Promise<void> {
  await apiRequest('DELETE', `${linksPath(patientId)}/${encodeURIComponent(linkId)}`, shapeOf<typeof okResponse>());
}

/** Opens a link with its passcode (no sign-in). The token goes in the body, never in a URL. */
export function openSharedRecord(token: string, passcode: string): Promise<SharedRecord> {
  return apiRequest('POST', '/api/shared/open', shapeOf<typeof sharedOpenResponse>(), { body: { token, passcode } });
}

/** A download link's record as a PDF, held in memory until it is handed to the browser. */
export function downloadSharedRecord(token: string, passcode: string, fallbackName: string): Promise<DownloadedFile> {
  return apiDownload('POST', '/api/shared/download', 'application/pdf', fallbackName, { body: { token, passcode } });
}
