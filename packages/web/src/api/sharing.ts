import type {
  okResponse,
  ProxyInvitationBody,
  ProxyInvitationSignUpBody,
  proxyInvitationSignUpResponse,
  SensitiveCategoryName,
  proxyInvitationAcceptResponse,
  proxyInvitationPreviewResponse,
  proxyInvitationView,
  sharingResponse,
} from '@portico/shared';
import { apiRequest, shapeOf, type Expected } from './client.ts';
import type { Output } from './types.ts';

/** Everyone who can see a patient's record besides the care team's staff, and the invitations still open. */
export type Sharing = Output<typeof sharingResponse>;
/** One entry of the Sharing and privacy page: a proxy now; outside providers, apps and share links as they come. */
export type SharingEntry = Sharing['entries'][number];
/** One invitation, as the inviting patient sees it. */
export type ProxyInvitation = Output<typeof proxyInvitationView>;
/** What an invitee may know before accepting. */
export type InvitationPreview = Output<typeof proxyInvitationPreviewResponse>;
/** The patient an accepted invitation opened. */
export type AcceptedInvitation = Output<typeof proxyInvitationAcceptResponse>;

function patientPath(patientId: string): string {
  return `/api/patients/${encodeURIComponent(patientId)}`;
}

/** Query keys; they start with `['patients', patientId]` so sign-out and a lost proxy drop them with the rest. */
export const sharingKeys = {
  all: (patientId: string) => ['patients', patientId, 'sharing'] as const,
};

/** GET the Sharing and privacy list of a patient (the patient, or a full proxy). */
export function fetchSharing(patientId: string): Promise<Sharing> {
  return apiRequest('GET', `${patientPath(patientId)}/sharing`, shapeOf<typeof sharingResponse>());
}

/** Invites an adult by email to act for the patient, with a level and (for `areas`) the chosen areas. */
export function inviteProxy(patientId: string, body: ProxyInvitationBody): Promise<{ invitation: ProxyInvitation }> {
  const expected: Expected<{ invitation: ProxyInvitation }> = {};
  return apiRequest('POST', `${patientPath(patientId)}/proxy-invitations`, expected, { body });
}

/** Cancels an invitation not accepted yet. */
export function cancelInvitation(patientId: string, invitationId: string): Promise<{ ok: true }> {
  return apiRequest(
    'DELETE',
    `${patientPath(patientId)}/proxy-invitations/${encodeURIComponent(invitationId)}`,
    shapeOf<typeof okResponse>(),
  );
}

/** Ends someone's access (takes effect on their next request), with the patient's reason when they give one. */
export function revokeSharing(patientId: string, grantId: string, reason: string): Promise<{ ok: true }> {
  const body = reason.trim() ? { reason: reason.trim() } : {};
  return apiRequest('DELETE', `${patientPath(patientId)}/sharing/${encodeURIComponent(grantId)}`, shapeOf<typeof okResponse>(), { body });
}

/** Sets the sensitive categories shared with one person (the rest stay hidden from them). */
export function saveSensitiveSharing(patientId: string, grantId: string, categories: SensitiveCategoryName[]): Promise<{ ok: true }> {
  return apiRequest('PUT', `${patientPath(patientId)}/sharing/${encodeURIComponent(grantId)}/sensitive`, shapeOf<typeof okResponse>(), {
    body: { categories },
  });
}

/** What an emailed invitation offers (no patient data); 404 for an unknown or expired one. */
export function previewInvitation(token: string): Promise<InvitationPreview> {
  return apiRequest('POST', '/api/proxy-invitations/preview', shapeOf<typeof proxyInvitationPreviewResponse>(), { body: { token } });
}

/** Accepts an invitation, signed in, with the patient's date of birth (five wrong dates lock it). */
export function acceptInvitation(token: string, birthDate: string): Promise<AcceptedInvitation> {
  return apiRequest('POST', '/api/proxy-invitations/accept', shapeOf<typeof proxyInvitationAcceptResponse>(), {
    body: { token, birthDate },
  });
}

/** Opens an account with the invitation and accepts it (no session); the person then signs in. */
export function signUpWithInvitation(body: ProxyInvitationSignUpBody): Promise<{ status: 'account_created'; username: string }> {
  return apiRequest('POST', '/api/proxy-invitations/sign-up', shapeOf<typeof proxyInvitationSignUpResponse>(), { body });
}
