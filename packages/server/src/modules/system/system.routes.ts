import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { healthResponse, readyResponse } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { errorResponses } from '../route-helpers.ts';

/** Liveness and readiness for load balancers and orchestrators. */
export function registerSystemRoutes(app: FastifyInstance, db: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/health', { schema: { tags: ['system'], response: { 200: healthResponse } } }, () => ({ status: 'ok' as const }));
  r.get('/api/ready', { schema: { tags: ['system'], response: { 200: readyResponse, 503: errorResponses[500] } } }, async () => {
    try {
      await db.execute(sql`select 1`);
    } catch {
      throw new AppError(503, 'not_ready', 'The database is not answering.');
    }
    return { status: 'ready' as const };
  });
}
