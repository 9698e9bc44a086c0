import { defaultTextSize, isTextSize, type Locale } from '@portico/shared/i18n';
import type { Me } from '@portico/shared';
import type { Config } from '../../config.ts';
import type { Database, Executor } from '../../db/client.ts';
import { generateToken, sha256Hex } from '../../security/crypto.ts';
import type { AccessView } from '../access/me.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import { insertSession } from './session.repository.ts';
import type { UserRow } from './user.repository.ts';

/** What the identity services need, passed explicitly. */
export interface AuthDeps {
  db: Database;
  config: Config;
  /** Nudges the outbox worker after a commit that queued mail. */
  kickMail(): void;
}

/** The request facts identity services record. */
export interface ClientInfo {
  audit: AuditContext;
  userAgent: string | null;
  /** The language the request asks for (Accept-Language; the web sends the page's): mail to someone not yet a user is in it. */
  locale: Locale;
}

/** Minutes a session waiting for MFA lives. */
export const pendingSessionMinutes = 10;

/** Session timing in the API's shape. */
export function toSessionInfo(s: { idleTimeoutSeconds: number; lastSeenAt: Date; absoluteExpiresAt: Date }) {
  const idle = new Date(s.lastSeenAt.getTime() + s.idleTimeoutSeconds * 1000);
  return {
    idleTimeoutSeconds: s.idleTimeoutSeconds,
    idleExpiresAt: (idle < s.absoluteExpiresAt ? idle : s.absoluteExpiresAt).toISOString(),
    absoluteExpiresAt: s.absoluteExpiresAt.toISOString(),
  };
}

/**
 * Idle timeout from the configuration (SECURITY.md: 15 min for staff and providers, 30 for patients, configurable):
 * anyone holding a membership gets the shorter one.
 */
export function idleSecondsFor(config: Config, hasMemberships: boolean): number {
  const minutes = hasMemberships ? config.idleMinutes.staff : config.idleMinutes.patient;
  return Math.max(1, Math.round(minutes * 60));
}

/** A new session with a fresh 256-bit token (a new id at every sign-in step: session fixation defence). */
export async function startSession(
  db: Executor,
  deps: AuthDeps,
  user: UserRow,
  state: 'mfa_pending' | 'active',
  client: ClientInfo,
): Promise<{ token: string; sessionId: string; session: ReturnType<typeof toSessionInfo> }> {
  const token = generateToken();
  const now = new Date();
  const idleTimeoutSeconds = state === 'active' ? idleSecondsFor(deps.config, user.hasMemberships) : pendingSessionMinutes * 60;
  const absoluteMs = state === 'active' ? deps.config.absoluteSessionHours * 3600_000 : pendingSessionMinutes * 60_000;
  const absoluteExpiresAt = new Date(now.getTime() + absoluteMs);
  const sessionId = await insertSession(db, {
    tokenHash: sha256Hex(token),
    userId: user.id,
    state,
    idleTimeoutSeconds,
    absoluteExpiresAt,
    userAgent: client.userAgent?.slice(0, 300) ?? null,
    ipAddress: client.audit.ipAddress,
  });
  return { token, sessionId, session: toSessionInfo({ idleTimeoutSeconds, lastSeenAt: now, absoluteExpiresAt }) };
}

/** The user in the API's shape, with what they may do (`describeAccess`). */
export function toMe(
  user: Pick<UserRow, 'id' | 'username' | 'email' | 'displayName' | 'totpEnabledAt' | 'locale' | 'textSize'>,
  extra: { organizationName: string | null; patientId: string | null },
  access: AccessView,
): Me {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName,
    organizationName: access.memberships[0]?.organizationName ?? extra.organizationName,
    patientId: extra.patientId,
    mfaEnrolled: user.totpEnabledAt !== null,
    ...access,
    preferences: { locale: user.locale, textSize: isTextSize(user.textSize) ? user.textSize : defaultTextSize },
  };
}
