/** Scheduling set-up for front desk and administrators: /api/schedule/visit-types, /templates, /blocks (issue 5 §1). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  okResponse,
  scheduleBlockBody,
  scheduleBlockView,
  scheduleTemplateBody,
  scheduleTemplateListResponse,
  scheduleTemplateView,
  uuid,
  visitTypeBody,
  visitTypeListResponse,
  visitTypeView,
} from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { errorResponses } from '../route-helpers.ts';
import {
  createBlock,
  createTemplate,
  deleteBlock,
  deleteTemplate,
  listTemplates,
  listVisitTypes,
  saveVisitType,
} from './visit-types.service.ts';

const tags = ['schedule'];
const templateQuery = z.object({ departmentId: uuid.optional(), clinicianId: uuid.optional() });

/** Registers the visit type, template and block routes. */
export function registerVisitTypeRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get('/api/schedule/visit-types', { schema: { tags, response: { 200: visitTypeListResponse, ...errorResponses } } }, async (request) =>
    listVisitTypes(db, requireActor(request)),
  );

  r.post(
    '/api/schedule/visit-types',
    { schema: { tags, body: visitTypeBody, response: { 201: visitTypeView, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await saveVisitType(db, requireActor(request), auditContextOf(request), null, request.body)),
  );

  r.put(
    '/api/schedule/visit-types/:visitTypeId',
    { schema: { tags, params: z.object({ visitTypeId: uuid }), body: visitTypeBody, response: { 200: visitTypeView, ...errorResponses } } },
    async (request) => saveVisitType(db, requireActor(request), auditContextOf(request), request.params.visitTypeId, request.body),
  );

  r.get(
    '/api/schedule/templates',
    { schema: { tags, querystring: templateQuery, response: { 200: scheduleTemplateListResponse, ...errorResponses } } },
    async (request) => listTemplates(db, requireActor(request), request.query),
  );

  r.post(
    '/api/schedule/templates',
    { schema: { tags, body: scheduleTemplateBody, response: { 201: scheduleTemplateView, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await createTemplate(db, requireActor(request), auditContextOf(request), request.body)),
  );

  r.delete(
    '/api/schedule/templates/:templateId',
    { schema: { tags, params: z.object({ templateId: uuid }), response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      await deleteTemplate(db, requireActor(request), auditContextOf(request), request.params.templateId);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/schedule/blocks',
    { schema: { tags, body: scheduleBlockBody, response: { 201: scheduleBlockView, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await createBlock(db, requireActor(request), auditContextOf(request), request.body)),
  );

  r.delete(
    '/api/schedule/blocks/:blockId',
    { schema: { tags, params: z.object({ blockId: uuid }), response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      await deleteBlock(db, requireActor(request), auditContextOf(request), request.params.blockId);
      return { ok: true as const };
    },
  );
}
