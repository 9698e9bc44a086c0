import { z } from 'zod';
import { inputDate, isoDateTime, uuid } from './common.ts';

export * from './record-time.ts';

/**
 * The health record as the patient and the care team read it (issue 3). Every value is display-ready text taken from the
 * FHIR R4 resources; dates that FHIR allows to be partial (`2019`, `2019-04`) stay as FHIR wrote them (`fhirDate`).
 */

/** A FHIR date or dateTime as recorded: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or a full instant. */
export const fhirDate = z.string().max(40);

/** One page of a list, newest first; pass `nextCursor` back as `cursor` for the next page (null at the end). */
export const pageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/** A problem on the problem list. */
export const problemItem = z.object({
  id: uuid,
  name: z.string(),
  /** active, recurrence, relapse, inactive, remission or resolved. */
  clinicalStatus: z.string(),
  onset: fhirDate.nullable(),
  resolved: fhirDate.nullable(),
  /** Recorded in an encounter the patient can open. */
  visitId: uuid.nullable(),
});

/** An allergy or intolerance with its reactions. */
export const allergyItem = z.object({
  id: uuid,
  substance: z.string(),
  clinicalStatus: z.string(),
  criticality: z.string().nullable(),
  category: z.string().nullable(),
  reactions: z.array(z.object({ manifestation: z.string(), severity: z.string().nullable() })),
  recorded: fhirDate.nullable(),
});

/** A medication order with its directions. */
export const medicationItem = z.object({
  id: uuid,
  /** Ingredient, strength and form as a patient says them (`Metformin 500 mg oral tablet`; @portico/fhir medicationName). */
  name: z.string(),
  /** The full coded name (`24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet`) when it differs; null otherwise. */
  codedName: z.string().nullable(),
  status: z.string(),
  /** active or on-hold: the patient takes it now. */
  current: z.boolean(),
  directions: z.string().nullable(),
  prescriber: z.string().nullable(),
  authoredOn: fhirDate.nullable(),
  reason: z.string().nullable(),
});

/** An immunization given (or recorded as not given). */
export const immunizationItem = z.object({
  id: uuid,
  vaccine: z.string(),
  date: fhirDate.nullable(),
  status: z.string(),
});

/** A care plan and what it asks for. */
export const carePlanItem = z.object({
  id: uuid,
  title: z.string(),
  status: z.string(),
  start: fhirDate.nullable(),
  end: fhirDate.nullable(),
  activities: z.array(z.string()),
  addresses: z.array(z.string()),
});

/** A goal the patient and care team agreed. */
export const goalItem = z.object({
  id: uuid,
  description: z.string(),
  lifecycleStatus: z.string(),
  target: z.string().nullable(),
});

/** GET /api/patients/:id/record/summary: the health summary; each list is empty when nothing is recorded. */
export const healthSummaryResponse = z.object({
  problems: z.array(problemItem),
  allergies: z.array(allergyItem),
  medications: z.array(medicationItem),
  immunizations: z.array(immunizationItem),
  carePlans: z.array(carePlanItem),
  goals: z.array(goalItem),
});

/** A past visit as the list shows it. */
export const visitItem = z.object({
  id: uuid,
  start: fhirDate.nullable(),
  end: fhirDate.nullable(),
  type: z.string(),
  /** ambulatory, emergency, inpatient, virtual... as text. */
  setting: z.string().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  clinician: z.string().nullable(),
  location: z.string().nullable(),
  /**
   * The booked appointment this visit was (same patient, started within an hour of the booked start, not cancelled or
   * missed), so the patient's "past appointments" and "visits" name one encounter once; null for visits never booked here.
   */
  appointmentId: uuid.nullable(),
});

/** GET /api/patients/:id/record/visits: past encounters (visits with their notes and results), newest first. */
export const visitListResponse = z.object({ visits: z.array(visitItem), nextCursor: z.string().nullable() });

/** A vital sign or measurement taken at a visit. */
export const measurementItem = z.object({ id: uuid, name: z.string(), value: z.string(), unit: z.string().nullable() });

/** GET /api/patients/:id/record/visits/:visitId: one visit and what came of it. */
export const visitDetailResponse = z.object({
  visit: visitItem,
  diagnoses: z.array(z.object({ id: uuid, name: z.string() })),
  procedures: z.array(z.object({ id: uuid, name: z.string(), date: fhirDate.nullable() })),
  vitals: z.array(measurementItem),
  medicationsStarted: z.array(
    z.object({ id: uuid, name: z.string(), codedName: z.string().nullable(), directions: z.string().nullable() }),
  ),
  results: z.array(z.object({ id: uuid, name: z.string() })),
  /** After-visit information: care plans begun at the visit and the notes written for the patient. */
  afterVisit: z.object({ carePlans: z.array(carePlanItem), notes: z.array(z.string()) }),
});

/** H high, L low, A abnormal (coded or text), null in range or unknown. */
export const resultFlag = z.enum(['H', 'L', 'A']).nullable();

/** A result as the list shows it: a lab or other Observation, or a report (imaging, pathology, panels). */
export const resultItem = z.object({
  id: uuid,
  kind: z.enum(['observation', 'report']),
  name: z.string(),
  /** The value as text (`7.2`, `Positive`); null for reports and results not yet valued. */
  value: z.string().nullable(),
  unit: z.string().nullable(),
  referenceRange: z.string().nullable(),
  flag: resultFlag,
  /** registered, preliminary, final, amended, corrected, cancelled... */
  status: z.string(),
  effectiveAt: isoDateTime.nullable(),
  /** Staff see held results with their hold; patients never receive held results. */
  held: z.boolean(),
});

/** One test of a panel as the results list shows it inside its report: name, value, unit, range and flag. */
export const resultComponent = z.object({
  id: uuid,
  name: z.string(),
  value: z.string().nullable(),
  unit: z.string().nullable(),
  referenceRange: z.string().nullable(),
  flag: resultFlag,
  /** Staff only: this member is held from the patient (a patient never receives a held member). */
  held: z.boolean(),
});

/**
 * A line of the results list: a stand-alone result, or a report (a panel such as a CBC) with the member results the
 * reader may see as its components, in report order (empty for text reports and observations). `isNew`: the result
 * reached the record (or, for a patient, was released) after the reader's previous visit to the results list.
 */
export const resultListItem = resultItem.extend({
  components: z.array(resultComponent),
  isNew: z.boolean(),
});

/**
 * GET /api/patients/:id/record/results: results, newest first. Reading the first page (no cursor) is a visit to the
 * list: `isNew` compares with the reader's previous visit, and this visit becomes the next one's mark. Visits are
 * reads less than 30 minutes apart, so opening a result and coming back keeps the marks; a reader's first visit ever
 * marks what reached the record in the last 30 days. Each reader (patient, proxy, staff) has their own marks.
 */
export const resultListQuery = pageQuery;
/** The answer to a results list request. */
export const resultListResponse = z.object({ results: z.array(resultListItem), nextCursor: z.string().nullable() });

/** Longest test-name filter: longer than any test name, short enough to bound the work. */
export const resultNameFilterMaxLength = 100;

/**
 * POST /api/patients/:id/record/results/search: the results list filtered by test name (case-insensitive, anywhere in
 * the name; a panel matches by its own name or a member the reader sees). A body, not a query string, so no test name
 * sits in a URL (test names are clinical data). Answers `resultListResponse`; it does not move the reader's "new" mark.
 */
export const resultSearchBody = z.object({
  name: z.string().trim().min(1, 'Type part of a test name.').max(resultNameFilterMaxLength),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

/** A note from the care team about a result. */
export const resultComment = z.object({
  id: uuid,
  authorName: z.string(),
  authorRole: z.string(),
  text: z.string(),
  createdAt: isoDateTime,
});

/** A hold on a result, as staff see it. */
export const resultHold = z.object({
  id: uuid,
  kind: z.enum(['patient_preference', 'clinician']),
  reason: z.string().nullable(),
  heldBy: z.string().nullable(),
  heldUntil: isoDateTime.nullable(),
  createdAt: isoDateTime,
});

/** One point of a numeric result's history. */
export const trendPoint = z.object({ id: uuid, effectiveAt: isoDateTime, value: z.number(), flag: resultFlag });

/** GET /api/patients/:id/record/results/:resultId: one result in full. */
export const resultDetailResponse = z.object({
  result: resultItem,
  low: z.number().nullable(),
  high: z.number().nullable(),
  interpretation: z.string().nullable(),
  orderedBy: z.string().nullable(),
  performer: z.string().nullable(),
  collectedAt: fhirDate.nullable(),
  resultedAt: fhirDate.nullable(),
  /** Notes recorded on the result in the source system. */
  notes: z.array(z.string()),
  comments: z.array(resultComment),
  /** Panels list their member results; imaging and other text reports carry their conclusion and text. */
  report: z
    .object({
      conclusion: z.string().nullable(),
      text: z.string().nullable(),
      members: z.array(resultItem),
    })
    .nullable(),
  /** Numeric results: every earlier and later value of the same test, oldest first. Null otherwise. */
  trend: z
    .object({ unit: z.string().nullable(), low: z.number().nullable(), high: z.number().nullable(), points: z.array(trendPoint) })
    .nullable(),
  /** Active holds; staff only (empty for patients). */
  holds: z.array(resultHold),
  /** The patient's IANA time zone (their primary care department's), in which a hold's end reads (formatZonedDateTime). */
  timeZone: z.string(),
});

/** How a patient's new results reach them. */
export const resultsReleaseMode = z.enum(['immediate', 'after_review']);
/** GET and PUT /api/patients/:id/record/results-release. */
export const resultsReleaseBody = z.object({ mode: resultsReleaseMode });

/**
 * POST /api/patients/:id/record/results/:resultId/holds: a clinician keeps one result back, with a reason, for a while.
 * `until` must be in the future and at most 30 days ahead (400 naming `until`); one active clinician hold per result
 * (409). Answers 201 with the `resultHold`.
 */
export const resultHoldBody = z.object({
  reason: z.string().trim().min(5, 'Give the reason in at least 5 characters.').max(500),
  until: isoDateTime,
});

/**
 * POST /api/patients/:id/record/results/:resultId/release (clinician, empty body `{}`): ends every active hold, the
 * patient's review hold included (a report's members with it). Answers `{ ok: true }`.
 */

/** POST /api/patients/:id/record/results/:resultId/comments (clinician or nurse): a note the patient will see; 201 with the `resultComment`. */
export const resultCommentBody = z.object({ text: z.string().trim().min(1).max(2000) });

/** Sections a download or print can hold. */
export const recordSection = z.enum(['problems', 'allergies', 'medications', 'immunizations', 'carePlans', 'visits', 'results']);

/** POST /api/patients/:id/record/export: the patient's chosen sections and dates as a PDF or a FHIR JSON Bundle. */
export const recordExportBody = z
  .object({
    format: z.enum(['pdf', 'fhir']),
    sections: z.array(recordSection).min(1, 'Pick at least one section.').max(7),
    from: inputDate.optional(),
    to: inputDate.optional(),
  })
  .refine((b) => !b.from || !b.to || b.from <= b.to, { message: 'The start date must be on or before the end date.', path: ['from'] });

export type HealthSummary = z.infer<typeof healthSummaryResponse>;
export type VisitItem = z.infer<typeof visitItem>;
export type VisitDetail = z.infer<typeof visitDetailResponse>;
export type ResultItem = z.infer<typeof resultItem>;
export type ResultListItem = z.infer<typeof resultListItem>;
export type ResultComponent = z.infer<typeof resultComponent>;
export type ResultSearchBody = z.infer<typeof resultSearchBody>;
export type ResultDetail = z.infer<typeof resultDetailResponse>;
export type RecordSection = z.infer<typeof recordSection>;
export type RecordExportBody = z.infer<typeof recordExportBody>;
