import type {
  appointmentSummary,
  meResponse,
  patientListItem,
  resultSummary,
  sessionInfo,
  sessionSummary,
  sessionsResponse,
  totpEnableResponse,
  totpSetupResponse,
} from '@portico/shared';

/** The parsed (output) type of a shared zod schema, without the web package importing zod itself. */
export type Output<S extends { parse: (data: unknown) => unknown }> = ReturnType<S['parse']>;

/** GET /api/me */
export type MeResponse = Output<typeof meResponse>;
/** Session timing for the idle warning. */
export type SessionInfo = Output<typeof sessionInfo>;
/** One active session of the signed-in user. */
export type SessionSummary = Output<typeof sessionSummary>;
/** GET /api/auth/sessions */
export type SessionsResponse = Output<typeof sessionsResponse>;
/** The secret and otpauth URL for an authenticator app. */
export type TotpSetup = Output<typeof totpSetupResponse>;
/** Recovery codes plus the now fully signed-in session. */
export type TotpEnableResult = Output<typeof totpEnableResponse>;
/** A patient as search results show them. */
export type PatientListItem = Output<typeof patientListItem>;
/** An appointment on the home page. */
export type AppointmentSummary = Output<typeof appointmentSummary>;
/** One lab result line on the home page. */
export type ResultSummary = Output<typeof resultSummary>;
