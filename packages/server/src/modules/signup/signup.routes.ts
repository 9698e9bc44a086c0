import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { okResponse, resendVerificationBody, signUpBody, signUpResponse, verifyEmailBody } from '@portico/shared';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { clientOf, errorResponses } from '../route-helpers.ts';
import { resendVerification, signUp, verifyEmail } from './signup.service.ts';

const tags = ['sign-up'];

/** Account activation by patients: /api/signup/*. */
export function registerSignupRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/signup',
    { schema: { tags, body: signUpBody, response: { 201: signUpResponse, ...errorResponses } } },
    async (request, reply) => {
      const result = await signUp(deps, request.body, clientOf(request));
      return reply.status(201).send({ status: 'verification_sent' as const, email: result.email });
    },
  );

  r.post(
    '/api/signup/verify-email',
    { schema: { tags, body: verifyEmailBody, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      await verifyEmail(deps, request.body.token, clientOf(request));
      return { ok: true as const };
    },
  );

  r.post(
    '/api/signup/resend-verification',
    { schema: { tags, body: resendVerificationBody, response: { 202: okResponse, ...errorResponses } } },
    async (request, reply) => {
      await resendVerification(deps, request.body.email);
      return reply.status(202).send({ ok: true as const });
    },
  );
}
