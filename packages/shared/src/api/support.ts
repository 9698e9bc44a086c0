import { z } from 'zod';
import { email, inputDate, inputDateTime, isoDate, isoDateTime, phoneNumber, uuid } from './common.ts';

/**
 * The support console's queues (issue 12 §3): PCP update and non-PCP requests routed to support, practice changes,
 * error reports, and the audit report per practice and per user. Every route needs a support ability of the
 * organization (`support.requests`, `support.audit`); the provider's side (practice change, error reports) needs a
 * practice membership (`practice.patients`).
 */

/** Limits of the support console's forms. */
export const supportLimits = {
  /** What a PCP approval records of the family's verbal confirmation ("Maria Lopez, mother"). */
  confirmedByMaxLength: 200,
  noteMaxLength: 1000,
  descriptionMaxLength: 4000,
  answerMaxLength: 4000,
  pageMaxLength: 300,
  /** A screenshot's bytes (PNG or JPEG, checked by their magic bytes). */
  screenshotMaxBytes: 2 * 1024 * 1024,
  screenshotTypes: ['image/png', 'image/jpeg'],
  /** The audit report's longest period, in days. */
  auditReportMaxDays: 366,
  auditReportPageSize: 50,
  /** Rows of the CSV download at most (a last line says when the cap cut it). */
  auditReportCsvCap: 10_000,
  /** Business days support has for a PCP update (the screen says "2-3 business days") and for an error report. */
  pcpUpdateBusinessDays: 3,
  errorReportBusinessDays: 2,
} as const;

const note = z.string().trim().min(1).max(supportLimits.noteMaxLength);

/** The kinds of outside access request (outside_access_requests.kind). */
export const supportRequestKinds = ['pcp', 'non_pcp'] as const;
/** Where an outside access request stands. */
export const supportRequestStatuses = ['pending', 'approved', 'denied', 'cancelled'] as const;

/** GET /api/support/access-requests?kind=pcp|non_pcp&status=pending: the requests routed to support. */
export const supportAccessRequestQuery = z.object({
  kind: z.enum(supportRequestKinds, { error: 'Choose pcp or non_pcp.' }),
  status: z.enum(supportRequestStatuses).default('pending'),
});

/** A physician (an NPI holder) as the support team picks them. */
const physicianView = z.object({ userId: uuid, name: z.string(), credentials: z.string().nullable(), npi: z.string().nullable() });

/** A request routed to support, with what support needs to work it: the provider, the patient, the clock. */
export const supportAccessRequestView = z.object({
  id: uuid,
  kind: z.enum(supportRequestKinds),
  status: z.enum(supportRequestStatuses),
  reason: z.string().nullable(),
  createdAt: isoDateTime,
  /** Created + 3 business days (weekends skipped in the organization's zone; holidays are not counted). */
  dueAt: isoDateTime,
  decidedAt: isoDateTime.nullable(),
  decisionNote: z.string().nullable(),
  provider: z.object({
    userId: uuid,
    name: z.string(),
    credentials: z.string().nullable(),
    npi: z.string().nullable(),
    email: z.string(),
    role: z.enum(['outside_provider', 'sponsored_staff']).nullable(),
    practiceId: uuid.nullable(),
    practiceName: z.string().nullable(),
  }),
  patient: z.object({ id: uuid, givenName: z.string(), familyName: z.string(), mrn: z.string(), birthDate: isoDate }),
  /** The practice's physicians: whom a PCP update may name (the requester themself when they hold an NPI). */
  physicians: z.array(physicianView),
});
/** A routed request as the console shows it. */
export type SupportAccessRequestView = z.infer<typeof supportAccessRequestView>;

/** The queue. */
export const supportAccessRequestListResponse = z.object({ requests: z.array(supportAccessRequestView) });

/** POST /api/support/access-requests/:id/approve-pcp: the family's verbal confirmation and the physician to record. */
export const approvePcpBody = z.object({
  confirmedBy: z.string().trim().min(1).max(supportLimits.confirmedByMaxLength),
  confirmedAt: inputDateTime,
  physicianUserId: uuid,
});
/** POST .../:id/deny and .../:id/approve (non-PCP): support's note. */
export const supportDecisionBody = z.object({ note });
/** POST .../:id/approve for a non-PCP request: the note is optional. */
export const supportApproveBody = z.object({ note: note.optional() });

/** The answer to a decision. */
export const supportAccessDecisionResponse = z.object({
  request: z.object({ id: uuid, status: z.enum(supportRequestStatuses), decidedAt: isoDateTime.nullable() }),
});

// ---------------------------------------------------------------------------------------------------------------------
// Practice changes (issue 12 §1: "If you have switched practices…")

const practiceLine = (max: number) => z.string().trim().min(1).max(max);

/** POST /api/mypatients/practice-change: the new practice (an existing one, or described), a new email, was a sponsor. */
export const practiceChangeBody = z
  .object({
    newPracticeId: uuid.optional(),
    newPractice: z
      .object({
        name: practiceLine(200),
        address: practiceLine(500),
        phone: phoneNumber("the practice's phone number"),
        fax: phoneNumber("the practice's fax number").optional(),
      })
      .optional(),
    newEmail: email.optional(),
    wasSponsor: z.boolean({ error: 'Answer true or false.' }),
  })
  .refine((b) => (b.newPracticeId === undefined) !== (b.newPractice === undefined), {
    error: 'Choose a practice from the list or describe the new one (one of the two).',
    path: ['newPractice'],
  });
/** A practice change as sent. */
export type PracticeChangeBody = z.infer<typeof practiceChangeBody>;

/** Where a practice change stands. */
export const practiceChangeStatuses = ['pending', 'applied', 'declined'] as const;

/** A practice change as its provider and the support team read it. */
export const practiceChangeView = z.object({
  id: uuid,
  status: z.enum(practiceChangeStatuses),
  oldPractice: z.object({ id: uuid, name: z.string() }).nullable(),
  newPractice: z.object({
    id: uuid.nullable(),
    name: z.string(),
    address: z.string().nullable(),
    phone: z.string().nullable(),
    fax: z.string().nullable(),
  }),
  newEmail: z.string().nullable(),
  wasSponsor: z.boolean(),
  createdAt: isoDateTime,
  decidedAt: isoDateTime.nullable(),
  decisionNote: z.string().nullable(),
});
/** A practice change as shown. */
export type PracticeChangeView = z.infer<typeof practiceChangeView>;

/** GET /api/mypatients/practice-change: the provider's latest, or null. */
export const myPracticeChangeResponse = z.object({ change: practiceChangeView.nullable() });

/** A practice change in the support queue: with who asks. */
export const supportPracticeChangeView = practiceChangeView.extend({
  requester: z.object({
    userId: uuid,
    name: z.string(),
    credentials: z.string().nullable(),
    npi: z.string().nullable(),
    email: z.string(),
    role: z.enum(['outside_provider', 'sponsored_staff']).nullable(),
  }),
});
/** A practice change as support reads it. */
export type SupportPracticeChangeView = z.infer<typeof supportPracticeChangeView>;

/** GET /api/support/practice-changes?status=. */
export const practiceChangeListQuery = z.object({ status: z.enum(practiceChangeStatuses).default('pending') });
/** The queue. */
export const practiceChangeListResponse = z.object({ changes: z.array(supportPracticeChangeView) });

/** A sponsored user who lost their sponsor when the sponsor moved: support tells the practice. */
const unsponsoredView = z.object({ userId: uuid, name: z.string(), email: z.string() });

/** POST /api/support/practice-changes/:id/apply answers the change and the sponsored users whose membership ended. */
export const applyPracticeChangeResponse = z.object({ change: supportPracticeChangeView, endedSponsoredUsers: z.array(unsponsoredView) });
/** POST /api/support/practice-changes/:id/decline. */
export const practiceChangeDecisionResponse = z.object({ change: supportPracticeChangeView });

/** GET /api/mypatients/practices?q=: practices a provider may name as their new one. */
export const practiceSearchQuery = z.object({ q: z.string().trim().max(200).default('') });
/** The practices found (at most 20). */
export const practiceSearchResponse = z.object({
  practices: z.array(z.object({ id: uuid, name: z.string(), address: z.string().nullable(), phone: z.string().nullable() })),
});

// ---------------------------------------------------------------------------------------------------------------------
// Error reports (issue 12 §3: "take a screen shot and send to the MyPatients team")

/** An app path without query or fragment: `/mypatients/patients/3f…` (opaque ids only). */
const appPath = z
  .string()
  .trim()
  .min(1)
  .max(supportLimits.pageMaxLength)
  .regex(/^\/[^?#\s]*$/, { error: 'Give the page’s path in the app, starting with /, without a query.' });

/** POST /api/support/error-reports: the page, what went wrong, and optionally a screenshot as base64 (PNG or JPEG, 2 MB). */
export const errorReportBody = z.object({
  page: appPath,
  description: z.string().trim().min(1).max(supportLimits.descriptionMaxLength),
  screenshot: z.base64({ error: 'The screenshot must be sent as base64.' }).min(1).optional(),
});
/** An error report as sent. */
export type ErrorReportBody = z.infer<typeof errorReportBody>;

/** An error report as its reporter reads it. */
export const errorReportView = z.object({
  id: uuid,
  page: z.string(),
  description: z.string(),
  screenshotType: z.enum(supportLimits.screenshotTypes).nullable(),
  status: z.enum(['open', 'answered']),
  answer: z.string().nullable(),
  answeredAt: isoDateTime.nullable(),
  /** Created + 2 business days. */
  dueAt: isoDateTime,
  createdAt: isoDateTime,
});
/** An error report as shown. */
export type ErrorReportView = z.infer<typeof errorReportView>;

/** The answer to a new report. */
export const errorReportCreatedResponse = z.object({ report: errorReportView });
/** GET /api/support/error-reports/mine. */
export const myErrorReportsResponse = z.object({ reports: z.array(errorReportView) });

/** A report in the support queue: with who sent it. */
export const supportErrorReportView = errorReportView.extend({
  reporter: z.object({ userId: uuid, name: z.string(), email: z.string(), practiceName: z.string().nullable() }),
});
/** A report as support reads it. */
export type SupportErrorReportView = z.infer<typeof supportErrorReportView>;

/** GET /api/support/error-reports?status=open. */
export const errorReportListQuery = z.object({ status: z.enum(['open', 'answered']).default('open') });
/** The queue. */
export const errorReportListResponse = z.object({ reports: z.array(supportErrorReportView) });
/** GET /api/support/error-reports/:id and the answer to .../answer. */
export const supportErrorReportResponse = z.object({ report: supportErrorReportView });
/** POST /api/support/error-reports/:id/answer. */
export const errorReportAnswerBody = z.object({ answer: z.string().trim().min(1).max(supportLimits.answerMaxLength) });

// ---------------------------------------------------------------------------------------------------------------------
// The audit report (issue 12 §3: "who opened which patient, when", per practice and per user)

/** The number of days from `from` to `to` inclusive, for YYYY-MM-DD dates. */
function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

const auditReportFields = z.object({
  practiceId: uuid.optional(),
  userId: uuid.optional(),
  from: inputDate,
  to: inputDate,
});

/** The period's rules: the end on or after the start, at most 366 days (both days included). */
function withPeriodRules<T extends typeof auditReportFields>(schema: T) {
  return schema
    .refine((q) => q.from <= q.to, { error: 'The end date must be on or after the start date.', path: ['to'] })
    .refine((q) => q.from > q.to || daysInclusive(q.from, q.to) <= supportLimits.auditReportMaxDays, {
      error: `The period can be at most ${supportLimits.auditReportMaxDays} days.`,
      path: ['to'],
    });
}

const auditReportFilter = withPeriodRules(auditReportFields);
/** GET /api/support/audit-report.csv?practiceId=&userId=&from=&to= (dates in the organization's zone). */
export const auditReportCsvQuery = auditReportFilter;
/** GET /api/support/audit-report: the same, paged. */
export const auditReportQuery = withPeriodRules(auditReportFields.extend({ cursor: z.string().max(500).optional() }));
/** The report's filter as sent. */
export type AuditReportFilter = z.infer<typeof auditReportFilter>;

/** GET /api/support/practices: the organization's practices and their members now, for the report's filters. */
export const supportPracticeListResponse = z.object({
  practices: z.array(
    z.object({
      id: uuid,
      name: z.string(),
      members: z.array(z.object({ userId: uuid, name: z.string(), role: z.enum(['outside_provider', 'sponsored_staff']) })),
    }),
  ),
});

/** One open of a patient's data by a practice member. */
export const auditReportEntry = z.object({
  id: z.string(),
  at: isoDateTime,
  action: z.string(),
  who: z.object({
    userId: uuid,
    name: z.string(),
    role: z.enum(['outside_provider', 'sponsored_staff']),
    practiceName: z.string().nullable(),
  }),
  patient: z.object({ id: uuid, name: z.string(), mrn: z.string() }),
});
/** An entry as shown. */
export type AuditReportEntry = z.infer<typeof auditReportEntry>;

/** A page of the report, newest first. */
export const auditReportResponse = z.object({ entries: z.array(auditReportEntry), nextCursor: z.string().nullable() });
