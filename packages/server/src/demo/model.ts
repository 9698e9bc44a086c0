/** Shapes shared by the demo generator's steps, once ids have been drawn. */
import type { appointments, fhirResources } from '../db/schema/index.ts';
import type { DepartmentKey, DepartmentSeed, StaffSeed } from './roster.ts';

/** A fhir_resources row ready to insert. */
export type FhirRow = Omit<typeof fhirResources.$inferInsert, 'organizationId'>;

/** An appointments row ready to insert. */
export type AppointmentRow = typeof appointments.$inferInsert;

/** A FHIR R4 resource as the demo writes it: always typed, always with an id. */
export interface FhirResource {
  resourceType: string;
  id: string;
  [element: string]: unknown;
}

/** A department with its id. */
export interface DepartmentRecord extends DepartmentSeed {
  id: string;
}

/** A staff member with its id and how FHIR names them ("Sarah Chen, MD"). */
export interface StaffRecord extends StaffSeed {
  id: string;
  signature: string;
}

/** A patient with everything the clinical history needs. */
export interface PatientRecord {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  sex: 'female' | 'male';
  birthDate: string;
  pcp: StaffRecord;
  /** The department of the PCP, where routine visits happen. */
  home: DepartmentRecord;
}

/** What every step of the generator shares. */
export interface SeedContext {
  now: Date;
  organizationName: string;
  departments: Record<DepartmentKey, DepartmentRecord>;
  /** Clinicians of each department, first one preferred. */
  clinicians: Record<DepartmentKey, StaffRecord[]>;
}

/** The clinician who sees patients in a department (the first one listed). */
export function departmentClinician(context: SeedContext, key: DepartmentKey): StaffRecord {
  const clinician = context.clinicians[key][0];
  if (!clinician) throw new Error(`The demo department ${key} has no clinician`);
  return clinician;
}
