/** Every error code the API can answer with; the web client switches on these, never on messages. */
export const errorCodes = [
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'mfa_required',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'too_many_requests',
  'too_many_attempts',
  'invalid_credentials',
  'email_not_verified',
  'account_disabled',
  'invalid_code',
  'code_expired',
  'challenge_exhausted',
  'weak_password',
  'username_taken',
  'email_taken',
  'patient_not_matched',
  'already_activated',
  'too_young_for_account',
  'invalid_token',
  'csrf_failed',
  'not_ready',
  'thread_closed',
  'idempotency_key_reused',
  'unprocessable_file',
  'slot_taken',
  'change_cutoff_passed',
  'offer_taken',
  'birth_date_mismatch',
  'too_many_invitations',
  'wrong_passcode',
  'too_many_share_links',
  'own_record_invitation',
  'already_proxy',
  'invitation_not_pending',
  'not_revocable',
  'own_consent',
  'request_not_pending',
  'too_many_proxy_requests',
  'proxy_exists',
  'account_not_found',
  'patient_not_minor',
  'no_privacy_office',
  'internal_error',
] as const;

/** One API error code. */
export type ErrorCode = (typeof errorCodes)[number];

/** The body of every `/api` error response (STYLE.md: one shape, one handler). */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; requestId?: string; field?: string };
}
