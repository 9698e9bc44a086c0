import type {
  okResponse,
  ProviderRegistrationBody,
  providerRegistrationResponse,
  registrationDecisionResponse,
  registrationListResponse,
  RegistrationView,
} from '@portico/shared';
import { apiRequest, shapeOf } from './client.ts';

/** Query keys of the support team's registration queue. */
export const registrationKeys = { pending: ['support', 'registrations', 'pending'] as const };

/** Sends an outside provider's registration (no account needed). */
export function sendProviderRegistration(body: ProviderRegistrationBody): Promise<{ received: true }> {
  return apiRequest('POST', '/api/provider-registrations', shapeOf<typeof providerRegistrationResponse>(), { body });
}

/** The registrations waiting for the support team, oldest first. */
export function fetchPendingRegistrations(): Promise<{ registrations: RegistrationView[] }> {
  return apiRequest('GET', '/api/support/registrations?status=pending', shapeOf<typeof registrationListResponse>());
}

/** Approves a registration into a new practice made from what it describes. */
export function approveRegistration(id: string): Promise<{ registration: RegistrationView }> {
  return apiRequest('POST', `/api/support/registrations/${id}/approve`, shapeOf<typeof registrationDecisionResponse>(), { body: {} });
}

/** Rejects a registration with the reason the registrant is emailed. */
export function rejectRegistration(id: string, reason: string): Promise<{ registration: RegistrationView }> {
  return apiRequest('POST', `/api/support/registrations/${id}/reject`, shapeOf<typeof registrationDecisionResponse>(), {
    body: { reason },
  });
}

/** Chooses the username and password from the activation link's token. */
export function activateProvider(token: string, username: string, password: string): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/provider-activation', shapeOf<typeof okResponse>(), { body: { token, username, password } });
}
