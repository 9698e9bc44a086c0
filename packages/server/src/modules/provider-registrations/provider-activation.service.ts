import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { checkNewPassword, hashPassword } from '../../security/password.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { AuthDeps, ClientInfo } from '../auth/auth.deps.ts';
import { redeemLink } from '../auth/link-token.ts';
import { weakPassword } from '../auth/password.service.ts';
import { findUserById } from '../auth/user.repository.ts';
import { accountConflict } from '../signup/signup.service.ts';

const invalidToken = () =>
  new AppError(400, 'invalid_token', 'This activation link is not valid any more. Ask the support team for a new one.');

/**
 * POST /api/provider-activation (issue 12 §1): an approved provider opens the emailed link once and chooses their
 * username and password (sign-up's rules); the email is then verified, since the link reached it. MFA enrolment follows
 * at the first sign-in, as for every account with a membership.
 */
export async function activateProvider(
  deps: AuthDeps,
  input: { token: string; username: string; password: string },
  client: ClientInfo,
): Promise<void> {
  try {
    await deps.db.transaction(async (tx) => {
      const used = await redeemLink(tx, 'provider_activation', input.token);
      const user = used ? await findUserById(tx, used.userId) : undefined;
      if (!user || user.disabledAt) throw invalidToken();
      const problem = checkNewPassword(input.password, { username: input.username, email: user.email });
      if (problem) throw weakPassword(problem);
      await tx
        .update(users)
        .set({
          username: input.username,
          passwordHash: await hashPassword(input.password),
          passwordChangedAt: new Date(),
          emailVerifiedAt: user.emailVerifiedAt ?? new Date(),
        })
        .where(eq(users.id, user.id));
      await recordAudit(
        tx,
        { ...client.audit, actorUserId: user.id },
        { action: 'provider.activate', outcome: 'success', objectType: 'User', objectId: user.id },
      );
    });
  } catch (error) {
    throw accountConflict(error) ?? error;
  }
}
