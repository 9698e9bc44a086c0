import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { auditEvents, outsideAccessRequests } from '../../db/schema/index.ts';
import { cookieFor } from '../../test/factories.ts';
import { csrfHeaders, type TestApp } from '../../test/test-app.ts';

/** Test support for the support console's tests: requests through app.inject, rows stored directly. */
export function supportClient(t: TestApp) {
  const get = (url: string, session?: string) => t.app.inject({ method: 'GET', url, headers: session ? cookieFor(session) : {} });
  const post = (url: string, payload: object, session?: string) =>
    t.app.inject({ method: 'POST', url, payload, headers: { ...csrfHeaders, ...(session ? cookieFor(session) : {}) } });
  return { get, post };
}

/** An outside access request stored directly (the provider's route has its own tests). */
export async function buildOutsideRequest(
  db: Database,
  values: {
    organizationId: string;
    patientId: string;
    requesterUserId: string;
    kind: 'pcp' | 'non_pcp';
    createdAt?: Date;
    routedTo?: string;
  },
) {
  const [row] = await db
    .insert(outsideAccessRequests)
    .values({ routedTo: 'support', reason: 'New patient at our practice', ...values })
    .returning();
  return row!;
}

/** The audit events of an action about an object. */
export function auditOf(db: Database, action: string, objectId?: string) {
  return db
    .select()
    .from(auditEvents)
    .where(objectId ? and(eq(auditEvents.action, action), eq(auditEvents.objectId, objectId)) : eq(auditEvents.action, action));
}
