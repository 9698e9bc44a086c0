import { z } from 'zod';
import { email, isoDate, isoDateTime, uuid } from './common.ts';
import { healthSummaryResponse, resultItem } from './record.ts';

/**
 * "Share my record" (issue 11 §2): a link with a passcode and an expiry (at most 30 days) that a patient gives any
 * clinician, showing a read-only summary or the record as a PDF; sent to an email address it is the ONC (e)(1)
 * transmit. The token travels in the link's fragment (`/shared#token=…`), the passcode apart from it.
 */

/** What a link shows: a read-only summary page, or the record as a PDF download. */
export const shareLinkScopes = ['summary', 'download'] as const;
export type ShareLinkScope = (typeof shareLinkScopes)[number];

/** Where a link stands: `locked` after five wrong passcodes. */
export const shareLinkStatuses = ['active', 'expired', 'revoked', 'locked'] as const;
export type ShareLinkStatus = (typeof shareLinkStatuses)[number];

/** The limits of share links, enforced by the server and shown by the page. */
export const shareLinkLimits = {
  /** Longest a link stays open, in days. */
  maxDays: 30,
  /** Active links a patient may have at once (a cap, so the page cannot send mail in bulk). */
  maxActive: 20,
  /** Wrong passcodes that lock a link. */
  maxAttempts: 5,
  /** Digits of the generated passcode. */
  passcodeDigits: 8,
  labelMaxLength: 100,
} as const;

/** POST /api/patients/:patientId/share-links */
export const shareLinkCreateBody = z.object({
  /** Who it is for, in the patient's words ("Dr. Lee, dermatology"); shown on the patient's own list only. */
  label: z.string().trim().min(1, 'Say who the link is for.').max(shareLinkLimits.labelMaxLength),
  scope: z.enum(shareLinkScopes),
  expiresInDays: z.number().int().min(1).max(shareLinkLimits.maxDays),
  /** When given, the link (never the passcode) is emailed to this address: the transmit. */
  recipientEmail: email.optional(),
});
export type ShareLinkCreateBody = z.infer<typeof shareLinkCreateBody>;

/** One link as the patient's list shows it. */
export const shareLinkView = z.object({
  id: uuid,
  label: z.string(),
  scope: z.enum(shareLinkScopes),
  recipientEmail: z.string().nullable(),
  status: z.enum(shareLinkStatuses),
  openCount: z.number().int(),
  lastOpenedAt: isoDateTime.nullable(),
  failedAttempts: z.number().int(),
  createdAt: isoDateTime,
  expiresAt: isoDateTime,
  revokedAt: isoDateTime.nullable(),
});
export type ShareLinkView = z.infer<typeof shareLinkView>;

/** The answer to a create (201): the link, and once only its address and passcode (never stored in clear). */
export const shareLinkCreateResponse = z.object({
  link: shareLinkView,
  url: z.string(),
  passcode: z.string(),
});
export type ShareLinkCreateResponse = z.infer<typeof shareLinkCreateResponse>;

/** GET /api/patients/:patientId/share-links: newest first. */
export const shareLinkListResponse = z.object({ links: z.array(shareLinkView) });
export type ShareLinkListResponse = z.infer<typeof shareLinkListResponse>;

/** Path parameters of one link. */
export const shareLinkParams = z.object({ id: uuid, linkId: uuid });

/** POST /api/shared/open and /api/shared/download (no sign-in): the token from the link and the passcode. */
export const sharedOpenBody = z.object({
  token: z.string().min(20).max(200),
  /** Spaces and dashes do not matter. */
  passcode: z.string().trim().min(1, 'Enter the passcode.').max(64),
});
export type SharedOpenBody = z.infer<typeof sharedOpenBody>;

/** What a link's reader sees of a summary link: the patient's name and birth date, and the summary. */
export const sharedSummary = z.object({
  scope: z.literal('summary'),
  patient: z.object({ name: z.string(), birthDate: isoDate }),
  organizationName: z.string(),
  summary: healthSummaryResponse,
  /** The newest results (up to 20) the link may show. */
  results: z.array(resultItem),
  generatedAt: isoDateTime,
  expiresAt: isoDateTime,
});

/** The answer to an open: the summary, or for a download link, that the PDF is ready to download. */
export const sharedOpenResponse = z.discriminatedUnion('scope', [
  sharedSummary,
  z.object({ scope: z.literal('download'), organizationName: z.string(), expiresAt: isoDateTime }),
]);
export type SharedOpenResponse = z.infer<typeof sharedOpenResponse>;
