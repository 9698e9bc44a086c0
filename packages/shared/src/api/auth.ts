import { z } from 'zod';
import { limits } from '../limits.ts';
import { abilities, actingForView, membershipView } from './access.ts';
import { email, isoDateTime, password, uuid } from './common.ts';
import { locales, textSizes } from '../i18n/locales.ts';
import { meSponsorValidation } from './sponsors.ts';

/** A person's display preferences, stored per user and applied on every page, email and document (issue 10). */
export const preferencesView = z.object({
  locale: z.enum(locales),
  textSize: z.literal(textSizes),
});
export type Preferences = z.infer<typeof preferencesView>;

/** PUT /api/me/preferences: either or both. */
export const preferencesBody = preferencesView.partial().refine((body) => body.locale !== undefined || body.textSize !== undefined, {
  message: 'Send locale, textSize or both.',
});

/** Every role a message author or comment author can show: a membership role, or the patient (or their proxy). */
export const roles = [
  'patient',
  'clinician',
  'nurse',
  'front_desk',
  'billing',
  'admin',
  'privacy_officer',
  'proxy',
  'outside_provider',
  'sponsored_staff',
  'support',
] as const;
/** One role. */
export type Role = (typeof roles)[number];

/** The health system's own staff roles (DESIGN.md "Care-team console"). */
export const staffRoles = ['clinician', 'nurse', 'front_desk', 'billing', 'privacy_officer'] as const satisfies readonly Role[];

/** Whether a role is one of the organization's staff roles. */
export function isStaffRole(role: Role): boolean {
  return (staffRoles as readonly Role[]).includes(role);
}

/** Second factors a user can answer a challenge with. */
export const mfaMethods = ['totp', 'email', 'recovery'] as const;
/** One second-factor method. */
export type MfaMethod = (typeof mfaMethods)[number];
/** Everything a sign-in challenge may offer: the coded methods and a passkey (POST /api/auth/mfa/passkey/*). */
export const challengeMethods = [...mfaMethods, 'passkey'] as const;
/** One method a challenge offers. */
export type ChallengeMethod = (typeof challengeMethods)[number];

/** The signed-in user as the web app sees them. */
export const me = z.object({
  id: uuid,
  username: z.string(),
  email: z.string(),
  displayName: z.string(),
  /** The organization of the person's first membership (or of their own record), for the header. */
  organizationName: z.string().nullable(),
  /** The user's own patient record, when they have one. */
  patientId: uuid.nullable(),
  mfaEnrolled: z.boolean(),
  /** Memberships need a second factor (SECURITY.md); a patient-only account may turn it off. */
  mfaRequired: z.boolean(),
  memberships: z.array(membershipView),
  /** Patients the person acts for personally: their own record, proxies; not the organization's patients. */
  actingFor: z.array(actingForView),
  /** Organization-level abilities (`can(actor, action)`). */
  abilities: z.array(z.enum(abilities)),
  /**
   * A sponsor's open Sponsored User Validation (issue 12 §1): the web shows a banner on every page and, once it is locked
   * (past due), only the validation page. Null or absent for everyone else.
   */
  sponsorValidation: meSponsorValidation.nullable().optional(),
  preferences: preferencesView,
});
/** The signed-in user. */
export type Me = z.infer<typeof me>;

/** Session timing the web app needs for its idle warning. */
export const sessionInfo = z.object({
  idleTimeoutSeconds: z.number().int().positive(),
  idleExpiresAt: isoDateTime,
  absoluteExpiresAt: isoDateTime,
});

/** POST /api/auth/sign-in */
export const signInBody = z.object({
  identifier: z.string().trim().min(1, 'Enter your username or email.').max(limits.emailMaxLength),
  password: z
    .string()
    .min(1, 'Enter your password.')
    .max(limits.passwordMaxLength * 2),
  /** The language chosen on the sign-in page, stored as the person's language when given. */
  locale: z.enum(locales).optional(),
});

/** The answer to sign-in and to each MFA step. */
export const signInResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('signed_in'), user: me, session: sessionInfo }),
  z.object({
    status: z.literal('mfa_required'),
    /** Methods the user can answer with now. */
    methods: z.array(z.enum(challengeMethods)),
    /** True when the role needs MFA and the user has none yet: they must enrol TOTP first. */
    enrollmentRequired: z.boolean(),
  }),
]);
/** Sign-in outcome. */
export type SignInResponse = z.infer<typeof signInResponse>;

/** POST /api/auth/mfa/verify */
export const mfaVerifyBody = z.object({
  method: z.enum(mfaMethods),
  code: z.string().trim().min(6).max(32),
});

/** POST /api/auth/mfa/totp/setup: answer carries the secret once, for the authenticator app. */
export const totpSetupResponse = z.object({ secret: z.string(), otpauthUrl: z.string() });

/** POST /api/auth/mfa/totp/enable (password needed when the session is already fully signed in). */
export const totpEnableBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Enter the 6-digit code from your app.'),
  password: z.string().max(limits.passwordMaxLength).optional(),
});

/** Recovery codes, shown once. */
export const recoveryCodesResponse = z.object({ recoveryCodes: z.array(z.string()) });

/** Bodies that only re-confirm the password (SECURITY.md: sensitive changes need it again). */
export const passwordConfirmBody = z.object({
  password: z
    .string()
    .min(1)
    .max(limits.passwordMaxLength * 2),
});

/** GET /api/auth/me */
export const meResponse = z.object({ user: me, session: sessionInfo });

/** One of the user's active sessions. */
export const sessionSummary = z.object({
  id: uuid,
  createdAt: isoDateTime,
  lastSeenAt: isoDateTime,
  userAgent: z.string().nullable(),
  ipAddress: z.string().nullable(),
  current: z.boolean(),
});

/** GET /api/auth/sessions */
export const sessionsResponse = z.object({ sessions: z.array(sessionSummary) });

/** POST /api/auth/password/forgot */
export const forgotPasswordBody = z.object({ email });

/** POST /api/auth/password/reset; the token arrives in the link's fragment, never in a URL the server sees. */
export const resetPasswordBody = z.object({ token: z.string().min(20).max(200), password });

/** POST /api/auth/password/change */
export const changePasswordBody = z.object({
  currentPassword: z
    .string()
    .min(1)
    .max(limits.passwordMaxLength * 2),
  newPassword: password,
});

/** POST /api/auth/mfa/totp/enable: recovery codes (shown once) and the now fully signed-in session. */
export const totpEnableResponse = z.object({
  recoveryCodes: z.array(z.string()),
  user: me,
  session: sessionInfo,
});

/** POST /api/auth/email/change: needs the password; a link goes to the new address, a notice to the old one. */
export const changeEmailBody = z.object({
  password: z
    .string()
    .min(1)
    .max(limits.passwordMaxLength * 2),
  newEmail: email,
});

/** POST /api/auth/email/confirm: the token comes from the link's fragment. */
export const confirmEmailChangeBody = z.object({ token: z.string().min(20).max(200) });

/** base64url as WebAuthn sends it. */
const base64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'Expected base64url.');

const authenticatorAttachment = z.enum(['platform', 'cross-platform']).optional();
const clientExtensionResults = z.record(z.string(), z.unknown()).default({});

/** The browser's answer to navigator.credentials.create(), as JSON (WebAuthn RegistrationResponseJSON). */
export const passkeyRegistrationResponse = z.object({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url(8000),
    attestationObject: base64url(32000),
    authenticatorData: base64url(32000).optional(),
    transports: z
      .array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']))
      .max(10)
      .optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(8000).optional(),
  }),
  authenticatorAttachment,
  clientExtensionResults,
});

/** The browser's answer to navigator.credentials.get(), as JSON (WebAuthn AuthenticationResponseJSON). */
export const passkeyAuthenticationResponse = z.object({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url(8000),
    authenticatorData: base64url(32000),
    signature: base64url(2000),
    userHandle: base64url(200).optional(),
  }),
  authenticatorAttachment,
  clientExtensionResults,
});

/** Options for navigator.credentials.create()/get(), passed to the browser as the server made them. */
export const passkeyOptionsResponse = z.object({ options: z.looseObject({ challenge: z.string() }) });

/** POST /api/auth/passkeys/register: the name the person gives the passkey and the browser's answer. */
export const passkeyRegisterBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the passkey a name.')
    .max(limits.passkeyNameMaxLength, `Use at most ${limits.passkeyNameMaxLength} characters.`),
  response: passkeyRegistrationResponse,
});

/** POST /api/auth/mfa/passkey/verify */
export const passkeyVerifyBody = z.object({ response: passkeyAuthenticationResponse });

/** One of the person's passkeys. */
export const passkeyView = z.object({
  id: uuid,
  name: z.string(),
  createdAt: isoDateTime,
  lastUsedAt: isoDateTime.nullable(),
});
/** A passkey as the web shows it. */
export type PasskeyView = z.infer<typeof passkeyView>;

/** GET /api/auth/passkeys */
export const passkeysResponse = z.object({ passkeys: z.array(passkeyView) });
