import { type okResponse, type signUpResponse, type SignUpBody } from '@portico/shared';
import { apiRequest, shapeOf } from './client.ts';

/** Creates a patient account; the server then emails a verification link. */
export function signUp(body: SignUpBody): Promise<{ status: 'verification_sent'; email: string }> {
  return apiRequest('POST', '/api/signup', shapeOf<typeof signUpResponse>(), { body });
}

/** Confirms the email address with the token from the link's fragment. */
export function verifyEmail(token: string): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/signup/verify-email', shapeOf<typeof okResponse>(), { body: { token } });
}

/** Sends the verification link again (same answer whether or not the address is known). */
export function resendVerification(email: string): Promise<{ ok: true }> {
  return apiRequest('POST', '/api/signup/resend-verification', shapeOf<typeof okResponse>(), { body: { email } });
}
