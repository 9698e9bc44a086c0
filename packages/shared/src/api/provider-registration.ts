import { z } from 'zod';
import { isValidNpi } from '../rules.ts';
import { email, isoDateTime, namePart, password, phoneNumber, uuid } from './common.ts';
import { username } from './signup.ts';

/** A line of a practice's name or address: trimmed, non-empty, bounded. */
const practiceText = (max: number) => z.string().trim().min(1).max(max);

/** A National Provider Identifier someone types: ten digits whose check digit is right (isValidNpi, 45 CFR 162.406). */
export const npi = z.string().trim().refine(isValidNpi, { error: 'That is not a valid NPI: check the 10 digits.' });

/**
 * POST /api/provider-registrations: a provider with an NPI asks for a community-provider account (issue 12 §1); the
 * support team approves or rejects it. Nothing here sets a status, an organization or an account.
 */
export const providerRegistrationBody = z.object({
  givenName: namePart,
  familyName: namePart,
  /** Professional title shown after the name: MD, DO, NP... */
  credentials: z.string().trim().min(1).max(40).optional(),
  npi,
  email,
  phone: phoneNumber('your phone number'),
  fax: phoneNumber('your fax number').optional(),
  practiceName: practiceText(200),
  practiceAddress: practiceText(500),
  practicePhone: phoneNumber("the practice's phone number"),
  practiceFax: phoneNumber("the practice's fax number").optional(),
});
/** A provider's registration as sent. */
export type ProviderRegistrationBody = z.infer<typeof providerRegistrationBody>;

/** The answer to a registration: received, and nothing that says whether an account exists. */
export const providerRegistrationResponse = z.object({ received: z.literal(true) });

/** Where a registration stands. */
export const registrationStatuses = ['pending', 'approved', 'rejected'] as const;

/** GET /api/support/registrations?status= (default pending). */
export const registrationListQuery = z.object({ status: z.enum(registrationStatuses).default('pending') });

/** One registration as the support team reads it. */
export const registrationView = z.object({
  id: uuid,
  givenName: z.string(),
  familyName: z.string(),
  credentials: z.string().nullable(),
  npi: z.string(),
  email: z.string(),
  phone: z.string(),
  fax: z.string().nullable(),
  practiceName: z.string().nullable(),
  practiceAddress: z.string().nullable(),
  practicePhone: z.string().nullable(),
  practiceFax: z.string().nullable(),
  status: z.enum(registrationStatuses),
  decidedAt: isoDateTime.nullable(),
  decisionReason: z.string().nullable(),
  createdAt: isoDateTime,
});
/** One registration in the support queue. */
export type RegistrationView = z.infer<typeof registrationView>;

/** The support queue, oldest first. */
export const registrationListResponse = z.object({ registrations: z.array(registrationView) });

/** POST /api/support/registrations/:id/approve: into an existing practice of the organization, else the one described. */
export const approveRegistrationBody = z.object({ practiceId: uuid.optional() }).default({});

/** POST /api/support/registrations/:id/reject: the reason, emailed to the registrant. */
export const rejectRegistrationBody = z.object({ reason: z.string().trim().min(1).max(500) });

/** A decision's answer: the registration as it now stands. */
export const registrationDecisionResponse = z.object({ registration: registrationView });

/** POST /api/provider-activation: the emailed link's token, and the credentials the provider chooses. */
export const providerActivationBody = z.object({
  token: z.string().min(20).max(200),
  username,
  password,
});
