import type {
  careTeamAddResponse,
  careTeamDirectoryResponse,
  careTeamResponse,
  okResponse,
  providerRequestsResponse,
  providerTokenIssuedResponse,
  providerTokenRevokedResponse,
  providerTokensResponse,
  providerTokenView,
  SensitiveCategoryName,
} from '@portico/shared';
import { apiRequest, shapeOf } from './client.ts';
import type { Output } from './types.ts';

/** The PCP on record and the outside providers on the care team, and whether the reader may change it. */
export type CareTeam = Output<typeof careTeamResponse>;
/** One outside provider on the care team. */
export type CareTeamMember = CareTeam['members'][number];
/** An outside provider found in the directory. */
export type DirectoryProvider = Output<typeof careTeamDirectoryResponse>['providers'][number];
/** A non-PCP request from an outside provider waiting for the patient's answer. */
export type ProviderRequest = Output<typeof providerRequestsResponse>['requests'][number];
/** A token for an outside provider, as the list shows it (never its code). */
export type ProviderToken = Output<typeof providerTokenView>;
/** A token just issued: its code and the MRN, shown once. */
export type IssuedProviderToken = Output<typeof providerTokenIssuedResponse>['token'];

function patientPath(patientId: string): string {
  return `/api/patients/${encodeURIComponent(patientId)}`;
}

/**
 * Query keys; under `['patients', patientId]` so sign-out and a lost proxy drop them with the rest. The care team's key
 * is the one MyPatients' chart page reads too (api/mypatients.ts), so a change shows on both.
 */
export const careTeamKeys = {
  team: (patientId: string) => ['patients', patientId, 'care-team'] as const,
  directory: (patientId: string, q: string) => ['patients', patientId, 'care-team-directory', q] as const,
  requests: (patientId: string) => ['patients', patientId, 'provider-requests'] as const,
  tokens: (patientId: string) => ['patients', patientId, 'provider-tokens'] as const,
};

/** GET the care team. */
export function fetchCareTeam(patientId: string): Promise<CareTeam> {
  return apiRequest('GET', `${patientPath(patientId)}/care-team`, shapeOf<typeof careTeamResponse>());
}

/** Outside providers of the organization matching a name, an NPI or a practice (at most 20). */
export async function searchCareTeamDirectory(patientId: string, q: string): Promise<DirectoryProvider[]> {
  const url = `${patientPath(patientId)}/care-team/directory?q=${encodeURIComponent(q)}`;
  return (await apiRequest('GET', url, shapeOf<typeof careTeamDirectoryResponse>())).providers;
}

/** Adds an outside provider to the care team. */
export async function addCareTeamMember(patientId: string, providerUserId: string): Promise<CareTeamMember> {
  return (
    await apiRequest('POST', `${patientPath(patientId)}/care-team`, shapeOf<typeof careTeamAddResponse>(), { body: { providerUserId } })
  ).member;
}

/** Removes a member: their access ends with their next request. */
export async function removeCareTeamMember(patientId: string, grantId: string): Promise<void> {
  await apiRequest('DELETE', `${patientPath(patientId)}/care-team/${encodeURIComponent(grantId)}`, shapeOf<typeof okResponse>(), {
    body: {},
  });
}

/** GET the requests waiting for the patient's answer. */
export async function fetchProviderRequests(patientId: string): Promise<ProviderRequest[]> {
  return (await apiRequest('GET', `${patientPath(patientId)}/provider-requests`, shapeOf<typeof providerRequestsResponse>())).requests;
}

/** Lets the provider see the record, with the sensitive categories the patient consents to show them. */
export async function approveProviderRequest(
  patientId: string,
  requestId: string,
  sensitiveCategories: SensitiveCategoryName[],
): Promise<void> {
  await apiRequest(
    'POST',
    `${patientPath(patientId)}/provider-requests/${encodeURIComponent(requestId)}/approve`,
    shapeOf<typeof okResponse>(),
    { body: { sensitiveCategories } },
  );
}

/** Refuses the provider's request. */
export async function denyProviderRequest(patientId: string, requestId: string): Promise<void> {
  await apiRequest(
    'POST',
    `${patientPath(patientId)}/provider-requests/${encodeURIComponent(requestId)}/deny`,
    shapeOf<typeof okResponse>(),
    {
      body: {},
    },
  );
}

/** GET the patient's tokens, newest first. */
export async function fetchProviderTokens(patientId: string): Promise<ProviderToken[]> {
  return (await apiRequest('GET', `${patientPath(patientId)}/provider-tokens`, shapeOf<typeof providerTokensResponse>())).tokens;
}

/** Issues a token for an outside provider; its code is never shown again. */
export async function issueProviderToken(patientId: string, label: string): Promise<IssuedProviderToken> {
  return (
    await apiRequest('POST', `${patientPath(patientId)}/provider-tokens`, shapeOf<typeof providerTokenIssuedResponse>(), {
      body: { label },
    })
  ).token;
}

/** Revokes a token, and the access it gave. */
export async function revokeProviderToken(patientId: string, tokenId: string): Promise<ProviderToken> {
  const path = `${patientPath(patientId)}/provider-tokens/${encodeURIComponent(tokenId)}`;
  return (await apiRequest('DELETE', path, shapeOf<typeof providerTokenRevokedResponse>())).token;
}
