/** Limits shared by the server (enforcement) and the web app (hints); SECURITY.md is their source. */
export const limits = {
  passwordMinLength: 12,
  passwordMaxLength: 128,
  usernameMinLength: 3,
  usernameMaxLength: 64,
  emailMaxLength: 254,
  nameMaxLength: 100,
  /** Longest a clinician may hold one result back from the patient, in days (issue 3: "for a limited time"). */
  resultHoldMaxDays: 30,
  /** Medical record numbers from EHRs run to a UUID's 36 characters; 64 leaves room. */
  mrnMaxLength: 64,
  /** Wrong passwords in a row before sign-in pauses for the account (OWASP ASVS 2.2.1). */
  signInFailuresBeforePause: 5,
  signInPauseMinutes: 15,
  /** Failed attempts per account per hour that are evaluated at all (SECURITY.md). */
  signInFailuresPerHour: 100,
  oneTimeCodeMinutes: 10,
  oneTimeCodeMaxGuesses: 5,
  emailCodeSendsPerHour: 5,
  recoveryCodeCount: 10,
  /** A WebAuthn challenge (passkey registration or sign-in) lives this long and is answered once. */
  passkeyChallengeMinutes: 5,
  passkeyNameMaxLength: 80,
  passkeysPerUser: 10,
  patientIdleMinutes: 30,
  staffIdleMinutes: 15,
  absoluteSessionHours: 12,
  /** How long before the idle timeout the web page warns (seconds). */
  idleWarningSeconds: 60,
  searchMaxResults: 50,
  bodyLimitBytes: 1_048_576,
} as const;
