import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { openThreadStatuses } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { departments, messageThreads } from '../../db/schema/index.ts';

/** The specialty that marks a department as the organization's privacy office: its pool takes "why did this person look?". */
export const privacyOfficeSpecialty = 'privacy';

/** The organization's privacy office (the first by name, should there be several), or undefined when it has none. */
export async function findPrivacyOffice(db: Executor, organizationId: string): Promise<{ id: string } | undefined> {
  const [row] = await db
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.organizationId, organizationId), eq(departments.specialty, privacyOfficeSpecialty)))
    .orderBy(asc(departments.name), asc(departments.id))
    .limit(1);
  return row;
}

/** The open question one person asked about one audit event of the patient's, if there is one (the newest). */
export async function findOpenQuestion(
  db: Executor,
  patientId: string,
  eventId: number,
  askerUserId: string,
): Promise<{ id: string } | undefined> {
  const [row] = await db
    .select({ id: messageThreads.id })
    .from(messageThreads)
    .where(
      and(
        eq(messageThreads.patientId, patientId),
        eq(messageThreads.topic, 'privacy'),
        eq(messageThreads.accessEventId, eventId),
        eq(messageThreads.createdBy, askerUserId),
        inArray(messageThreads.status, [...openThreadStatuses]),
      ),
    )
    .orderBy(desc(messageThreads.createdAt))
    .limit(1);
  return row;
}
