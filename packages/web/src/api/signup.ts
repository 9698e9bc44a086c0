import { okResponse, signUpResponse, type SignUpBody } from '@portico/shared';
import { apiRequest } from './client.ts';

/** Creates a patient account; the server then emails a verification link. */
export function signUp(body: SignUpBody): Promise<{ status: 'verification_sent'; email: string }> {
  return apiRequest('POST', '/api/signup', signUpResponse, { body });
}

/** Confirms the email address with the token from the link's fragment. */
export function verifyEmail(token: string): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/signup/verify-email', okResponse, { body: { token } });
}

/** Sends the verification link again (same answer whether or not the address is known). */
export function resendVerification(email: string): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/signup/resend-verification', okResponse, { body: { email } });
}
