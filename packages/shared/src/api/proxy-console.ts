import { z } from 'zod';
import { email, inputDateTime, isoDate, isoDateTime, namePart, uuid } from './common.ts';
import { proxyAreas, proxyLevels } from './proxies.ts';

/**
 * The staff proxy console and parents' access requests (issue 11 §1): staff set up guardians and legal representatives
 * (identity checked, relationship recorded, document attached, end date) and review the requests parents send from
 * the portal, approving them (a guardian grant) or denying them with a reason.
 */

/** How staff checked the proxy's identity and relationship (proxy_setups.identity_method). */
export const identityMethods = ['photo_id', 'birth_certificate', 'court_order', 'power_of_attorney', 'other'] as const;
export type IdentityMethod = (typeof identityMethods)[number];

/** What a requester says they are to the child. */
export const proxyRequestRelationships = ['parent', 'legal_guardian'] as const;
export type ProxyRequestRelationship = (typeof proxyRequestRelationships)[number];

/** Where a parent's request stands. */
export const proxyRequestStatuses = ['pending', 'approved', 'denied', 'cancelled'] as const;
export type ProxyRequestStatus = (typeof proxyRequestStatuses)[number];

/** The relationships staff set up from the console (an invited proxy is the patient's own doing). */
export const consoleProxyRelationships = ['guardian', 'legal_representative'] as const;
export type ConsoleProxyRelationship = (typeof consoleProxyRelationships)[number];

/** Limits of the console and of parents' requests. */
export const proxyConsoleLimits = {
  /** Requests one person may have waiting at once. */
  maxPendingRequests: 5,
  /** The largest document (PDF, PNG or JPEG) staff may attach. */
  documentMaxBytes: 5 * 1024 * 1024,
  documentTypes: ['application/pdf', 'image/png', 'image/jpeg'],
  noteMaxLength: 500,
  reasonMaxLength: 500,
} as const;

const note = z.string().trim().max(proxyConsoleLimits.noteMaxLength).optional();
const reason = z.string().trim().min(1, 'Say why.').max(proxyConsoleLimits.reasonMaxLength);

/** A level and its areas, as staff choose them; `full` by default. */
const consoleAccess = {
  level: z.enum(proxyLevels).default('full'),
  /** The chosen areas; required (one or more) for `areas`, ignored for `full`. */
  areas: z.array(z.enum(proxyAreas)).max(proxyAreas.length).default([]),
};
const areasChosen = (v: { level: string; areas: readonly string[] }) => v.level === 'full' || v.areas.length > 0;

/** POST /api/proxy-requests: a parent asks for access to a child's record. */
export const proxyRequestBody = z.object({
  childGivenName: namePart,
  childFamilyName: namePart,
  childBirthDate: isoDate,
  relationship: z.enum(proxyRequestRelationships),
  note,
});
export type ProxyRequestBody = z.infer<typeof proxyRequestBody>;

/** One request, as its requester sees it: the staff's reason only when denied. */
export const proxyRequestView = z.object({
  id: uuid,
  childGivenName: z.string(),
  childFamilyName: z.string(),
  childBirthDate: isoDate,
  relationship: z.enum(proxyRequestRelationships),
  status: z.enum(proxyRequestStatuses),
  createdAt: isoDateTime,
  decidedAt: isoDateTime.nullable(),
  /** Staff's reason for a denial; null otherwise. */
  reason: z.string().nullable(),
});
export type ProxyRequestView = z.infer<typeof proxyRequestView>;

/** GET /api/proxy-requests: the requester's own requests, newest first. */
export const proxyRequestsResponse = z.object({ requests: z.array(proxyRequestView) });
export type ProxyRequestsResponse = z.infer<typeof proxyRequestsResponse>;
/** POST /api/proxy-requests (201). */
export const proxyRequestResponse = z.object({ request: proxyRequestView });

/** A patient of the organization whose names and birth date match a request: staff choose among them. */
export const proxyCandidateView = z.object({
  id: uuid,
  mrn: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  birthDate: isoDate,
});
export type ProxyCandidateView = z.infer<typeof proxyCandidateView>;

/** One request in the staff queue. */
export const consoleRequestView = z.object({
  id: uuid,
  requester: z.object({ name: z.string(), email: z.string() }),
  childGivenName: z.string(),
  childFamilyName: z.string(),
  childBirthDate: isoDate,
  relationship: z.enum(proxyRequestRelationships),
  note: z.string().nullable(),
  status: z.enum(proxyRequestStatuses),
  createdAt: isoDateTime,
  decidedAt: isoDateTime.nullable(),
  decisionReason: z.string().nullable(),
  /** The child's record once approved. */
  patientId: uuid.nullable(),
  /** Patients of the organization with this birth date and one of these names (pending requests only). */
  candidates: z.array(proxyCandidateView),
});
export type ConsoleRequestView = z.infer<typeof consoleRequestView>;

/** GET /api/proxy-console/requests?status=pending */
export const consoleRequestsQuery = z.object({ status: z.enum(proxyRequestStatuses).default('pending') });
export const consoleRequestsResponse = z.object({ requests: z.array(consoleRequestView) });
export type ConsoleRequestsResponse = z.infer<typeof consoleRequestsResponse>;

/** POST /api/proxy-console/requests/:requestId/approve */
export const approveRequestBody = z
  .object({
    patientId: uuid,
    ...consoleAccess,
    endsAt: inputDateTime.optional(),
    identityMethod: z.enum(identityMethods),
    note,
  })
  .refine(areasChosen, { path: ['areas'], error: 'Choose at least one area.' });
export type ApproveRequestBody = z.input<typeof approveRequestBody>;

/** POST /api/proxy-console/requests/:requestId/deny */
export const denyRequestBody = z.object({ reason });
export type DenyRequestBody = z.infer<typeof denyRequestBody>;

/** The answer to approve and deny: the request as the queue shows it. */
export const consoleRequestResponse = z.object({ request: consoleRequestView });

/** POST /api/patients/:id/proxies: staff set up a guardian or a legal representative for an existing account. */
export const staffProxyBody = z
  .object({
    email,
    relationship: z.enum(consoleProxyRelationships),
    ...consoleAccess,
    endsAt: inputDateTime.optional(),
    identityMethod: z.enum(identityMethods),
    note,
  })
  .refine(areasChosen, { path: ['areas'], error: 'Choose at least one area.' });
export type StaffProxyBody = z.input<typeof staffProxyBody>;

/** The document attached to a set-up, described (its bytes come from the document route). */
export const proxyDocumentView = z.object({
  name: z.string(),
  type: z.enum(proxyConsoleLimits.documentTypes),
  sizeBytes: z.number().int(),
});

/** How the console set a proxy up. */
export const proxySetupView = z.object({
  setUpByName: z.string(),
  identityMethod: z.enum(identityMethods),
  note: z.string().nullable(),
  document: proxyDocumentView.nullable(),
  createdAt: isoDateTime,
});

/** One proxy of a patient as staff see it. */
export const staffProxyView = z.object({
  grantId: uuid,
  relationship: z.enum(['guardian', 'invited', 'legal_representative']).nullable(),
  name: z.string(),
  email: z.string(),
  level: z.enum(proxyLevels),
  areas: z.array(z.enum(proxyAreas)),
  since: isoDateTime,
  until: isoDateTime.nullable(),
  /** Set when the console set it up (not for an adult the patient invited). */
  setup: proxySetupView.nullable(),
  /** A legal representative without its document on file: shown as "document missing" until uploaded. */
  documentMissing: z.boolean(),
});
export type StaffProxyView = z.infer<typeof staffProxyView>;

/** GET /api/patients/:id/proxies */
export const staffProxiesResponse = z.object({ proxies: z.array(staffProxyView) });
export type StaffProxiesResponse = z.infer<typeof staffProxiesResponse>;
/** POST /api/patients/:id/proxies (201) and the document upload. */
export const staffProxyResponse = z.object({ proxy: staffProxyView });

/** DELETE /api/patients/:id/proxies/:grantId */
export const endProxyBody = z.object({ reason });
