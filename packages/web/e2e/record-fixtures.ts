import { eq } from 'drizzle-orm';
import type { Database } from '../../server/src/db/client.ts';
import { patients } from '../../server/src/db/schema/index.ts';
import { buildFhirResource } from '../../server/src/test/factories.ts';

/** The blood count that came back from the lab this morning (storeBloodCount): one report, three results. */
export const bloodCount = { name: 'Complete blood count', members: ['Hemoglobin', 'Leukocytes', 'Platelets'] };

/**
 * Stores, for the patient with this MRN, a blood count drawn two hours ago as the importer stores a lab feed: a DiagnosticReport naming its
 * three member Observations. It reached the record just now, so it is new to every reader.
 */
export async function storeBloodCount(db: Database, mrn: string): Promise<void> {
  const [patient] = await db
    .select({ id: patients.id, organizationId: patients.organizationId })
    .from(patients)
    .where(eq(patients.mrn, mrn));
  if (!patient) throw new Error(`no patient with MRN ${mrn} in the demo data`);
  const at = new Date(Date.now() - 2 * 3_600_000);
  const base = { organizationId: patient.organizationId, patientId: patient.id, effectiveAt: at, status: 'final' };
  const lab = async (loinc: string, name: string, value: number, unit: string, low: number, high: number) =>
    (
      await buildFhirResource(db, {
        ...base,
        category: 'laboratory',
        code: `http://loinc.org|${loinc}`,
        resource: {
          resourceType: 'Observation',
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: loinc, display: name }], text: name },
          subject: { reference: `Patient/${patient.id}` },
          effectiveDateTime: at.toISOString(),
          valueQuantity: { value, unit },
          referenceRange: [{ low: { value: low }, high: { value: high } }],
        },
      })
    ).id;
  const members = [
    await lab('718-7', 'Hemoglobin', 11.2, 'g/dL', 12, 15.5),
    await lab('6690-2', 'Leukocytes', 6.1, '10*3/uL', 4, 11),
    await lab('777-3', 'Platelets', 240, '10*3/uL', 150, 400),
  ];
  await buildFhirResource(db, {
    ...base,
    category: 'LAB',
    code: 'http://loinc.org|58410-2',
    resource: {
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '58410-2' }], text: bloodCount.name },
      subject: { reference: `Patient/${patient.id}` },
      effectiveDateTime: at.toISOString(),
      result: members.map((id) => ({ reference: `Observation/${id}` })),
    },
  });
}
