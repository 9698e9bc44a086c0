import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { patients } from '../../db/schema/index.ts';
import { listColumns, pcp } from './patients.repository.ts';

/** One patient's list fields (name, MRN, birth date, sex, PCP), as search results show them. */
export async function findPatientListItem(db: Executor, patientId: string) {
  const [row] = await db.select(listColumns).from(patients).leftJoin(pcp, eq(pcp.id, patients.pcpId)).where(eq(patients.id, patientId));
  return row;
}
