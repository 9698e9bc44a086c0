import { z } from 'zod';

/** GET /api/health: the process is up. */
export const healthResponse = z.object({ status: z.literal('ok') });

/** GET /api/ready: the process can serve (database answers). */
export const readyResponse = z.object({ status: z.literal('ready') });
