import { z } from 'zod';
import { email, isoDate, isoDateTime, namePart, uuid } from './common.ts';

/** What a sponsored staff member does at the practice (issue 12 §1: nurses, referral coordinators, social workers...). */
export const sponsoredTitles = ['registered_nurse', 'referral_coordinator', 'social_worker', 'office_manager', 'other'] as const;
/** One sponsored staff member's title. */
export type SponsoredTitle = (typeof sponsoredTitles)[number];

/** POST /api/sponsor/users: a sponsor (an outside physician with an NPI) invites a member of their practice's staff. */
export const sponsoredUserBody = z.object({
  givenName: namePart,
  familyName: namePart,
  email,
  title: z.enum(sponsoredTitles),
});
/** A sponsored user as the sponsor invites them. */
export type SponsoredUserBody = z.infer<typeof sponsoredUserBody>;

/** One of the sponsor's active sponsored users. */
export const sponsoredUserView = z.object({
  userId: uuid,
  displayName: z.string(),
  email: z.string(),
  /** Null for an account made before titles were kept. */
  title: z.enum(sponsoredTitles).nullable(),
  /** They chose their username and password from the activation email. */
  activated: z.boolean(),
  /** When the sponsorship began. */
  since: isoDateTime,
});
/** One sponsored user. */
export type SponsoredUserView = z.infer<typeof sponsoredUserView>;

/** GET /api/sponsor/users. */
export const sponsoredUserListResponse = z.object({ users: z.array(sponsoredUserView) });
/** POST /api/sponsor/users answers the new sponsored user. */
export const sponsoredUserResponse = z.object({ user: sponsoredUserView });

/** DELETE /api/sponsor/users/:userId. */
export const sponsoredUserParams = z.object({ userId: uuid });

/** A Sponsored User Validation as the sponsor reads it. */
export const sponsorValidationView = z.object({
  id: uuid,
  /** April 1 or October 1: the period's first day in the organization's zone. */
  periodStart: isoDate,
  /** The instant it locks (midnight that begins day 31 in the organization's zone). */
  dueAt: isoDateTime,
  /** The last day it may be completed without a lock (day 30), in the organization's zone. */
  lastDay: isoDate,
  locked: z.boolean(),
  users: z.array(sponsoredUserView),
});
/** The open validation. */
export type SponsorValidationView = z.infer<typeof sponsorValidationView>;

/** GET /api/sponsor/validation: the open validation, or null when none is open. */
export const sponsorValidationResponse = z.object({ validation: sponsorValidationView.nullable() });

/** POST /api/sponsor/validation: keep or remove each active sponsored user, every one exactly once. */
export const sponsorValidationBody = z.object({
  decisions: z
    .array(z.object({ userId: uuid, keep: z.boolean() }))
    .max(500)
    .refine((list) => new Set(list.map((d) => d.userId)).size === list.length, { error: 'decisions: Each user appears once.' }),
});
/** The sponsor's decisions. */
export type SponsorValidationBody = z.infer<typeof sponsorValidationBody>;

/** The answer to a completed validation: who stays and who was removed. */
export const sponsorValidationDoneResponse = z.object({ kept: z.number().int(), removed: z.number().int() });

/** What GET /api/me says of a sponsor's open validation (the banner and the redirect to the validation page). */
export const meSponsorValidation = z.object({ id: uuid, dueAt: isoDateTime, lastDay: isoDate, locked: z.boolean() });
/** The sponsor's validation state in `Me`. */
export type MeSponsorValidation = z.infer<typeof meSponsorValidation>;

/** An account of the support team's view: name and email only. */
export const supportAccountRef = z.object({ userId: uuid, displayName: z.string(), email: z.string() });

/** A sponsor locked by a validation past due, with the sponsored users locked with them. */
export const lockedValidationView = z.object({
  id: uuid,
  sponsor: supportAccountRef,
  periodStart: isoDate,
  dueAt: isoDateTime,
  sponsoredUsers: z.array(supportAccountRef),
});
/** One locked sponsor. */
export type LockedValidationView = z.infer<typeof lockedValidationView>;

/** An outside account whose sign-in is paused by repeated failures. */
export const pausedAccountView = supportAccountRef.extend({ failures: z.number().int(), lastFailureAt: isoDateTime });
/** One paused account. */
export type PausedAccountView = z.infer<typeof pausedAccountView>;

/** GET /api/support/accounts/locked. */
export const lockedAccountsResponse = z.object({ validations: z.array(lockedValidationView), paused: z.array(pausedAccountView) });
/** The support team's account-help list. */
export type LockedAccountsResponse = z.infer<typeof lockedAccountsResponse>;

/** POST /api/support/validations/:id/extend: how many more days and why (the audit keeps it). */
export const extendValidationBody = z.object({
  days: z.number().int().min(1).max(30),
  reason: z.string().trim().min(1).max(500),
});
/** The extension's answer: the new due date. */
export const extendValidationResponse = z.object({ id: uuid, dueAt: isoDateTime });

/** Support's account actions: POST /api/support/accounts/:userId/unlock-sign-in and /password-reset. */
export const supportAccountParams = z.object({ userId: uuid });
