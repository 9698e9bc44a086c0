import type {
  extendValidationResponse,
  LockedAccountsResponse,
  lockedAccountsResponse,
  okResponse,
  SponsoredUserBody,
  sponsoredUserListResponse,
  sponsoredUserResponse,
  SponsoredUserView,
  SponsorValidationBody,
  sponsorValidationDoneResponse,
  sponsorValidationResponse,
  SponsorValidationView,
} from '@portico/shared';
import { apiRequest, shapeOf } from './client.ts';

/** Query keys of the sponsor's pages and the support team's account help. */
export const sponsorKeys = {
  users: ['sponsor', 'users'] as const,
  validation: ['sponsor', 'validation'] as const,
  locked: ['support', 'accounts', 'locked'] as const,
};

/** The sponsor's active sponsored users. */
export async function fetchSponsoredUsers(): Promise<SponsoredUserView[]> {
  return (await apiRequest('GET', '/api/sponsor/users', shapeOf<typeof sponsoredUserListResponse>())).users;
}

/** Sponsors a member of the practice staff: their account and the activation email. */
export async function inviteSponsoredUser(body: SponsoredUserBody): Promise<SponsoredUserView> {
  return (await apiRequest('POST', '/api/sponsor/users', shapeOf<typeof sponsoredUserResponse>(), { body })).user;
}

/** Removes a sponsored user: their account is disabled. */
export function removeSponsoredUser(userId: string): Promise<{ ok: true }> {
  return apiRequest('DELETE', `/api/sponsor/users/${userId}`, shapeOf<typeof okResponse>());
}

/** The sponsor's open Sponsored User Validation, or null. */
export async function fetchSponsorValidation(): Promise<SponsorValidationView | null> {
  return (await apiRequest('GET', '/api/sponsor/validation', shapeOf<typeof sponsorValidationResponse>())).validation;
}

/** Completes the validation: keep or remove each sponsored user. */
export function completeSponsorValidation(body: SponsorValidationBody): Promise<{ kept: number; removed: number }> {
  return apiRequest('POST', '/api/sponsor/validation', shapeOf<typeof sponsorValidationDoneResponse>(), { body });
}

/** Locked sponsors and paused outside accounts (support). */
export function fetchLockedAccounts(): Promise<LockedAccountsResponse> {
  return apiRequest('GET', '/api/support/accounts/locked', shapeOf<typeof lockedAccountsResponse>());
}

/** Gives a sponsor more days to complete their validation (support). */
export function extendValidation(id: string, days: number, reason: string): Promise<{ id: string; dueAt: string }> {
  return apiRequest('POST', `/api/support/validations/${id}/extend`, shapeOf<typeof extendValidationResponse>(), {
    body: { days, reason },
  });
}

/** Lifts an account's sign-in pause (support). */
export function unlockSignIn(userId: string): Promise<{ ok: true }> {
  return apiRequest('POST', `/api/support/accounts/${userId}/unlock-sign-in`, shapeOf<typeof okResponse>(), { body: {} });
}

/** Emails an account a password reset link (support). */
export function sendPasswordReset(userId: string): Promise<{ ok: true }> {
  return apiRequest('POST', `/api/support/accounts/${userId}/password-reset`, shapeOf<typeof okResponse>(), { body: {} });
}
