import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  accessRequestBody,
  accessRequestResponse,
  myAccessRequestsResponse,
  myPatientsSearchBody,
  myPatientsSearchResponse,
  tokenValidationBody,
  tokenValidationResponse,
} from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { errorResponses } from '../route-helpers.ts';
import { listMyRequests, requestAccess, searchMyPatients, validateToken } from './mypatients.service.ts';

const tags = ['mypatients'];

/** The community-provider portal's patient selection, access requests and token validation (issue 12 §2). */
export function registerMyPatientsRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/mypatients/search',
    {
      schema: {
        tags,
        summary: "Find the organization's patients by MRN, or by name and date of birth (outside providers)",
        body: myPatientsSearchBody,
        response: { 200: myPatientsSearchResponse, ...errorResponses },
      },
    },
    async (request) => searchMyPatients(deps.db, requireActor(request), auditContextOf(request), request.body),
  );

  r.post(
    '/api/mypatients/requests',
    {
      schema: {
        tags,
        summary: 'Ask for PCP or non-PCP access to a patient the provider may not see (outside providers)',
        body: accessRequestBody,
        response: { 202: accessRequestResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const answer = await requestAccess(deps, requireActor(request), auditContextOf(request), request.body);
      return reply.status(202).send({ request: answer });
    },
  );

  r.get(
    '/api/mypatients/requests',
    {
      schema: {
        tags,
        summary: "The provider's own access requests, newest first (outside providers)",
        response: { 200: myAccessRequestsResponse, ...errorResponses },
      },
    },
    async (request) => ({ requests: await listMyRequests(deps.db, requireActor(request), auditContextOf(request)) }),
  );

  r.post(
    '/api/mypatients/tokens/validate',
    {
      schema: {
        tags,
        summary: 'Validate a token a patient issued, with its MRN (outside providers)',
        body: tokenValidationBody,
        response: { 200: tokenValidationResponse, ...errorResponses },
      },
    },
    async (request) => ({ patientId: await validateToken(deps, requireActor(request), auditContextOf(request), request.body) }),
  );
}
