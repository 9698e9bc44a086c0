import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { idempotencyKeys } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';

/** An answer as it was first given: status and body. */
export interface StoredAnswer<T> {
  statusCode: number;
  body: T;
  /** True when this is a retry answered from the store. */
  replayed: boolean;
}

/** What identifies a request for idempotency: the key the client sent and a hash of what it asked. */
export interface IdempotencyRequest {
  key: string | null;
  requestHash: string;
}

const keyPattern = /^[\x21-\x7e]{1,200}$/;

/**
 * Reads `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header): 1-200 visible ASCII characters, or absent.
 * The hash covers method, route and body, so the same key sent with another request is refused, not replayed.
 */
export function idempotencyOf(request: FastifyRequest): IdempotencyRequest {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return { key: null, requestHash: '' };
  if (typeof header !== 'string' || !keyPattern.test(header)) {
    throw new AppError(400, 'bad_request', 'Idempotency-Key must be 1 to 200 visible ASCII characters.', 'Idempotency-Key');
  }
  const hash = createHash('sha256')
    .update(
      `${request.method} ${request.routeOptions.url ?? request.url}\n${JSON.stringify(request.params)}\n${JSON.stringify(request.body ?? null)}`,
    )
    .digest('hex');
  return { key: header, requestHash: hash };
}

/**
 * Runs `work` at most once per (user, key), in the caller's transaction: the key, the effect and the answer commit
 * together, so an answer the client received is never lost and a retry creates nothing. A concurrent retry waits for
 * the first to commit, then gets its answer. If the first attempt failed (rolled back), a retry runs afresh.
 */
export async function runIdempotent<T>(
  tx: Executor,
  userId: string,
  request: IdempotencyRequest,
  work: () => Promise<{ statusCode: number; body: T }>,
): Promise<StoredAnswer<T>> {
  if (request.key === null) return { ...(await work()), replayed: false };
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ userId, key: request.key, requestHash: request.requestHash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length === 0) {
    const [stored] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, request.key)));
    if (!stored || stored.requestHash !== request.requestHash || stored.statusCode === null) {
      throw new AppError(
        409,
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request.',
        'Idempotency-Key',
      );
    }
    return { statusCode: stored.statusCode, body: stored.response as T, replayed: true };
  }
  const answer = await work();
  await tx
    .update(idempotencyKeys)
    .set({ statusCode: answer.statusCode, response: sql`${JSON.stringify(answer.body)}::jsonb` })
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, request.key)));
  return { ...answer, replayed: false };
}
