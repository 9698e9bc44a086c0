/** SQL for the scheduling set-up: visit types, weekly templates and blocked time; every method takes its executor. */
import { and, asc, eq } from 'drizzle-orm';
import { anyUuid, type Executor } from '../../db/client.ts';
import { departments, scheduleBlocks, scheduleTemplates, users, visitTypes } from '../../db/schema/index.ts';

/** A stored visit type. */
export type VisitTypeRow = typeof visitTypes.$inferSelect;

/** The organization's visit types by name. */
export function listVisitTypeRows(db: Executor, organizationId: string): Promise<VisitTypeRow[]> {
  return db.select().from(visitTypes).where(eq(visitTypes.organizationId, organizationId)).orderBy(asc(visitTypes.name));
}

/** One visit type by id, or undefined. */
export async function findVisitTypeRow(db: Executor, visitTypeId: string): Promise<VisitTypeRow | undefined> {
  const [row] = await db.select().from(visitTypes).where(eq(visitTypes.id, visitTypeId));
  return row;
}

/** Inserts a visit type; a duplicate name raises 23505 from the unique index. */
export async function insertVisitType(db: Executor, values: typeof visitTypes.$inferInsert): Promise<string> {
  const [row] = await db.insert(visitTypes).values(values).returning({ id: visitTypes.id });
  return row!.id;
}

/** Updates a visit type of the organization; false when there is none with that id. */
export async function updateVisitType(db: Executor, visitTypeId: string, values: typeof visitTypes.$inferInsert): Promise<boolean> {
  const rows = await db
    .update(visitTypes)
    .set(values)
    .where(and(eq(visitTypes.id, visitTypeId), eq(visitTypes.organizationId, values.organizationId)))
    .returning({ id: visitTypes.id });
  return rows.length > 0;
}

/** How many of these visit types are the organization's. */
export async function countVisitTypesOf(db: Executor, organizationId: string, visitTypeIds: readonly string[]): Promise<number> {
  const rows = await db
    .select({ id: visitTypes.id })
    .from(visitTypes)
    .where(and(anyUuid(visitTypes.id, visitTypeIds), eq(visitTypes.organizationId, organizationId)));
  return rows.length;
}

/** True when the department is the organization's. */
export async function isDepartmentOf(db: Executor, organizationId: string, departmentId: string): Promise<boolean> {
  const rows = await db
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.id, departmentId), eq(departments.organizationId, organizationId)));
  return rows.length > 0;
}

/** The organization's weekly hours, optionally one department's or clinician's, by weekday and start. */
export async function listTemplateRows(db: Executor, organizationId: string, filter: { departmentId?: string; clinicianId?: string }) {
  const rows = await db
    .select({ template: scheduleTemplates })
    .from(scheduleTemplates)
    .innerJoin(departments, eq(departments.id, scheduleTemplates.departmentId))
    .where(
      and(
        eq(departments.organizationId, organizationId),
        filter.departmentId ? eq(scheduleTemplates.departmentId, filter.departmentId) : undefined,
        filter.clinicianId ? eq(scheduleTemplates.clinicianId, filter.clinicianId) : undefined,
      ),
    )
    .orderBy(asc(scheduleTemplates.weekday), asc(scheduleTemplates.startMinute));
  return rows.map((row) => row.template);
}

/** Inserts weekly hours and answers the id. */
export async function insertTemplate(db: Executor, values: typeof scheduleTemplates.$inferInsert): Promise<string> {
  const [row] = await db.insert(scheduleTemplates).values(values).returning({ id: scheduleTemplates.id });
  return row!.id;
}

/** One template by id, or undefined. */
export async function findTemplateRow(db: Executor, templateId: string) {
  const [row] = await db.select().from(scheduleTemplates).where(eq(scheduleTemplates.id, templateId));
  return row;
}

/** Deletes a template of the organization's departments; false when there is none with that id. */
export async function deleteTemplateOf(db: Executor, organizationId: string, templateId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: scheduleTemplates.id })
    .from(scheduleTemplates)
    .innerJoin(departments, eq(departments.id, scheduleTemplates.departmentId))
    .where(and(eq(scheduleTemplates.id, templateId), eq(departments.organizationId, organizationId)));
  if (!row) return false;
  await db.delete(scheduleTemplates).where(eq(scheduleTemplates.id, templateId));
  return true;
}

/** Inserts blocked time and answers the id. */
export async function insertBlock(db: Executor, values: typeof scheduleBlocks.$inferInsert): Promise<string> {
  const [row] = await db.insert(scheduleBlocks).values(values).returning({ id: scheduleBlocks.id });
  return row!.id;
}

/** Deletes blocked time of a clinician of the organization; false when there is none with that id. */
export async function deleteBlockOf(db: Executor, organizationId: string, blockId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: scheduleBlocks.id })
    .from(scheduleBlocks)
    .innerJoin(users, eq(users.id, scheduleBlocks.clinicianId))
    .where(and(eq(scheduleBlocks.id, blockId), eq(users.organizationId, organizationId)));
  if (!row) return false;
  await db.delete(scheduleBlocks).where(eq(scheduleBlocks.id, blockId));
  return true;
}
