import { z } from 'zod';
import { inputDate, isoDateTime, uuid } from './common.ts';
import { proxyRelationships } from './proxies.ts';

/**
 * "Who has seen my record" (issue 11 §3, ONC 170.315(d)(2) and (e)(1)(ii), SECURITY.md "Patients can read who viewed,
 * downloaded or sent their record"): the patient's activity log, read from the audit trail. Only accesses that went
 * through (outcome `success`) are listed: a refused attempt disclosed nothing, and it is the privacy officer's to read.
 */

/** What part of the record an entry touched, in words a patient reads (the web and the CSV name each). */
export const activityKinds = [
  /** The home page overview (next visit, unread messages, new results). */
  'overview',
  /** The health summary: problems, allergies, medications, immunizations, care plans. */
  'summary',
  /** Name, birth date and contact details (the chart's header). */
  'details',
  /** The patient appeared in a staff member's patient search. */
  'search',
  /** The patient's visit appeared on a staff schedule. */
  'schedule',
  'visits',
  'visit',
  'results',
  'result',
  'result_hold',
  'result_release',
  'result_comment',
  /** The choice of how new results reach the patient. */
  'release_setting',
  /** The record downloaded as a file (`format`: PDF or FHIR). */
  'download',
  /** An appointment downloaded as a calendar (.ics) file. */
  'calendar',
  /** The record sent somewhere (`addressee` when the event names one). */
  'transmit',
  'messages',
  'message',
  'message_sent',
  /** A conversation assigned, closed or forwarded by the care team. */
  'message_handled',
  'attachment',
  'appointments',
  'appointment',
  'appointment_change',
  'refills',
  /** Notification and other settings of the patient. */
  'settings',
  /** Family access, consents, share links: who may see the record. */
  'sharing',
  /** This activity log itself (its page or its download). */
  'activity',
  /** Records added from another system. */
  'import',
  'other',
] as const;
/** One kind of activity. */
export type ActivityKind = (typeof activityKinds)[number];

/** Who the person was to the patient when they acted: the patient, a proxy, a staff role, an outside reader. */
export const activityRoles = [
  'patient',
  'proxy',
  'clinician',
  'nurse',
  'front_desk',
  'billing',
  'admin',
  'privacy_officer',
  'outside_provider',
  'sponsored_staff',
  'support',
  /** Portico itself, with no person signed in (an import from the command line). */
  'system',
  'unknown',
] as const;
/** One role. */
export type ActivityRole = (typeof activityRoles)[number];

/** The relationship the access policy allowed the access through (`via` in the audit event). */
export const activityVias = [
  'own_record',
  'organization_staff',
  /** An outside practice whose physician is the patient's PCP (issue 12). */
  'pcp_practice',
  'proxy',
  'care_team',
  'approved_request',
  'token',
  'break_glass',
  'app',
  'share_link',
] as const;
/** One relationship. */
export type ActivityVia = (typeof activityVias)[number];

/** The file formats an entry may name. */
export const activityFormats = ['pdf', 'fhir', 'ics', 'csv'] as const;

/** Rows of the CSV download at most (the newest ones); the CSV says when it was cut. */
export const activityCsvCap = 5000;

/** The filters of the log and of its download: calendar days in the record's time zone, and one person. */
const activityFilters = {
  /**
   * First day shown, `YYYY-MM-DD`, in the record's time zone (`timeZone` of the answer), within `inputYears`: a day
   * outside them (9999-12-31, whose next day PostgreSQL refuses) is a 400 naming the field, not a 500.
   */
  from: inputDate.optional(),
  /** Last day shown, included; within `inputYears` like `from`. */
  to: inputDate.optional(),
  /** Only what this person did: a `userId` from GET …/activity/people. */
  person: uuid.optional(),
};

/** `from` after `to` names no day: refused, naming `from`. */
function isOrderedRange(v: { from?: string | undefined; to?: string | undefined }): boolean {
  return v.from === undefined || v.to === undefined || v.from <= v.to;
}
const rangeOrder = { path: ['from'], error: 'The first day is after the last day.' };

/** GET /api/patients/:id/activity: a page, newest first; pass `nextCursor` back as `cursor` (with the same filters). */
export const activityQuery = z
  .object({
    ...activityFilters,
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .refine(isOrderedRange, rangeOrder);
/** The log's query as the server reads it. */
export type ActivityQuery = z.infer<typeof activityQuery>;

/** GET /api/patients/:id/activity.csv: the same filters, every row up to activityCsvCap. */
export const activityExportQuery = z.object(activityFilters).refine(isOrderedRange, rangeOrder);
/** The download's query. */
export type ActivityExportQuery = z.infer<typeof activityExportQuery>;

/** Who acted: a person's name as the portal knows it (never another patient's record), their role and organization. */
export const activityActor = z.object({
  /** The person's user id, for the person filter; null for Portico itself. */
  userId: uuid.nullable(),
  name: z.string().nullable(),
  role: z.enum(activityRoles),
  /** The health system or practice they act for; null for the patient and proxies. */
  organization: z.string().nullable(),
  /** The reader themself ("you"). */
  isYou: z.boolean(),
});
/** One actor. */
export type ActivityActor = z.infer<typeof activityActor>;

/** One access to the record. */
export const activityEntry = z.object({
  /** The audit event's id. */
  id: z.string(),
  at: isoDateTime,
  who: activityActor,
  what: z.enum(activityKinds),
  /** The file's format, for downloads. */
  format: z.enum(activityFormats).nullable(),
  /** Where the record was sent, for transmits that name it (ONC (e)(1)(ii)). */
  addressee: z.string().nullable(),
  /** Whose behalf the person acted on (a proxy acts for the patient); null when they acted for themself or their work. */
  onBehalfOf: z.object({ name: z.string(), isYou: z.boolean() }).nullable(),
  via: z.enum(activityVias).nullable(),
  /** For a proxy: guardian, an invited adult or a legal representative. */
  relationship: z.enum(proxyRelationships).nullable(),
});
/** One entry of the log. */
export type ActivityEntry = z.infer<typeof activityEntry>;

/** A page of the log. */
export const activityResponse = z.object({
  entries: z.array(activityEntry),
  nextCursor: z.string().nullable(),
  /** The record's IANA time zone: the days of `from` and `to` are its days, and the page shows times in it. */
  timeZone: z.string(),
});
/** A page of the log. */
export type ActivityPage = z.infer<typeof activityResponse>;

/** GET /api/patients/:id/activity/people: everyone who appears in the log, most recent first, for the person filter. */
export const activityPeopleResponse = z.object({
  people: z.array(
    activityActor.extend({
      userId: uuid,
      name: z.string(),
      /** Their latest access. */
      lastAt: isoDateTime,
      /** How many accesses the log lists for them. */
      count: z.number().int().nonnegative(),
    }),
  ),
});
/** The people of the log. */
export type ActivityPeople = z.infer<typeof activityPeopleResponse>;

/** Limits of a question about an access (issue 11 §3). */
export const activityQuestionLimits = { questionMaxLength: 2000 } as const;

/** POST /api/patients/:id/activity/:eventId/question: the patient and the entry (an `id` of the log) asked about. */
export const activityQuestionParams = z.object({
  id: uuid,
  /** An entry's `id`: the audit event's number. */
  eventId: z.string().regex(/^[1-9][0-9]{0,14}$/, 'An entry of the activity log is named by its number.'),
});

/**
 * "Why did this person look?": the question goes to the organization's privacy office as a conversation in the
 * patient's messages, with the entry attached. Plain text, trimmed, 1-2000 characters. Takes an `Idempotency-Key`.
 */
export const activityQuestionBody = z.object({
  question: z
    .string()
    .trim()
    .min(1, 'Write your question.')
    .max(activityQuestionLimits.questionMaxLength, `Write at most ${activityQuestionLimits.questionMaxLength} characters.`),
});
/** The question as the server reads it. */
export type ActivityQuestionBody = z.infer<typeof activityQuestionBody>;

/**
 * The answer: 201 with the new conversation; 200 with `existing: true` when a question about the same entry is still
 * open (the new question is added to that conversation, so nothing written is lost and one entry has one thread).
 */
export const activityQuestionResponse = z.object({ threadId: uuid, existing: z.boolean() });
/** Where the question went. */
export type ActivityQuestionAnswer = z.infer<typeof activityQuestionResponse>;
