import { z } from 'zod';
import { email, isoDate, isoDateTime, namePart, password, uuid } from './common.ts';
import { username } from './signup.ts';
import type { DataCategory } from './access.ts';

/**
 * Family access (issue 11): proxies, their invitations, and the "Sharing and privacy" page's list of everyone who can
 * see a patient's record besides the care team's staff.
 */

/** How a proxy came to act for the patient (issue 11 §1). */
export const proxyRelationships = [
  /** Parent or legal guardian of a minor (set up by staff, or a parent's request staff approved). */
  'guardian',
  /** An adult the patient invited: a family member or caregiver. */
  'invited',
  /** Guardianship or power of attorney of an adult, set up by staff with the document. */
  'legal_representative',
] as const;
export type ProxyRelationship = (typeof proxyRelationships)[number];

/**
 * The parts of a record a proxy with a chosen set of areas may use. Refill requests go with `record`: a request is
 * made from the medication list, which is part of the record.
 */
export const proxyAreas = ['record', 'appointments', 'messages', 'billing'] as const;
export type ProxyArea = (typeof proxyAreas)[number];

/** The policy's data categories each area opens (demographics always come with any area: the name and birth date). */
export const proxyAreaCategories: Record<ProxyArea, readonly DataCategory[]> = {
  record: ['clinical'],
  appointments: ['appointments'],
  messages: ['messages'],
  billing: ['billing'],
};

/** `full`: every area, and the patient's settings; `areas`: the chosen areas only, and no settings. */
export const proxyLevels = ['full', 'areas'] as const;
export type ProxyLevel = (typeof proxyLevels)[number];

/** Sensitive categories the patient may choose to share, per person (default: not shared). */
export const sensitiveCategoryNames = ['mental_health', 'substance_use', 'sexual_reproductive', 'hiv', 'genetics'] as const;
export type SensitiveCategoryName = (typeof sensitiveCategoryNames)[number];

/** A level and its areas, as the patient chooses them. */
const proxyAccess = z
  .object({
    level: z.enum(proxyLevels),
    /** The chosen areas; required (one or more) for `areas`, ignored for `full`. */
    areas: z.array(z.enum(proxyAreas)).max(proxyAreas.length).default([]),
  })
  .refine((v) => v.level === 'full' || v.areas.length > 0, { path: ['areas'], error: 'Choose at least one area.' });

/** POST /api/patients/:patientId/proxy-invitations: the patient invites an adult by email. */
export const proxyInvitationBody = z.intersection(
  z.object({
    email,
    /** How the patient knows them ("Ana, my daughter"); shown on the patient's own list only. */
    name: z.string().trim().min(1).max(100),
  }),
  proxyAccess,
);
export type ProxyInvitationBody = z.infer<typeof proxyInvitationBody>;

/** Where an invitation stands. */
export const proxyInvitationStatuses = ['pending', 'accepted', 'expired', 'cancelled', 'locked'] as const;

/** One invitation, as the inviting patient sees it. */
export const proxyInvitationView = z.object({
  id: uuid,
  email: z.string(),
  name: z.string(),
  level: z.enum(proxyLevels),
  areas: z.array(z.enum(proxyAreas)),
  status: z.enum(proxyInvitationStatuses),
  createdAt: isoDateTime,
  expiresAt: isoDateTime,
});
export type ProxyInvitationView = z.infer<typeof proxyInvitationView>;

/** The answer to POST /api/patients/:patientId/proxy-invitations (201): the invitation as the list shows it. */
export const proxyInvitationResponse = z.object({ invitation: proxyInvitationView });

/** Kinds of entry on the Sharing and privacy page: proxies now; outside providers, apps and share links as they come. */
export const sharingKinds = ['proxy', 'care_team', 'approved_request', 'token', 'app', 'share_link'] as const;

/** One person (or app, or link) who can see the patient's record, with what, since and until when. */
export const sharingEntryView = z.object({
  grantId: uuid,
  kind: z.enum(sharingKinds),
  relationship: z.enum(proxyRelationships).nullable(),
  /** The person's name as the record knows it (or the app's, the link's label). */
  name: z.string(),
  level: z.enum(proxyLevels),
  areas: z.array(z.enum(proxyAreas)),
  /** Sensitive categories the patient chose to share with this person. */
  sensitiveCategories: z.array(z.enum(sensitiveCategoryNames)),
  /** True while the patient is 12 to 17 and this is a guardian: confidential and sensitive items stay hidden. */
  limitedByAge: z.boolean(),
  since: isoDateTime,
  until: isoDateTime.nullable(),
  /** Whether the reader of the page may revoke it (the patient, or a full proxy; not a staff-set legal representative). */
  canRevoke: z.boolean(),
});
export type SharingEntryView = z.infer<typeof sharingEntryView>;

/** GET /api/patients/:patientId/sharing */
export const sharingResponse = z.object({
  entries: z.array(sharingEntryView),
  invitations: z.array(proxyInvitationView),
});
export type SharingResponse = z.infer<typeof sharingResponse>;

/** DELETE /api/patients/:patientId/sharing/:grantId (a body: the optional reason, kept with the grant). */
export const revokeSharingBody = z.object({ reason: z.string().trim().max(500).optional() });

/** PUT /api/patients/:patientId/sharing/:grantId/sensitive: the sensitive categories shared with this person. */
export const sensitiveSharingBody = z.object({ categories: z.array(z.enum(sensitiveCategoryNames)).max(sensitiveCategoryNames.length) });

/** POST /api/proxy-invitations/preview: what the invitee may know before accepting (no patient data). */
export const proxyInvitationPreviewBody = z.object({ token: z.string().min(20).max(200) });
export const proxyInvitationPreviewResponse = z.object({
  organizationName: z.string(),
  /** The name the patient gave the invitee. */
  invitedAs: z.string(),
  level: z.enum(proxyLevels),
  areas: z.array(z.enum(proxyAreas)),
  expiresAt: isoDateTime,
});

/**
 * POST /api/proxy-invitations/accept, signed in: the invitee proves they know the patient with the patient's date of
 * birth. Five wrong dates lock the invitation.
 */
export const proxyInvitationAcceptBody = z.object({ token: z.string().min(20).max(200), birthDate: isoDate });
export const proxyInvitationAcceptResponse = z.object({ patientId: uuid, displayName: z.string() });

/**
 * POST /api/proxy-invitations/sign-up (no session): someone without a Portico account opens one with the invitation
 * and accepts it at once. The email is the invitation's (the link proves it); the patient's birth date as in accept.
 */
export const proxyInvitationSignUpBody = z.object({
  token: z.string().min(20).max(200),
  birthDate: isoDate,
  givenName: namePart,
  familyName: namePart,
  username,
  password,
});
export type ProxyInvitationSignUpBody = z.infer<typeof proxyInvitationSignUpBody>;
export const proxyInvitationSignUpResponse = z.object({ status: z.literal('account_created'), username: z.string() });
