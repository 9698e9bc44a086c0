import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addressedThreadsResponse,
  assigneeListResponse,
  departmentListResponse,
  assignBody,
  forwardBody,
  inboxThreadDetailResponse,
  inboxThreadListQuery,
  inboxThreadListResponse,
  messageView,
  okResponse,
  poolListResponse,
  staffReplyBody,
  templateListResponse,
  uuid,
} from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { idempotencyOf } from '../idempotency/idempotency.ts';
import { errorResponses } from '../route-helpers.ts';
import { listAddressedThreadsFor } from './inbox-mine.service.ts';
import {
  assignThreadFor,
  closeThreadFor,
  forwardThreadFor,
  getInboxThreadFor,
  listAssigneesFor,
  listDepartmentsFor,
  listPoolsFor,
  listPoolThreadsFor,
  listTemplatesFor,
  replyToThreadFor,
} from './inbox.service.ts';

const tags = ['inbox'];
const poolParams = z.object({ departmentId: uuid });
const threadParams = z.object({ threadId: uuid });
const templateQuery = z.object({ departmentId: uuid.optional() });
/** Closing takes no fields: who closes and what are in the session and the path. */
const emptyBody = z.object({}).strict();

/**
 * The care-team inbox (issue 4 §2, issue 10 §5): pools, their threads, what is addressed to the caller, replies (holding
 * ones too) and internal notes, assignment to a named member, forwarding, quick replies.
 */
export function registerInboxRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get('/api/inbox/pools', { schema: { tags, response: { 200: poolListResponse, ...errorResponses } } }, async (request) =>
    listPoolsFor(db, requireActor(request)),
  );

  r.get('/api/inbox/mine', { schema: { tags, response: { 200: addressedThreadsResponse, ...errorResponses } } }, async (request) =>
    listAddressedThreadsFor(db, requireActor(request), auditContextOf(request)),
  );

  r.get('/api/inbox/departments', { schema: { tags, response: { 200: departmentListResponse, ...errorResponses } } }, async (request) =>
    listDepartmentsFor(db, requireActor(request)),
  );

  r.get(
    '/api/inbox/pools/:departmentId/threads',
    {
      schema: {
        tags,
        params: poolParams,
        querystring: inboxThreadListQuery,
        response: { 200: inboxThreadListResponse, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return listPoolThreadsFor(db, actor, auditContextOf(request), request.params.departmentId, request.query);
    },
  );

  r.get(
    '/api/inbox/threads/:threadId',
    { schema: { tags, params: threadParams, response: { 200: inboxThreadDetailResponse, ...errorResponses } } },
    async (request) => getInboxThreadFor(db, requireActor(request), auditContextOf(request), request.params.threadId),
  );

  r.post(
    '/api/inbox/threads/:threadId/assign',
    { schema: { tags, params: threadParams, body: assignBody, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return assignThreadFor(deps, actor, auditContextOf(request), request.params.threadId, request.body.userId);
    },
  );

  r.get(
    '/api/inbox/threads/:threadId/assignees',
    { schema: { tags, params: threadParams, response: { 200: assigneeListResponse, ...errorResponses } } },
    async (request) => listAssigneesFor(db, requireActor(request), auditContextOf(request), request.params.threadId),
  );

  r.post(
    '/api/inbox/threads/:threadId/messages',
    { schema: { tags, params: threadParams, body: staffReplyBody, response: { 201: messageView, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const target = { threadId: request.params.threadId, idempotency: idempotencyOf(request) };
      const answer = await replyToThreadFor(deps, actor, auditContextOf(request), target, request.body);
      return reply.status(201).send(answer.body);
    },
  );

  r.post(
    '/api/inbox/threads/:threadId/close',
    { schema: { tags, params: threadParams, body: emptyBody, response: { 200: okResponse, ...errorResponses } } },
    async (request) => closeThreadFor(db, requireActor(request), auditContextOf(request), request.params.threadId),
  );

  r.post(
    '/api/inbox/threads/:threadId/forward',
    { schema: { tags, params: threadParams, body: forwardBody, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return forwardThreadFor(db, actor, auditContextOf(request), request.params.threadId, request.body);
    },
  );

  r.get(
    '/api/inbox/templates',
    { schema: { tags, querystring: templateQuery, response: { 200: templateListResponse, ...errorResponses } } },
    async (request) => listTemplatesFor(db, requireActor(request), request.query.departmentId),
  );
}
