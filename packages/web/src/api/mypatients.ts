import type {
  AccessRequestBody,
  accessRequestResponse,
  myAccessRequestsResponse,
  MyPatientsSearchBody,
  myPatientsSearchResponse,
  tokenValidationResponse,
} from '@portico/shared';
import { apiRequest, shapeOf } from './client.ts';
import type { Output } from './types.ts';

/** Matches of a patient selection search: the provider's own patients by name, the others as "not authorized". */
export type MyPatientsSearchResult = Output<typeof myPatientsSearchResponse>;
/** One match. */
export type MyPatientMatch = MyPatientsSearchResult['patients'][number];
/** The provider's own access requests, newest first. */
export type MyAccessRequests = Output<typeof myAccessRequestsResponse>;
/** A patient's PCP and outside care team, as the chart shows them. */

/**
 * Query keys of MyPatients. The request list names patients, so its key starts with 'patients' like every patient
 * datum: sign-out drops it with the rest.
 */
export const myPatientsKeys = {
  requests: ['patients', 'mypatients', 'requests'] as const,
};

/** Patient selection: by MRN, or by last name and date of birth (a POST, so nothing typed sits in a URL). */
export function searchMyPatients(body: MyPatientsSearchBody): Promise<MyPatientsSearchResult> {
  return apiRequest('POST', '/api/mypatients/search', shapeOf<typeof myPatientsSearchResponse>(), { body });
}

/** Asks for PCP or non-PCP access to a patient the provider may not see; a second ask of a kind finds the first. */
export function requestPatientAccess(body: AccessRequestBody): Promise<Output<typeof accessRequestResponse>> {
  return apiRequest('POST', '/api/mypatients/requests', shapeOf<typeof accessRequestResponse>(), { body });
}

/** The provider's own requests and where each stands. */
export function fetchMyRequests(): Promise<MyAccessRequests> {
  return apiRequest('GET', '/api/mypatients/requests', shapeOf<typeof myAccessRequestsResponse>());
}

/** Validates a token a patient issued, with the MRN it is for; answers the patient's opaque id. */
export function validateProviderToken(token: string, mrn: string): Promise<Output<typeof tokenValidationResponse>> {
  return apiRequest('POST', '/api/mypatients/tokens/validate', shapeOf<typeof tokenValidationResponse>(), { body: { token, mrn } });
}
