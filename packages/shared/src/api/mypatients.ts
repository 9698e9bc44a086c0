import { z } from 'zod';
import { activityVias } from './activity.ts';
import { inputDate, isoDate, isoDateTime, namePart, uuid } from './common.ts';

/**
 * The community-provider portal's own pages (issue 12 §2, "MyPatients"): patient selection, requests for access the
 * provider lacks, and the validation of a token a patient issued. Every endpoint needs the practice ability
 * 'practice.patients'.
 */

/** An MRN as a provider types it: trimmed, bounded; matched exactly. */
export const mrnInput = z.string().trim().min(1, 'Enter the MRN.').max(64, 'An MRN has at most 64 characters.');

/**
 * POST /api/mypatients/search: by MRN, or by family name (exact, any case) and birth date with an optional given name
 * (its beginning). A body that is neither is a 400 naming what is missing.
 */
export const myPatientsSearchBody = z
  .object({
    mrn: mrnInput.optional(),
    familyName: namePart.optional(),
    givenName: namePart.optional(),
    birthDate: inputDate.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.mrn !== undefined) return;
    if (body.familyName === undefined)
      ctx.addIssue({ code: 'custom', path: ['familyName'], message: 'Enter the MRN, or the family name and the date of birth.' });
    if (body.birthDate === undefined)
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'Enter the date of birth with the name, or search by MRN.' });
  });
/** A patient selection search as sent. */
export type MyPatientsSearchBody = z.infer<typeof myPatientsSearchBody>;

/** Kinds of access request: PCP (the support team updates the PCP) or non-PCP (the patient or guardian approves). */
export const accessRequestKinds = ['pcp', 'non_pcp'] as const;
export type AccessRequestKind = (typeof accessRequestKinds)[number];

/** A match the provider may open: who it is, and through which relationship. */
export const authorizedMatch = z.object({
  patientId: uuid,
  authorized: z.literal(true),
  givenName: z.string(),
  familyName: z.string(),
  birthDate: isoDate,
  mrn: z.string(),
  /** The relationship that lets them (pcp_practice, care_team, approved_request, token). */
  via: z.enum(activityVias),
});

/** A match the provider may not open: only its opaque id and the requests already waiting; nothing about the patient. */
export const unauthorizedMatch = z.object({
  patientId: uuid,
  authorized: z.literal(false),
  pending: z.array(z.enum(accessRequestKinds)),
});

/** The answer to a patient selection search: at most 20 matches. */
export const myPatientsSearchResponse = z.object({ patients: z.array(z.union([authorizedMatch, unauthorizedMatch])) });
export type MyPatientsSearchResponse = z.infer<typeof myPatientsSearchResponse>;
export type MyPatientMatch = MyPatientsSearchResponse['patients'][number];

/** POST /api/mypatients/requests. */
export const accessRequestBody = z.object({
  patientId: uuid,
  kind: z.enum(accessRequestKinds),
  reason: z.string().trim().max(1000, 'Use at most 1000 characters.').optional(),
});
export type AccessRequestBody = z.infer<typeof accessRequestBody>;

/** Where a request stands. */
export const accessRequestStatuses = ['pending', 'approved', 'denied', 'cancelled'] as const;

/** A request as its provider reads it. */
export const accessRequestView = z.object({
  id: uuid,
  kind: z.enum(accessRequestKinds),
  status: z.enum(accessRequestStatuses),
  routedTo: z.enum(['patient', 'support']),
  createdAt: isoDateTime,
});

/** The answer to a request: the one now waiting (a second of the same kind finds the first). */
export const accessRequestResponse = z.object({ request: accessRequestView });

/** One of the provider's requests in their list: with the patient's name only when they may now open the chart. */
export const myAccessRequestView = accessRequestView.extend({
  patientId: uuid,
  decidedAt: isoDateTime.nullable(),
  patient: z.object({ givenName: z.string(), familyName: z.string() }).nullable(),
});
export type MyAccessRequestView = z.infer<typeof myAccessRequestView>;

/** GET /api/mypatients/requests: newest first. */
export const myAccessRequestsResponse = z.object({ requests: z.array(myAccessRequestView) });

/** POST /api/mypatients/tokens/validate: the token from the patient's invitation and the MRN it is for. */
export const tokenValidationBody = z.object({
  token: z.string().trim().min(1, 'Enter the token.').max(64, 'A token has at most 64 characters.'),
  mrn: mrnInput,
});
export type TokenValidationBody = z.infer<typeof tokenValidationBody>;

/** A validated token: the patient the provider now finds in their search. */
export const tokenValidationResponse = z.object({ patientId: uuid });
