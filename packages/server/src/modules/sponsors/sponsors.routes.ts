import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  extendValidationBody,
  extendValidationResponse,
  idParams,
  lockedAccountsResponse,
  okResponse,
  sponsoredUserBody,
  sponsoredUserListResponse,
  sponsoredUserParams,
  sponsoredUserResponse,
  sponsorValidationBody,
  sponsorValidationDoneResponse,
  sponsorValidationResponse,
  supportAccountParams,
} from '@portico/shared';
import { unauthenticated } from '../../errors.ts';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { clientOf, errorResponses } from '../route-helpers.ts';
import {
  completeSponsorValidation,
  createSponsoredUser,
  getSponsorValidation,
  listSponsorUsers,
  removeSponsoredUser,
} from './sponsors.service.ts';
import { extendValidation, listLockedAccounts, sendPasswordReset, unlockSignIn } from './support-accounts.service.ts';

const tags = ['sponsors'];

/** The signed-in actor and the memberships as stored (a locked sponsor's actor has lost the practice, not the validation). */
function validatingActor(request: FastifyRequest) {
  const actor = requireActor(request);
  if (!request.auth) throw unauthenticated();
  return { actor, memberships: request.auth.session.memberships };
}

/** Sponsored users and their twice-yearly validation (issue 12 §1), and the support team's account help. */
export function registerSponsorRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/sponsor/users',
    { schema: { tags, summary: "The sponsor's active sponsored users", response: { 200: sponsoredUserListResponse, ...errorResponses } } },
    async (request) => ({ users: await listSponsorUsers(deps, requireActor(request), auditContextOf(request)) }),
  );

  r.post(
    '/api/sponsor/users',
    {
      schema: {
        tags,
        summary: 'Sponsor a member of the practice staff: an account and the activation email',
        body: sponsoredUserBody,
        response: { 201: sponsoredUserResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const user = await createSponsoredUser(deps, actor, auditContextOf(request), request.body, request.auth?.session.displayName ?? '');
      return reply.status(201).send({ user });
    },
  );

  r.delete(
    '/api/sponsor/users/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a sponsored user: the membership ends, the account is disabled, its sessions end',
        params: sponsoredUserParams,
        response: { 200: okResponse, ...errorResponses },
      },
    },
    async (request) => {
      await removeSponsoredUser(deps, requireActor(request), auditContextOf(request), request.params.userId);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/sponsor/validation',
    {
      schema: {
        tags,
        summary: "The sponsor's open Sponsored User Validation, or null",
        response: { 200: sponsorValidationResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { actor, memberships } = validatingActor(request);
      return { validation: await getSponsorValidation(deps, actor, memberships, auditContextOf(request)) };
    },
  );

  r.post(
    '/api/sponsor/validation',
    {
      schema: {
        tags,
        summary: 'Complete the validation: keep or remove every active sponsored user',
        body: sponsorValidationBody,
        response: { 200: sponsorValidationDoneResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { actor, memberships } = validatingActor(request);
      return completeSponsorValidation(deps, actor, memberships, auditContextOf(request), request.body);
    },
  );

  r.get(
    '/api/support/accounts/locked',
    {
      schema: {
        tags,
        summary: 'Sponsors locked by a validation past due, and outside accounts with sign-in paused (support)',
        response: { 200: lockedAccountsResponse, ...errorResponses },
      },
    },
    async (request) => listLockedAccounts(deps, requireActor(request), auditContextOf(request)),
  );

  r.post(
    '/api/support/validations/:id/extend',
    {
      schema: {
        tags,
        summary: "Move a validation's due date later, with the reason (support)",
        params: idParams,
        body: extendValidationBody,
        response: { 200: extendValidationResponse, ...errorResponses },
      },
    },
    async (request) => extendValidation(deps, requireActor(request), auditContextOf(request), request.params.id, request.body),
  );

  r.post(
    '/api/support/accounts/:userId/unlock-sign-in',
    {
      schema: {
        tags,
        summary: 'Lift the sign-in pause of repeated failures (support)',
        params: supportAccountParams,
        response: { 200: okResponse, ...errorResponses },
      },
    },
    async (request) => {
      await unlockSignIn(deps, requireActor(request), auditContextOf(request), request.params.userId);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/support/accounts/:userId/password-reset',
    {
      schema: {
        tags,
        summary: 'Email the user a password reset link (support)',
        params: supportAccountParams,
        response: { 202: okResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      await sendPasswordReset(deps, requireActor(request), clientOf(request), request.params.userId);
      return reply.status(202).send({ ok: true as const });
    },
  );
}
