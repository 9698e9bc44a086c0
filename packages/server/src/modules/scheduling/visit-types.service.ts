/**
 * Scheduling set-up (issue 5 §1): visit types, weekly templates and blocked time. Front desk and administrators of the
 * organization only (403 for other roles); objects of another organization answer 404. Every change is audited.
 */
import type { z } from 'zod';
import type { scheduleBlockBody, scheduleTemplateBody, visitTypeBody } from '@portico/shared';
import type { Database, Executor } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { organizationFor, type Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { isClinicianOf } from './schedule.repository.ts';
import {
  countVisitTypesOf,
  deleteBlockOf,
  deleteTemplateOf,
  findTemplateRow,
  findVisitTypeRow,
  insertBlock,
  insertTemplate,
  insertVisitType,
  isDepartmentOf,
  listTemplateRows,
  listVisitTypeRows,
  updateVisitType,
  type VisitTypeRow,
} from './visit-types.repository.ts';

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

function toVisitTypeView(row: VisitTypeRow) {
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
  return { visitTypes: (await listVisitTypeRows(db, organizationId)).map(toVisitTypeView) };
}

/** POST (id null) or PUT a visit type; a duplicate name answers 409 from the unique index. */
export async function saveVisitType(db: Database, actor: Actor, audit: AuditContext, id: string | null, body: VisitTypeBody) {
  const organizationId = organizationOf(actor);
  const values = { ...body, organizationId };
  const savedId = await audited(db, audit, id ? 'visit_type.update' : 'visit_type.create', 'VisitType', async (tx) => {
    if (id === null) return insertVisitType(tx, values);
    if (!(await updateVisitType(tx, id, values))) throw notFound('The visit type');
    return id;
  });
  return toVisitTypeView((await findVisitTypeRow(db, savedId))!);
}

/** GET /api/schedule/templates?departmentId=|clinicianId= : the organization's weekly hours. */
export async function listTemplates(db: Database, actor: Actor, query: { departmentId?: string; clinicianId?: string }) {
  const organizationId = organizationOf(actor);
  const rows = await listTemplateRows(db, organizationId, query);
  return { templates: rows.map((template) => ({ ...template })) };
}

async function checkClinician(tx: Executor, organizationId: string, clinicianId: string) {
  if (!(await isClinicianOf(tx, organizationId, clinicianId))) throw invalid('clinicianId', 'Choose a clinician of your organization.');
}

/** POST /api/schedule/templates: the department, clinician and visit types must be the organization's. */
export async function createTemplate(db: Database, actor: Actor, audit: AuditContext, body: TemplateBody) {
  const organizationId = organizationOf(actor);
  const id = await audited(db, audit, 'schedule_template.create', 'ScheduleTemplate', async (tx) => {
    if (!(await isDepartmentOf(tx, organizationId, body.departmentId)))
      throw invalid('departmentId', 'Choose a department of your organization.');
    await checkClinician(tx, organizationId, body.clinicianId);
    const types = [...new Set(body.visitTypeIds)];
    if (types.length > 0 && (await countVisitTypesOf(tx, organizationId, types)) !== types.length) {
      throw invalid('visitTypeIds', 'Choose visit types of your organization.');
    }
    if (body.validTo !== null && body.validTo < body.validFrom) throw invalid('validTo', 'The end must not be before the start.');
    return insertTemplate(tx, { ...body, visitTypeIds: types });
  });
  return { ...(await findTemplateRow(db, id))! };
}

/** DELETE /api/schedule/templates/:templateId */
export async function deleteTemplate(db: Database, actor: Actor, audit: AuditContext, templateId: string) {
  const organizationId = organizationOf(actor);
  await audited(db, audit, 'schedule_template.delete', 'ScheduleTemplate', async (tx) => {
    if (!(await deleteTemplateOf(tx, organizationId, templateId))) throw notFound('The template');
    return templateId;
  });
}

/** POST /api/schedule/blocks: time a clinician of the organization is not bookable. */
export async function createBlock(db: Database, actor: Actor, audit: AuditContext, body: BlockBody) {
  const organizationId = organizationOf(actor);
  const values = { clinicianId: body.clinicianId, startAt: new Date(body.startAt), endAt: new Date(body.endAt), reason: body.reason };
  const id = await audited(db, audit, 'schedule_block.create', 'ScheduleBlock', async (tx) => {
    await checkClinician(tx, organizationId, body.clinicianId);
    return insertBlock(tx, { ...values, createdBy: actor.userId });
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
    if (!(await deleteBlockOf(tx, organizationId, blockId))) throw notFound('The block');
    return blockId;
  });
}
