import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { negotiateLocale, type Locale } from '@portico/shared/i18n';
import type { Database } from '../db/client.ts';
import { AppError, unauthenticated } from '../errors.ts';
import type { Actor } from '../modules/access/access.policy.ts';
import type { AuditContext } from '../modules/audit/audit.service.ts';
import { prepareSessionLookup, revokeSession, touchSession, type SessionRow } from '../modules/auth/session.repository.ts';
import { sha256Hex } from '../security/crypto.ts';
import { lockedActor } from '../modules/sponsors/sponsor-locks.ts';

/** The signed-in state of a request, resolved once by the session hook. */
export interface RequestAuth {
  session: SessionRow;
  state: 'mfa_pending' | 'active';
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
}

/** Cookie options: HttpOnly, SameSite=Lax; Secure with the `__Host-` prefix over HTTPS (SECURITY.md "Sessions"). */
export interface SessionCookieSettings {
  name: string;
  secure: boolean;
}

/** Cookie settings for a public URL. */
export function sessionCookieSettings(publicUrl: string): SessionCookieSettings {
  const secure = publicUrl.startsWith('https://');
  return { name: secure ? '__Host-portico_session' : 'portico_session', secure };
}

/** Skip writing last_seen_at more often than this; the idle timeout is minutes long. */
const touchEverySeconds = 5;

/** Whether a session row is past its idle or absolute limit, or its user is disabled. */
export function isSessionExpired(row: SessionRow, now: Date): boolean {
  if (row.disabledAt) return true;
  if (row.absoluteExpiresAt <= now) return true;
  return now.getTime() - row.lastSeenAt.getTime() > row.idleTimeoutSeconds * 1000;
}

/** Resolves the session cookie on every request; an expired session is revoked and treated as absent. */
export function registerSessionHook(app: FastifyInstance, db: Database, cookie: SessionCookieSettings): void {
  const lookup = prepareSessionLookup(db);
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[cookie.name];
    if (!token || token.length > 100 || !request.url.startsWith('/api/')) return;
    const [row] = await lookup.execute({ tokenHash: sha256Hex(token) });
    if (!row) return;
    const now = new Date();
    if (isSessionExpired(row, now)) {
      await revokeSession(db, row.sessionId);
      return;
    }
    // A sponsored user whose sponsor's validation is past due: the session stops working until it is completed (issue 12 §1).
    if (row.sponsoredLocked) return;
    if (now.getTime() - row.lastSeenAt.getTime() > touchEverySeconds * 1000) {
      await touchSession(db, row.sessionId, now);
      row.lastSeenAt = now;
    }
    request.auth = { session: row, state: row.state === 'active' ? 'active' : 'mfa_pending', token };
  });
}

/** Sets the session cookie. */
export function setSessionCookie(reply: FastifyReply, cookie: SessionCookieSettings, token: string): void {
  reply.setCookie(cookie.name, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure });
}

/** Clears the session cookie. */
export function clearSessionCookie(reply: FastifyReply, cookie: SessionCookieSettings): void {
  reply.clearCookie(cookie.name, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure });
}

/** The fully signed-in actor, or 401; identity is then passed explicitly to services (STYLE.md). */
export function requireActor(request: FastifyRequest): Actor {
  const auth = request.auth;
  if (!auth) throw unauthenticated();
  if (auth.state !== 'active') throw new AppError(401, 'mfa_required', 'Finish signing in with your second factor.');
  return actorOf(auth.session);
}

/** The policy's view of a session's user: own record, memberships and grants, all read by the session lookup. */
export function actorOf(session: SessionRow): Actor {
  const actor: Actor = {
    userId: session.userId,
    ownPatientId: session.patientId,
    memberships: session.memberships,
    grants: session.grants,
    known: session.ownPatient ? [session.ownPatient] : [],
  };
  // A sponsor whose Sponsored User Validation is past due reaches only the validation (issue 12 §1).
  return session.sponsorValidation?.locked ? lockedActor(actor) : actor;
}

/** The session waiting for its second factor, or 401. */
export function requirePendingSession(request: FastifyRequest): SessionRow {
  const auth = request.auth;
  if (!auth || auth.state !== 'mfa_pending') throw unauthenticated();
  return auth.session;
}

/**
 * The language of what a request makes for its reader (PDF, .ics): the signed-in user's own (users.locale, read by the
 * session lookup), else the one the request asks for (Accept-Language).
 */
export function localeOf(request: FastifyRequest): Locale {
  return request.auth?.session.locale ?? negotiateLocale(request.headers['accept-language']);
}

/** Audit context of a request: who, from where, which request. */
export function auditContextOf(request: FastifyRequest, actorUserId?: string | null): AuditContext {
  return {
    requestId: request.id,
    ipAddress: request.ip,
    actorUserId: actorUserId === undefined ? (request.auth?.session.userId ?? null) : actorUserId,
  };
}
