import {
  type meResponse,
  type passkeyOptionsResponse,
  type passkeysResponse,
  type passkeyView,
  type PasskeyView,
  type okResponse,
  type preferencesView,
  type recoveryCodesResponse,
  type sessionsResponse,
  type signInResponse,
  type totpEnableResponse,
  type totpSetupResponse,
  type MfaMethod,
  type Preferences,
  type SignInResponse,
} from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { apiRequest, shapeOf } from './client.ts';
import type { MeResponse, SessionsResponse, TotpEnableResult, TotpSetup } from './types.ts';

/** Who is signed in; also counts as activity for the server's idle timer. */
export function fetchMe(): Promise<MeResponse> {
  return apiRequest('GET', '/api/me', shapeOf<typeof meResponse>());
}

/** First step of sign-in: username or email plus password. */
export function signIn(identifier: string, password: string, locale?: Locale): Promise<SignInResponse> {
  return apiRequest('POST', '/api/auth/sign-in', shapeOf<typeof signInResponse>(), {
    body: { identifier, password, ...(locale ? { locale } : {}) },
  });
}

/** Stores the person's language and/or text size on their account. */
export function savePreferences(changes: Partial<Preferences>): Promise<Preferences> {
  return apiRequest('PUT', '/api/me/preferences', shapeOf<typeof preferencesView>(), { body: changes });
}

/** Second step of sign-in: a code from the authenticator app, an emailed code or a recovery code. */
export function verifyMfa(method: MfaMethod, code: string): Promise<SignInResponse> {
  return apiRequest('POST', '/api/auth/mfa/verify', shapeOf<typeof signInResponse>(), { body: { method, code } });
}

/** Passkey sign-in, step one: options for navigator.credentials.get() naming this account's passkeys. */
export async function passkeySignInOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const answer = await apiRequest('POST', '/api/auth/mfa/passkey/options', shapeOf<typeof passkeyOptionsResponse>(), { body: {} });
  return answer.options;
}

/** Passkey sign-in, step two: the browser's signed answer. */
export function verifyPasskey(response: AuthenticationResponseJSON): Promise<SignInResponse> {
  return apiRequest('POST', '/api/auth/mfa/passkey/verify', shapeOf<typeof signInResponse>(), { body: { response } });
}

/** The signed-in person's passkeys. */
export async function listPasskeys(): Promise<PasskeyView[]> {
  return (await apiRequest('GET', '/api/auth/passkeys', shapeOf<typeof passkeysResponse>())).passkeys;
}

/** Starts adding a passkey (the password again): options for navigator.credentials.create(). */
export async function passkeyRegistrationOptions(password: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const answer = await apiRequest('POST', '/api/auth/passkeys/registration-options', shapeOf<typeof passkeyOptionsResponse>(), {
    body: { password },
  });
  return answer.options as unknown as PublicKeyCredentialCreationOptionsJSON;
}

/** Finishes adding a passkey with the name the person gave it. */
export function registerPasskey(name: string, response: RegistrationResponseJSON): Promise<PasskeyView> {
  return apiRequest('POST', '/api/auth/passkeys/register', shapeOf<typeof passkeyView>(), { body: { name, response } });
}

/** Removes a passkey (the password again). */
export function removePasskey(id: string, password: string): Promise<{ ok: true }> {
  return apiRequest('DELETE', `/api/auth/passkeys/${encodeURIComponent(id)}`, shapeOf<typeof okResponse>(), { body: { password } });
}

/** Asks the server to email a 6-digit sign-in code. */
export function sendEmailCode(): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/auth/mfa/email-code', shapeOf<typeof okResponse>(), { body: {} });
}

/** Starts authenticator enrolment; the password is needed when already fully signed in. */
export function setupTotp(password?: string): Promise<TotpSetup> {
  return apiRequest('POST', '/api/auth/mfa/totp/setup', shapeOf<typeof totpSetupResponse>(), {
    body: password === undefined ? {} : { password },
  });
}

/** Confirms enrolment with a first code; answers with recovery codes (shown once). */
export function enableTotp(code: string, password?: string): Promise<TotpEnableResult> {
  return apiRequest('POST', '/api/auth/mfa/totp/enable', shapeOf<typeof totpEnableResponse>(), {
    body: password === undefined ? { code } : { code, password },
  });
}

/** Turns the authenticator off (only for accounts that do not need it: `mfaRequired` false). */
export function disableTotp(password: string): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/auth/mfa/totp/disable', shapeOf<typeof okResponse>(), { body: { password } });
}

/** Replaces all recovery codes with a new set. */
export function regenerateRecoveryCodes(password: string): Promise<{ recoveryCodes: string[] }> {
  return apiRequest('POST', '/api/auth/mfa/recovery-codes', shapeOf<typeof recoveryCodesResponse>(), { body: { password } });
}

/** Ends this session on the server; bounded so a hung server cannot keep patient data on screen. */
export function signOut(): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/auth/sign-out', shapeOf<typeof okResponse>(), { body: {}, timeoutMs: 5000 });
}

/** Ends every session of this user, this one included. */
export function signOutEverywhere(): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/auth/sign-out-everywhere', shapeOf<typeof okResponse>(), { body: {} });
}

/** The user's active sessions. */
export function listSessions(): Promise<SessionsResponse> {
  return apiRequest('GET', '/api/auth/sessions', shapeOf<typeof sessionsResponse>());
}

/** Ends one of the user's other sessions. */
export function revokeSession(id: string): Promise<{ ok: true }> {
  return apiRequest('DELETE', `/api/auth/sessions/${encodeURIComponent(id)}`, shapeOf<typeof okResponse>());
}

/** Sends a reset link if an account uses the address; the answer is the same either way. */
export function forgotPassword(email: string): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/auth/password/forgot', shapeOf<typeof okResponse>(), { body: { email } });
}

/** Sets a new password with the token from the emailed link. */
export function resetPassword(token: string, password: string): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/auth/password/reset', shapeOf<typeof okResponse>(), { body: { token, password } });
}

/** Changes the password of the signed-in user. */
export function changePassword(currentPassword: string, newPassword: string): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/auth/password/change', shapeOf<typeof okResponse>(), { body: { currentPassword, newPassword } });
}

/** Asks to move the account to a new email address; a link goes to the new address, a notice to the current one. */
export function changeEmail(password: string, newEmail: string): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/auth/email/change', shapeOf<typeof okResponse>(), { body: { password, newEmail } });
}

/** Completes an email change with the token from the link sent to the new address (works signed in or out). */
export function confirmEmailChange(token: string): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/auth/email/confirm', shapeOf<typeof okResponse>(), { body: { token } });
}
