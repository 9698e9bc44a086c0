import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  approveRegistrationBody,
  idParams,
  okResponse,
  providerActivationBody,
  providerRegistrationBody,
  providerRegistrationResponse,
  registrationDecisionResponse,
  registrationListQuery,
  registrationListResponse,
  rejectRegistrationBody,
} from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { clientOf, errorResponses } from '../route-helpers.ts';
import { activateProvider } from './provider-activation.service.ts';
import { registerProvider } from './provider-registration.service.ts';
import { approveRegistration, listSupportRegistrations, rejectRegistration } from './registration-review.service.ts';

const tags = ['provider-registrations'];

/** Outside providers' registration and activation (public), and the support team's review of them (issue 12 §1, §3). */
export function registerProviderRegistrationRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/provider-registrations',
    {
      schema: {
        tags,
        summary: 'Register as an outside provider with an NPI (public)',
        body: providerRegistrationBody,
        response: { 202: providerRegistrationResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      await registerProvider(deps, request.body, clientOf(request));
      return reply.status(202).send({ received: true as const });
    },
  );

  r.get(
    '/api/support/registrations',
    {
      schema: {
        tags,
        summary: 'Registrations of a status, oldest first (support)',
        querystring: registrationListQuery,
        response: { 200: registrationListResponse, ...errorResponses },
      },
    },
    async (request) => ({
      registrations: await listSupportRegistrations(deps, requireActor(request), auditContextOf(request), request.query.status),
    }),
  );

  r.post(
    '/api/support/registrations/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve a registration: the account, its practice membership and the activation email (support)',
        params: idParams,
        body: approveRegistrationBody,
        response: { 200: registrationDecisionResponse, ...errorResponses },
      },
    },
    async (request) => ({
      registration: await approveRegistration(deps, requireActor(request), auditContextOf(request), request.params.id, request.body),
    }),
  );

  r.post(
    '/api/support/registrations/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject a registration with a reason (support)',
        params: idParams,
        body: rejectRegistrationBody,
        response: { 200: registrationDecisionResponse, ...errorResponses },
      },
    },
    async (request) => ({
      registration: await rejectRegistration(deps, requireActor(request), auditContextOf(request), request.params.id, request.body.reason),
    }),
  );

  r.post(
    '/api/provider-activation',
    {
      schema: {
        tags,
        summary: 'Choose a username and password from the activation link (public)',
        body: providerActivationBody,
        response: { 200: okResponse, ...errorResponses },
      },
    },
    async (request) => {
      await activateProvider(deps, request.body, clientOf(request));
      return { ok: true as const };
    },
  );
}
