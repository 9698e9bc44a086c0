import { z } from 'zod';
import { isoDate, isoDateTime, uuid } from './common.ts';

/** What a search result shows of a patient. */
export const patientListItem = z.object({
  id: uuid,
  mrn: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  birthDate: isoDate,
  sex: z.string().nullable(),
  pcpName: z.string().nullable(),
});

/** POST /api/patients/search: name, MRN or birth date (YYYY-MM-DD); a body, so no patient data sits in a URL. */
export const patientSearchBody = z.object({
  q: z.string().trim().min(2, 'Type at least 2 characters.').max(100),
});

/** The answer to a patient search. */
export const patientSearchResponse = z.object({ patients: z.array(patientListItem) });

/** An appointment as the home page shows it. */
export const appointmentSummary = z.object({
  id: uuid,
  startAt: isoDateTime,
  endAt: isoDateTime,
  timeZone: z.string(),
  visitType: z.string(),
  status: z.string(),
  clinicianName: z.string().nullable(),
  departmentName: z.string(),
  locationAddress: z.string().nullable(),
});

/** A lab result line as the home page shows it. */
export const resultSummary = z.object({
  id: uuid,
  name: z.string(),
  value: z.string(),
  unit: z.string().nullable(),
  referenceRange: z.string().nullable(),
  /** H, L or null when in range or unknown. */
  flag: z.enum(['H', 'L']).nullable(),
  effectiveAt: isoDateTime,
});

/** GET /api/patients/:id/summary: the home page's view of one patient. */
export const patientSummaryResponse = z.object({
  patient: patientListItem,
  nextAppointment: appointmentSummary.nullable(),
  /** Null when the caller's role does not see clinical data (front desk, billing). */
  recentResults: z.array(resultSummary).nullable(),
});
/** Patient summary. */
export type PatientSummary = z.infer<typeof patientSummaryResponse>;
