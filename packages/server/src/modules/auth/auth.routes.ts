import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  changeEmailBody,
  changePasswordBody,
  confirmEmailChangeBody,
  forgotPasswordBody,
  idParams,
  meResponse,
  mfaVerifyBody,
  okResponse,
  passkeyOptionsResponse,
  passkeyRegisterBody,
  passkeysResponse,
  passkeyVerifyBody,
  passkeyView,
  passwordConfirmBody,
  preferencesBody,
  preferencesView,
  recoveryCodesResponse,
  resetPasswordBody,
  sessionsResponse,
  signInBody,
  signInResponse,
  totpEnableBody,
  totpEnableResponse,
  totpSetupResponse,
} from '@portico/shared';
import { defaultTextSize, isTextSize } from '@portico/shared/i18n';
import { z } from 'zod';
import { notFound, unauthenticated } from '../../errors.ts';
import {
  clearSessionCookie,
  requireActor,
  requirePendingSession,
  setSessionCookie,
  type SessionCookieSettings,
} from '../../plugins/session.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { clientOf, errorResponses } from '../route-helpers.ts';
import { describeAccess } from '../access/me.service.ts';
import { toMe, toSessionInfo, type AuthDeps } from './auth.deps.ts';
import { confirmEmailChange, requestEmailChange } from './email-change.service.ts';
import { disableTotp, enableTotp, regenerateRecoveryCodes, sendEmailCode, setupTotp, verifyMfa } from './mfa.service.ts';
import {
  listPasskeys,
  passkeyRegistrationOptions,
  passkeySignInOptions,
  registerPasskey,
  removePasskey,
  verifyPasskeySignIn,
} from './passkey.service.ts';
import { changePassword, requestPasswordReset, resetPassword } from './password.service.ts';
import { listActiveSessions, revokeAllSessions, revokeSession, revokeUserSession } from './session.repository.ts';
import { signIn } from './sign-in.service.ts';
import { updatePreferences } from './user.repository.ts';

const tags = ['auth'];

/** Sign-in, MFA, sessions and passwords: /api/auth/*. */
export function registerAuthRoutes(app: FastifyInstance, deps: AuthDeps, cookie: SessionCookieSettings): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/auth/sign-in',
    { schema: { tags, body: signInBody, response: { 200: signInResponse, ...errorResponses } } },
    async (request, reply) => {
      if (request.auth) await revokeSession(deps.db, request.auth.session.sessionId);
      const outcome = await signIn(deps, request.body.identifier, request.body.password, clientOf(request), request.body.locale);
      setSessionCookie(reply, cookie, outcome.token);
      return outcome.response;
    },
  );

  r.post(
    '/api/auth/mfa/verify',
    { schema: { tags, body: mfaVerifyBody, response: { 200: signInResponse, ...errorResponses } } },
    async (request, reply) => {
      const pending = requirePendingSession(request);
      const done = await verifyMfa(deps, pending, request.body.method, request.body.code, clientOf(request));
      // An unenrolled staff member proved their email: the same pending session may now enrol an authenticator.
      if (!done) return { status: 'mfa_required' as const, methods: [], enrollmentRequired: true };
      setSessionCookie(reply, cookie, done.token);
      return { status: 'signed_in' as const, user: done.user, session: done.session };
    },
  );

  r.post('/api/auth/mfa/email-code', { schema: { tags, response: { 200: okResponse, ...errorResponses } } }, async (request) => {
    await sendEmailCode(deps, requirePendingSession(request), clientOf(request));
    return { ok: true as const };
  });

  r.post(
    '/api/auth/mfa/totp/setup',
    {
      schema: {
        tags,
        body: z.object({ password: z.string().max(256).optional() }).nullish(),
        response: { 200: totpSetupResponse, ...errorResponses },
      },
    },
    async (request) => {
      if (!request.auth) throw unauthenticated();
      const isPending = request.auth.state === 'mfa_pending';
      return setupTotp(deps, request.auth.session, isPending, request.body?.password);
    },
  );

  r.post(
    '/api/auth/mfa/totp/enable',
    { schema: { tags, body: totpEnableBody, response: { 200: totpEnableResponse, ...errorResponses } } },
    async (request, reply) => {
      if (!request.auth) throw unauthenticated();
      const isPending = request.auth.state === 'mfa_pending';
      const done = await enableTotp(deps, request.auth.session, isPending, request.body.code, request.body.password, clientOf(request));
      if (done.token) setSessionCookie(reply, cookie, done.token);
      return { recoveryCodes: done.recoveryCodes, user: done.user, session: done.session ?? toSessionInfo(request.auth.session) };
    },
  );

  r.post(
    '/api/auth/mfa/totp/disable',
    { schema: { tags, body: passwordConfirmBody, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      await disableTotp(deps, actor.userId, request.body.password, clientOf(request));
      return { ok: true as const };
    },
  );

  r.post(
    '/api/auth/mfa/recovery-codes',
    { schema: { tags, body: passwordConfirmBody, response: { 200: recoveryCodesResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return regenerateRecoveryCodes(deps, actor.userId, request.body.password, clientOf(request));
    },
  );

  /** Passkeys (WebAuthn) as a second factor: add, list and remove on the Security page (docs/ARCHITECTURE.md "Passkeys"). */
  r.post(
    '/api/auth/passkeys/registration-options',
    { schema: { tags, body: passwordConfirmBody, response: { 200: passkeyOptionsResponse, ...errorResponses } } },
    async (request) => {
      requireActor(request);
      const session = request.auth!.session;
      return { options: { ...(await passkeyRegistrationOptions(deps, session, request.body.password)) } };
    },
  );

  r.post(
    '/api/auth/passkeys/register',
    { schema: { tags, body: passkeyRegisterBody, response: { 200: passkeyView, ...errorResponses } } },
    async (request) => {
      requireActor(request);
      const session = request.auth!.session;
      return registerPasskey(deps, session, request.body.name, request.body.response, clientOf(request));
    },
  );

  r.get('/api/auth/passkeys', { schema: { tags, response: { 200: passkeysResponse, ...errorResponses } } }, async (request) => {
    const actor = requireActor(request);
    return { passkeys: await listPasskeys(deps.db, actor.userId) };
  });

  r.delete(
    '/api/auth/passkeys/:id',
    { schema: { tags, params: idParams, body: passwordConfirmBody, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      await removePasskey(deps, actor.userId, request.params.id, request.body.password, clientOf(request));
      return { ok: true as const };
    },
  );

  /** Sign-in's second step with a passkey, on the MFA-pending session. */
  r.post(
    '/api/auth/mfa/passkey/options',
    { schema: { tags, response: { 200: passkeyOptionsResponse, ...errorResponses } } },
    async (request) => {
      return { options: { ...(await passkeySignInOptions(deps, requirePendingSession(request))) } };
    },
  );

  r.post(
    '/api/auth/mfa/passkey/verify',
    { schema: { tags, body: passkeyVerifyBody, response: { 200: signInResponse, ...errorResponses } } },
    async (request, reply) => {
      const pending = requirePendingSession(request);
      const done = await verifyPasskeySignIn(deps, pending, request.body.response, clientOf(request));
      if (!done) return { status: 'mfa_required' as const, methods: [], enrollmentRequired: true };
      setSessionCookie(reply, cookie, done.token);
      return { status: 'signed_in' as const, user: done.user, session: done.session };
    },
  );

  /** Who is signed in and what they may do; the web shows pages from this (DESIGN.md "Access"). */
  const meHandler = async (request: FastifyRequest) => {
    const actor = requireActor(request);
    if (!request.auth) throw unauthenticated();
    const s = request.auth.session;
    // The session lookup already read the user, memberships and grants; only the names of patients acted for are read here.
    const access = await describeAccess(deps.db, actor, s.memberships, new Date(), s.ownPatient ? [s.ownPatient] : []);
    const user = toMe({ ...s, id: s.userId }, { organizationName: s.organizationName, patientId: s.patientId }, access);
    return { user, session: toSessionInfo(s) };
  };
  r.get('/api/me', { schema: { tags, response: { 200: meResponse, ...errorResponses } } }, meHandler);
  r.get('/api/auth/me', { schema: { tags, response: { 200: meResponse, ...errorResponses } } }, meHandler);

  /** The person's language and text size (issue 10): stored on the account, so every device and email follows them. */
  r.put(
    '/api/me/preferences',
    { schema: { tags, body: preferencesBody, response: { 200: preferencesView, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return deps.db.transaction(async (tx) => {
        const stored = await updatePreferences(tx, actor.userId, request.body);
        if (!stored) throw unauthenticated();
        await recordAudit(tx, clientOf(request).audit, {
          action: 'account.preferences.update',
          outcome: 'success',
          objectType: 'User',
          objectId: actor.userId,
          details: { fields: Object.keys(request.body).sort() },
        });
        return { locale: stored.locale, textSize: isTextSize(stored.textSize) ? stored.textSize : defaultTextSize };
      });
    },
  );

  r.post('/api/auth/sign-out', { schema: { tags, response: { 200: okResponse, ...errorResponses } } }, async (request, reply) => {
    if (request.auth) {
      const auth = request.auth;
      await deps.db.transaction(async (tx) => {
        await revokeSession(tx, auth.session.sessionId);
        await recordAudit(tx, clientOf(request).audit, {
          action: 'auth.sign_out',
          outcome: 'success',
          objectType: 'Session',
          objectId: auth.session.sessionId,
        });
      });
    }
    clearSessionCookie(reply, cookie);
    return { ok: true as const };
  });

  r.post(
    '/api/auth/sign-out-everywhere',
    { schema: { tags, response: { 200: okResponse, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      await deps.db.transaction(async (tx) => {
        await revokeAllSessions(tx, actor.userId);
        await recordAudit(tx, clientOf(request).audit, { action: 'auth.sign_out_everywhere', outcome: 'success', severity: 'high' });
      });
      clearSessionCookie(reply, cookie);
      return { ok: true as const };
    },
  );

  r.get('/api/auth/sessions', { schema: { tags, response: { 200: sessionsResponse, ...errorResponses } } }, async (request) => {
    const actor = requireActor(request);
    const rows = await listActiveSessions(deps.db, actor.userId, new Date());
    const now = Date.now();
    const sessions = rows
      .filter((s) => now - s.lastSeenAt.getTime() <= s.idleTimeoutSeconds * 1000)
      .map((s) => ({
        id: s.id,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        userAgent: s.userAgent,
        ipAddress: s.ipAddress,
        current: s.id === request.auth?.session.sessionId,
      }));
    return { sessions };
  });

  r.delete(
    '/api/auth/sessions/:id',
    { schema: { tags, params: idParams, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      const ended = await deps.db.transaction(async (tx) => {
        const isEnded = await revokeUserSession(tx, actor.userId, request.params.id);
        if (isEnded)
          await recordAudit(tx, clientOf(request).audit, {
            action: 'auth.session.revoke',
            outcome: 'success',
            objectType: 'Session',
            objectId: request.params.id,
          });
        return isEnded;
      });
      if (!ended) throw notFound('The session');
      return { ok: true as const };
    },
  );

  r.post(
    '/api/auth/password/forgot',
    { schema: { tags, body: forgotPasswordBody, response: { 202: okResponse, ...errorResponses } } },
    async (request, reply) => {
      await requestPasswordReset(deps, request.body.email, clientOf(request));
      return reply.status(202).send({ ok: true as const });
    },
  );

  r.post(
    '/api/auth/password/reset',
    { schema: { tags, body: resetPasswordBody, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      await resetPassword(deps, request.body.token, request.body.password, clientOf(request));
      return { ok: true as const };
    },
  );

  r.post(
    '/api/auth/password/change',
    { schema: { tags, body: changePasswordBody, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      const sessionId = request.auth?.session.sessionId ?? '';
      await changePassword(deps, actor.userId, sessionId, request.body.currentPassword, request.body.newPassword, clientOf(request));
      return { ok: true as const };
    },
  );

  r.post(
    '/api/auth/email/change',
    { schema: { tags, body: changeEmailBody, response: { 202: okResponse, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      await requestEmailChange(deps, actor.userId, request.body.password, request.body.newEmail, clientOf(request));
      return reply.status(202).send({ ok: true as const });
    },
  );

  r.post(
    '/api/auth/email/confirm',
    { schema: { tags, body: confirmEmailChangeBody, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      await confirmEmailChange(deps, request.body.token, clientOf(request));
      return { ok: true as const };
    },
  );
}
