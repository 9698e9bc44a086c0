/**
 * Scheduling set-up (issue 5 §1): visit types, weekly templates and blocked time. Front desk and administrators of the
 * organization only (403 for other roles); objects of another organization answer 404. Every change is audited.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { scheduleBlockBody, scheduleTemplateBody, visitTypeBody } from '@portico/shared';
import { anyUuid, type Database, type Executor } from '../../db/client.ts';
import { departments, scheduleBlocks, scheduleTemplates, users, visitTypes } from '../../db/schema/index.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { organizationFor, type Actor } from '../access/access.policy.ts';
import { hasStaffRoleSql, qualifiedUserId } from '../access/access.repository.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';

type VisitTypeBody = z.infer<typeof visitTypeBody>;
type TemplateBody = z.infer<typeof scheduleTemplateBody>;
type BlockBody = z.output<typeof scheduleBlockBody>;

/** The organization whose scheduling set-up the actor keeps (front desk and administrators: `schedule.manage`), or 403. */
function organizationOf(actor: Actor): string {
  const organizationId = organizationFor(actor, 'schedule.manage');
  if (organizationId === null) throw forbidden('Only front desk staff and administrators keep the schedule set-up.');
  return organizationId;
}

const invalid = (field: string, message: string) => new AppError(400, 'validation_failed', `${field}: ${message}`, field);

function toVisitTypeView(row: typeof visitTypes.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    durationMinutes: row.durationMinutes,
    patientBookable: row.patientBookable,
    establishedOnly: row.establishedOnly,
    video: row.video,
    instructions: row.instructions,
    questionnaire: row.questionnaire as VisitTypeBody['questionnaire'],
    consentForms: row.consentForms as VisitTypeBody['consentForms'],
    active: row.active,
  };
}

function audited(db: Database, audit: AuditContext, action: string, objectType: string, work: (tx: Executor) => Promise<string>) {
  return db.transaction(async (tx) => {
    const objectId = await work(tx);
    await recordAudit(tx, audit, { action, outcome: 'success', objectType, objectId });
    return objectId;
  });
}

/** GET /api/schedule/visit-types */
export async function listVisitTypes(db: Database, actor: Actor) {
  const organizationId = organizationOf(actor);
  const rows = await db.select().from(visitTypes).where(eq(visitTypes.organizationId, organizationId)).orderBy(asc(visitTypes.name));
  return { visitTypes: rows.map(toVisitTypeView) };
}

/** POST (id null) or PUT a visit type; a duplicate name answers 409 from the unique index. */
export async function saveVisitType(db: Database, actor: Actor, audit: AuditContext, id: string | null, body: VisitTypeBody) {
  const organizationId = organizationOf(actor);
  const values = { ...body, organizationId };
  const savedId = await audited(db, audit, id ? 'visit_type.update' : 'visit_type.create', 'VisitType', async (tx) => {
    if (id === null) {
      const [row] = await tx.insert(visitTypes).values(values).returning({ id: visitTypes.id });
      return row!.id;
    }
    const [row] = await tx
      .update(visitTypes)
      .set(values)
      .where(and(eq(visitTypes.id, id), eq(visitTypes.organizationId, organizationId)))
      .returning({ id: visitTypes.id });
    if (!row) throw notFound('The visit type');
    return row.id;
  });
  const [row] = await db.select().from(visitTypes).where(eq(visitTypes.id, savedId));
  return toVisitTypeView(row!);
}

/** GET /api/schedule/templates?departmentId=|clinicianId= : the organization's weekly hours. */
export async function listTemplates(db: Database, actor: Actor, query: { departmentId?: string; clinicianId?: string }) {
  const organizationId = organizationOf(actor);
  const rows = await db
    .select({ template: scheduleTemplates })
    .from(scheduleTemplates)
    .innerJoin(departments, eq(departments.id, scheduleTemplates.departmentId))
    .where(
      and(
        eq(departments.organizationId, organizationId),
        query.departmentId ? eq(scheduleTemplates.departmentId, query.departmentId) : undefined,
        query.clinicianId ? eq(scheduleTemplates.clinicianId, query.clinicianId) : undefined,
      ),
    )
    .orderBy(asc(scheduleTemplates.weekday), asc(scheduleTemplates.startMinute));
  return { templates: rows.map(({ template }) => ({ ...template })) };
}

async function checkClinician(tx: Executor, organizationId: string, clinicianId: string) {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, clinicianId), hasStaffRoleSql(qualifiedUserId, organizationId, ['clinician'])));
  if (!row) throw invalid('clinicianId', 'Choose a clinician of your organization.');
}

/** POST /api/schedule/templates: the department, clinician and visit types must be the organization's. */
export async function createTemplate(db: Database, actor: Actor, audit: AuditContext, body: TemplateBody) {
  const organizationId = organizationOf(actor);
  const id = await audited(db, audit, 'schedule_template.create', 'ScheduleTemplate', async (tx) => {
    const [department] = await tx
      .select({ id: departments.id })
      .from(departments)
      .where(and(eq(departments.id, body.departmentId), eq(departments.organizationId, organizationId)));
    if (!department) throw invalid('departmentId', 'Choose a department of your organization.');
    await checkClinician(tx, organizationId, body.clinicianId);
    const types = [...new Set(body.visitTypeIds)];
    if (types.length > 0) {
      const found = await tx
        .select({ id: visitTypes.id })
        .from(visitTypes)
        .where(and(anyUuid(visitTypes.id, types), eq(visitTypes.organizationId, organizationId)));
      if (found.length !== types.length) throw invalid('visitTypeIds', 'Choose visit types of your organization.');
    }
    if (body.validTo !== null && body.validTo < body.validFrom) throw invalid('validTo', 'The end must not be before the start.');
    const [row] = await tx
      .insert(scheduleTemplates)
      .values({ ...body, visitTypeIds: types })
      .returning({ id: scheduleTemplates.id });
    return row!.id;
  });
  const [row] = await db.select().from(scheduleTemplates).where(eq(scheduleTemplates.id, id));
  return { ...row! };
}

/** DELETE /api/schedule/templates/:templateId */
export async function deleteTemplate(db: Database, actor: Actor, audit: AuditContext, templateId: string) {
  const organizationId = organizationOf(actor);
  await audited(db, audit, 'schedule_template.delete', 'ScheduleTemplate', async (tx) => {
    const [row] = await tx
      .select({ id: scheduleTemplates.id })
      .from(scheduleTemplates)
      .innerJoin(departments, eq(departments.id, scheduleTemplates.departmentId))
      .where(and(eq(scheduleTemplates.id, templateId), eq(departments.organizationId, organizationId)));
    if (!row) throw notFound('The template');
    await tx.delete(scheduleTemplates).where(eq(scheduleTemplates.id, templateId));
    return templateId;
  });
}

/** POST /api/schedule/blocks: time a clinician of the organization is not bookable. */
export async function createBlock(db: Database, actor: Actor, audit: AuditContext, body: BlockBody) {
  const organizationId = organizationOf(actor);
  const values = { clinicianId: body.clinicianId, startAt: new Date(body.startAt), endAt: new Date(body.endAt), reason: body.reason };
  const id = await audited(db, audit, 'schedule_block.create', 'ScheduleBlock', async (tx) => {
    await checkClinician(tx, organizationId, body.clinicianId);
    const [row] = await tx
      .insert(scheduleBlocks)
      .values({ ...values, createdBy: actor.userId })
      .returning({ id: scheduleBlocks.id });
    return row!.id;
  });
  return {
    id,
    clinicianId: values.clinicianId,
    startAt: values.startAt.toISOString(),
    endAt: values.endAt.toISOString(),
    reason: values.reason,
  };
}

/** DELETE /api/schedule/blocks/:blockId */
export async function deleteBlock(db: Database, actor: Actor, audit: AuditContext, blockId: string) {
  const organizationId = organizationOf(actor);
  await audited(db, audit, 'schedule_block.delete', 'ScheduleBlock', async (tx) => {
    const [row] = await tx
      .select({ id: scheduleBlocks.id })
      .from(scheduleBlocks)
      .innerJoin(users, eq(users.id, scheduleBlocks.clinicianId))
      .where(and(eq(scheduleBlocks.id, blockId), eq(users.organizationId, organizationId)));
    if (!row) throw notFound('The block');
    await tx.delete(scheduleBlocks).where(eq(scheduleBlocks.id, blockId));
    return blockId;
  });
}
