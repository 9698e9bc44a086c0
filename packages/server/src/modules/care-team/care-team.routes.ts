import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  careTeamAddBody,
  careTeamAddResponse,
  careTeamDirectoryQuery,
  careTeamDirectoryResponse,
  careTeamRemoveBody,
  careTeamResponse,
  idParams,
  okResponse,
  providerRequestApproveBody,
  providerRequestDenyBody,
  providerRequestsResponse,
  providerTokenBody,
  providerTokenIssuedResponse,
  providerTokensResponse,
  providerTokenRevokedResponse,
  uuid,
} from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { errorResponses } from '../route-helpers.ts';
import { addCareTeamMember, getCareTeam, removeCareTeamMember, searchCareTeamDirectory } from './care-team.service.ts';
import { approveProviderRequest, denyProviderRequest, listProviderRequests } from './provider-requests.service.ts';
import { issueProviderToken, listProviderTokens, revokeProviderToken } from './provider-tokens.service.ts';

const tags = ['care-team'];
const grantParams = z.object({ id: uuid, grantId: uuid });
const requestParams = z.object({ id: uuid, requestId: uuid });
const tokenParams = z.object({ id: uuid, tokenId: uuid });

/** The patient's side of outside providers (issue 12 §2): the care team, providers' requests, tokens for providers. */
export function registerCareTeamRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/patients/:id/care-team',
    {
      schema: {
        tags,
        summary: 'The PCP and the outside providers on the care team',
        params: idParams,
        response: { 200: careTeamResponse, ...errorResponses },
      },
    },
    async (request) => getCareTeam(deps, requireActor(request), auditContextOf(request), request.params.id),
  );

  r.get(
    '/api/patients/:id/care-team/directory',
    {
      schema: {
        tags,
        summary: 'Outside providers to add, by name, NPI or practice',
        params: idParams,
        querystring: careTeamDirectoryQuery,
        response: { 200: careTeamDirectoryResponse, ...errorResponses },
      },
    },
    async (request) => ({
      providers: await searchCareTeamDirectory(deps, requireActor(request), auditContextOf(request), request.params.id, request.query.q),
    }),
  );

  r.post(
    '/api/patients/:id/care-team',
    {
      schema: {
        tags,
        summary: 'Add an outside provider to the care team',
        params: idParams,
        body: careTeamAddBody,
        response: { 201: careTeamAddResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const member = await addCareTeamMember(
        deps,
        requireActor(request),
        auditContextOf(request),
        request.params.id,
        request.body.providerUserId,
      );
      return reply.code(201).send({ member });
    },
  );

  r.delete(
    '/api/patients/:id/care-team/:grantId',
    {
      schema: {
        tags,
        summary: 'Remove an outside provider from the care team',
        params: grantParams,
        body: careTeamRemoveBody.nullish(),
        response: { 200: okResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { id, grantId } = request.params;
      await removeCareTeamMember(deps, requireActor(request), auditContextOf(request), id, grantId, request.body?.reason);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/patients/:id/provider-requests',
    {
      schema: {
        tags,
        summary: 'Outside providers’ requests waiting for the patient’s answer',
        params: idParams,
        response: { 200: providerRequestsResponse, ...errorResponses },
      },
    },
    async (request) => ({ requests: await listProviderRequests(deps, requireActor(request), auditContextOf(request), request.params.id) }),
  );

  r.post(
    '/api/patients/:id/provider-requests/:requestId/approve',
    {
      schema: {
        tags,
        summary: 'Let the provider see the record',
        params: requestParams,
        body: providerRequestApproveBody.nullish(),
        response: { 200: okResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { id, requestId } = request.params;
      const categories = request.body?.sensitiveCategories;
      await approveProviderRequest(deps, requireActor(request), auditContextOf(request), id, requestId, categories);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/patients/:id/provider-requests/:requestId/deny',
    {
      schema: {
        tags,
        summary: 'Refuse the provider’s request',
        params: requestParams,
        body: providerRequestDenyBody.nullish(),
        response: { 200: okResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { id, requestId } = request.params;
      await denyProviderRequest(deps, requireActor(request), auditContextOf(request), id, requestId, request.body?.note);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/patients/:id/provider-tokens',
    {
      schema: {
        tags,
        summary: 'Issue a token for an outside provider (the code is shown once)',
        params: idParams,
        body: providerTokenBody,
        response: { 201: providerTokenIssuedResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const issued = await issueProviderToken(deps, requireActor(request), auditContextOf(request), request.params.id, request.body.label);
      return reply.code(201).send(issued);
    },
  );

  r.get(
    '/api/patients/:id/provider-tokens',
    {
      schema: {
        tags,
        summary: 'The patient’s tokens for outside providers',
        params: idParams,
        response: { 200: providerTokensResponse, ...errorResponses },
      },
    },
    async (request) => ({ tokens: await listProviderTokens(deps, requireActor(request), auditContextOf(request), request.params.id) }),
  );

  r.delete(
    '/api/patients/:id/provider-tokens/:tokenId',
    {
      schema: {
        tags,
        summary: 'Revoke a token, and the access it gave',
        params: tokenParams,
        response: { 200: providerTokenRevokedResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { id, tokenId } = request.params;
      return { token: await revokeProviderToken(deps, requireActor(request), auditContextOf(request), id, tokenId) };
    },
  );
}
