import { z } from 'zod';
import { uuid } from './common.ts';

/** Roles a membership carries: staff of a health system, members of an outside practice, the support team. */
export const membershipRoles = [
  'clinician',
  'nurse',
  'front_desk',
  'billing',
  'admin',
  /** The privacy office: answers patients' questions about who looked at their record (issue 11 §3). */
  'privacy_officer',
  'outside_provider',
  'sponsored_staff',
  'support',
] as const;
/** One membership role. */
export type MembershipRole = (typeof membershipRoles)[number];

/** Kinds of membership (DESIGN.md "Access"): a patient's own record is not one, it follows from the record. */
export const membershipKinds = ['staff', 'practice', 'support'] as const;
/** One membership kind. */
export type MembershipKind = (typeof membershipKinds)[number];

/**
 * Organization-level things a person may do, answered by the server's `can(actor, action)`; the web shows pages from
 * these, never from role names.
 */
export const abilities = [
  /** Find the organization's patients and open their charts. */
  'patients.search',
  /** Work the care-team inbox (pools the person belongs to). */
  'inbox.use',
  /** Read the day and week schedules. */
  'schedule.read',
  /** Mark visits completed, no-show or cancelled, and set up visit types, hours and blocked time. */
  'schedule.manage',
  /**
   * Mark a patient arrived from the schedule: the front desk always; nurses where their organization allows it
   * (organizations.nurses_mark_arrival, default off).
   */
  'schedule.arrive',
  /** Load FHIR Bundles into the organization. */
  'records.import',
  /** Read clinical content of the organization's patients (charts, results, clinical messages). */
  'clinical.read',
  /** Hold and release results. */
  'results.hold',
  /** Comment on results for the patient. */
  'results.comment',
  /** Approve or deny refill requests. */
  'refills.decide',
  /** Set the organization's branding: name, primary colour and logo (issue 10 §2). */
  'organization.brand',
  /**
   * Set up guardians and legal representatives from the proxy console, and approve or deny parents' requests (issue 11
   * §1): the registration desk (front desk) and administrators, who check identity documents; not clinical roles.
   */
  'proxies.manage',
  /** Set the organization's portal rules: the age a patient may have their own account from (issue 11 §1). */
  'organization.settings',
  /** Review outside providers' registrations and approve or reject them (issue 12 §1, §3): the support team. */
  'support.registrations',
  /**
   * Work the support team's other queues (issue 12 §3): PCP update requests, non-PCP requests routed to support,
   * practice changes and providers' error reports.
   */
  'support.requests',
  /** Help with accounts (issue 12 §3): locked accounts and unlocks, password reset links, sponsored-user validation extensions. */
  'support.accounts',
  /** Read and download the audit report per practice and per user: who opened which patient, when (issue 12 §3). */
  'support.audit',
  /**
   * An outside practice's member (issue 12 §2): find the patients they may see (by name and birth date or by MRN),
   * open their read-only chart, validate a token, and ask for a record they may not see.
   */
  'practice.patients',
  /** An outside physician with an NPI (issue 12 §1): sponsor practice staff and complete the twice-yearly validation. */
  'practice.sponsor',
] as const;
/** One organization-level ability. */
export type Ability = (typeof abilities)[number];

/** Parts of a patient's record, as the policy divides them (HIPAA minimum necessary). */
export const dataCategories = ['demographics', 'clinical', 'appointments', 'billing', 'preferences', 'result_holds', 'messages'] as const;
/** One data category. */
export type DataCategory = (typeof dataCategories)[number];

/** How a person reaches a patient's record they act for: their own, or an explicit grant. */
export const patientRelationships = ['self', 'proxy', 'care_team', 'approved_request', 'token', 'break_glass'] as const;

/** One membership, as the signed-in person sees it. */
export const membershipView = z.object({
  kind: z.enum(membershipKinds),
  role: z.enum(membershipRoles),
  organizationId: uuid,
  organizationName: z.string(),
});
/** One membership. */
export type MembershipView = z.infer<typeof membershipView>;

/** A patient the signed-in person acts for personally (their own record, a proxy grant), and what they may do. */
export const actingForView = z.object({
  patientId: uuid,
  displayName: z.string(),
  relationship: z.enum(patientRelationships),
  /** Per category: 'write' (read and write), 'read', or absent. */
  access: z.partialRecord(z.enum(dataCategories), z.enum(['read', 'write'])),
  /**
   * The person may keep a new message thread private from the patient's parents: their own record, aged 12-17 on the
   * organization's calendar day (issue 11 §1). The new-message page shows "Keep this private from my parents" then.
   */
  mayKeepThreadsPrivate: z.boolean(),
});
/** One patient acted for. */
export type ActingForView = z.infer<typeof actingForView>;
