import { z } from 'zod';

/** The ages from which an organization may let a patient open their own portal account (issue 11 §1). */
export const teenAccountAges = [12, 13] as const;
/** One of the ages an organization may choose. */
export type TeenAccountAge = (typeof teenAccountAges)[number];

/** Who decides an outside provider's non-PCP request (issue 12 §2): the patient or guardian, or the support team. */
export const nonPcpRequestDeciders = ['patient', 'support'] as const;
/** One of them. */
export type NonPcpRequestDecider = (typeof nonPcpRequestDeciders)[number];

/**
 * The organization's portal rules an administrator sets (`organization.settings`): from what age a patient may have
 * their own account (12 or 13, on the organization's calendar day), whether nurses mark patients arrived as the
 * front desk does (issue 10 §5.7), and whether outside providers' non-PCP requests go to the patient or guardian or to
 * the support team (issue 12 §2).
 */
export const portalRules = z.object({
  teenAccountAge: z.union([z.literal(12), z.literal(13)], { error: 'Choose 12 or 13.' }),
  nursesMarkArrival: z.boolean({ error: 'Answer true or false.' }),
  nonPcpRequestsTo: z.enum(nonPcpRequestDeciders, { error: 'Choose patient or support.' }),
});
/** The portal rules as stored and shown. */
export type PortalRules = z.infer<typeof portalRules>;

/** PUT /api/admin/portal-rules: every rule, always sent together. */
export const portalRulesBody = portalRules;
/** GET and PUT /api/admin/portal-rules answer the organization's rules as they now are. */
export const portalRulesView = portalRules;
