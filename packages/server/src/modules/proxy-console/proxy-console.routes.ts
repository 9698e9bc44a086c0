import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  approveRequestBody,
  consoleRequestResponse,
  consoleRequestsQuery,
  consoleRequestsResponse,
  denyRequestBody,
  endProxyBody,
  idParams,
  okResponse,
  proxyConsoleLimits,
  proxyRequestBody,
  proxyRequestResponse,
  proxyRequestsResponse,
  staffProxiesResponse,
  staffProxyBody,
  staffProxyResponse,
  uuid,
} from '@portico/shared';
import { AppError } from '../../errors.ts';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { contentDispositionFor } from '../messaging/attachments.service.ts';
import { errorResponses } from '../route-helpers.ts';
import { endProxy, listStaffProxies, readProxyDocument, setUpProxy, uploadProxyDocument } from './patient-proxies.service.ts';
import {
  approveRequest,
  cancelOwnRequest,
  createProxyRequest,
  denyRequest,
  listConsoleRequests,
  listOwnRequests,
} from './proxy-requests.service.ts';

const tags = ['proxy-console'];
const requestParams = z.object({ requestId: uuid });
const grantParams = z.object({ id: uuid, grantId: uuid });
const fileResponse = z.instanceof(Buffer).describe('The document as an attachment: application/pdf, image/jpeg or image/png.');

function declaredTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Before reading up to 5 MB: a signed-in user (401) and a type a document may have (415). The bytes are checked after. */
function documentGuard(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  try {
    requireActor(request);
    if (!(proxyConsoleLimits.documentTypes as readonly string[]).includes(declaredTypeOf(request)))
      throw new AppError(
        415,
        'unsupported_media_type',
        'Send the document itself as application/pdf, image/jpeg or image/png.',
        'document',
      );
  } catch (error) {
    done(error as Error);
    return;
  }
  done();
}

/** Staff proxy console and parents' access requests (issue 11 §1). */
export function registerProxyConsoleRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/proxy-requests',
    {
      schema: {
        tags,
        summary: 'Ask for access to a child’s record',
        body: proxyRequestBody,
        response: { 201: proxyRequestResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await createProxyRequest(deps, requireActor(request), auditContextOf(request), request.body);
      return reply.code(201).send({ request: created });
    },
  );

  r.get(
    '/api/proxy-requests',
    { schema: { tags, summary: 'Your requests for access', response: { 200: proxyRequestsResponse, ...errorResponses } } },
    async (request) => ({ requests: await listOwnRequests(deps, requireActor(request)) }),
  );

  r.delete(
    '/api/proxy-requests/:id',
    { schema: { tags, summary: 'Cancel a request still waiting', params: idParams, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      await cancelOwnRequest(deps, requireActor(request), auditContextOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/proxy-console/requests',
    {
      schema: {
        tags,
        summary: 'The organization’s access requests (staff)',
        querystring: consoleRequestsQuery,
        response: { 200: consoleRequestsResponse, ...errorResponses },
      },
    },
    async (request) => listConsoleRequests(deps, requireActor(request), auditContextOf(request), request.query.status),
  );

  r.post(
    '/api/proxy-console/requests/:requestId/approve',
    {
      schema: {
        tags,
        summary: 'Approve a request (staff)',
        params: requestParams,
        body: approveRequestBody,
        response: { 200: consoleRequestResponse, ...errorResponses },
      },
    },
    async (request) => ({
      request: await approveRequest(deps, requireActor(request), auditContextOf(request), request.params.requestId, request.body),
    }),
  );

  r.post(
    '/api/proxy-console/requests/:requestId/deny',
    {
      schema: {
        tags,
        summary: 'Deny a request with a reason (staff)',
        params: requestParams,
        body: denyRequestBody,
        response: { 200: consoleRequestResponse, ...errorResponses },
      },
    },
    async (request) => ({
      request: await denyRequest(deps, requireActor(request), auditContextOf(request), request.params.requestId, request.body.reason),
    }),
  );

  r.get(
    '/api/patients/:id/proxies',
    {
      schema: {
        tags,
        summary: 'A patient’s proxies with their set-up (staff)',
        params: idParams,
        response: { 200: staffProxiesResponse, ...errorResponses },
      },
    },
    async (request) => ({ proxies: await listStaffProxies(deps, requireActor(request), auditContextOf(request), request.params.id) }),
  );

  r.post(
    '/api/patients/:id/proxies',
    {
      schema: {
        tags,
        summary: 'Set up a guardian or legal representative (staff)',
        params: idParams,
        body: staffProxyBody,
        response: { 201: staffProxyResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const proxy = await setUpProxy(deps, requireActor(request), auditContextOf(request), request.params.id, request.body);
      return reply.code(201).send({ proxy });
    },
  );

  r.post(
    '/api/patients/:id/proxies/:grantId/document',
    {
      config: { acceptsFile: true },
      bodyLimit: proxyConsoleLimits.documentMaxBytes,
      onRequest: documentGuard,
      schema: {
        tags,
        summary: 'Attach the set-up’s document (staff)',
        description: 'The file itself as the body: application/pdf, image/png or image/jpeg, at most 5 MB; its name in X-File-Name.',
        params: grantParams,
        response: { 200: staffProxyResponse, ...errorResponses },
      },
    },
    async (request) => {
      const body: unknown = request.body;
      const file = {
        bytes: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
        declaredType: declaredTypeOf(request),
        fileNameHeader: request.headers['x-file-name'],
      };
      const { id, grantId } = request.params;
      return { proxy: await uploadProxyDocument(deps, requireActor(request), auditContextOf(request), id, grantId, file) };
    },
  );

  r.get(
    '/api/patients/:id/proxies/:grantId/document',
    { schema: { tags, summary: 'The set-up’s document (staff)', params: grantParams, response: { 200: fileResponse, ...errorResponses } } },
    async (request, reply) => {
      const { id, grantId } = request.params;
      const doc = await readProxyDocument(deps, requireActor(request), auditContextOf(request), id, grantId);
      return reply
        .header('Content-Type', doc.type)
        .header('Content-Disposition', contentDispositionFor(doc.name))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'no-store')
        .send(doc.bytes);
    },
  );

  r.delete(
    '/api/patients/:id/proxies/:grantId',
    {
      schema: {
        tags,
        summary: 'End a proxy’s access (staff)',
        params: grantParams,
        body: endProxyBody,
        response: { 200: okResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { id, grantId } = request.params;
      await endProxy(deps, requireActor(request), auditContextOf(request), id, grantId, request.body.reason);
      return { ok: true as const };
    },
  );
}
