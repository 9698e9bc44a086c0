import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { MeSponsorValidation } from '@portico/shared';
import { AppError } from '../../errors.ts';
import type { Actor } from '../access/access.policy.ts';
import { outsideGrantKinds } from '../access/practice-access.ts';
import { lastDayOf } from './sponsor-calendar.ts';

/**
 * The Sponsored User Validation's locks (issue 12 §1): a validation past due and not completed locks its sponsor (who
 * signs in but reaches only the validation) and the sponsor's sponsored users (who cannot sign in, and whose sessions
 * stop working). Both are read by the session lookup on every request (one round trip), so completing a validation or
 * support extending it unlocks both on the next request.
 */

/** The sponsor's open validation, earliest due first, as JSON (`locked` by the database clock), or null. */
export interface OpenValidationRow {
  id: string;
  periodStart: string;
  dueAt: string;
  timeZone: string;
  locked: boolean;
}

/** A user's own open validation as a sponsor (the session lookup's column and GET /api/me's). */
export function openValidationJson(userId: AnyColumn | SQL): SQL<OpenValidationRow | null> {
  return sql<OpenValidationRow | null>`(select json_build_object('id', v.id, 'periodStart', v.period_start, 'dueAt', v.due_at, 'timeZone', o.time_zone,
      'locked', v.due_at <= now())
    from sponsor_validations v join organizations o on o.id = v.organization_id
    where v.sponsor_user_id = ${userId} and v.completed_at is null order by v.due_at, v.id limit 1)`;
}

/** Whether a user is a sponsored user whose sponsor's validation is past due and not completed. */
export function sponsoredLockedSql(userId: AnyColumn | SQL): SQL<boolean> {
  return sql<boolean>`exists (select 1 from memberships m join sponsor_validations v on v.sponsor_user_id = m.sponsor_user_id
    where m.user_id = ${userId} and m.role = 'sponsored_staff' and m.ended_at is null
      and v.completed_at is null and v.due_at <= now())`;
}

/**
 * What a locked sponsor's actor keeps: no practice membership and no outside provider's grant (no patient search, no
 * chart, no sponsoring) until they complete the validation; everything else (their own record, a proxy) is unchanged.
 */
export function lockedActor<A extends Actor>(actor: A): A {
  return {
    ...actor,
    memberships: actor.memberships.filter((m) => m.kind !== 'practice'),
    grants: actor.grants.filter((g) => !outsideGrantKinds.includes(g.kind)),
  };
}

/** The sign-in answer for a sponsored user whose sponsor's validation is past due. */
export function accountLocked(): AppError {
  return new AppError(403, 'account_locked', 'Your account is locked until your sponsor completes the Sponsored User Validation.');
}
/** What GET /api/me says of an open validation. */
export function meValidationOf(row: OpenValidationRow | null): MeSponsorValidation | null {
  if (!row) return null;
  const dueAt = new Date(row.dueAt);
  return { id: row.id, dueAt: dueAt.toISOString(), lastDay: lastDayOf(dueAt, row.timeZone), locked: row.locked };
}
