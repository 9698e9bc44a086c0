import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { npiCheckDigit } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { accessGrants, outsideAccessRequests, users } from '../../db/schema/index.ts';
import { buildPractice, buildUser } from '../../test/factories.ts';
import { fullProxyCategories } from '../proxies/proxy-access.ts';

/** A valid NPI nobody holds yet. */
export function freshNpi(): string {
  const nine = `1${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
  return `${nine}${npiCheckDigit(nine)}`;
}

/** An outside provider (NPI holder) of a practice of the organization, with a name, credentials and a locale. */
export async function buildOutsideProvider(
  db: Database,
  organizationId: string,
  options: { name?: string; practiceName?: string; practiceId?: string; locale?: 'en' | 'es'; credentials?: string } = {},
) {
  const practiceId = options.practiceId ?? (await buildPractice(db, organizationId, options.practiceName)).id;
  const user = await buildUser(db, { role: 'outside_provider', organizationId, practiceId, mfa: true });
  const npi = freshNpi();
  const [row] = await db
    .update(users)
    .set({
      displayName: options.name ?? `Dr. Provider ${randomBytes(3).toString('hex')}`,
      credentials: options.credentials ?? 'MD',
      npi,
      locale: options.locale ?? 'en',
    })
    .where(eq(users.id, user.id))
    .returning();
  return { ...row!, practiceId };
}

/** A proxy grant on the patient held by a new account (a guardian when `relationship` says so). */
export async function buildProxyOf(
  db: Database,
  organizationId: string,
  patientId: string,
  values: Partial<typeof accessGrants.$inferInsert> = {},
) {
  const user = await buildUser(db, { role: 'proxy', organizationId });
  const [grant] = await db
    .insert(accessGrants)
    .values({ granteeUserId: user.id, patientId, kind: 'proxy', level: 'full', categories: [...fullProxyCategories], ...values })
    .returning();
  return { user, grantId: grant!.id };
}

/** An outside provider's access request stored directly (the MyPatients route that makes it has its own tests). */
export async function buildOutsideRequest(
  db: Database,
  values: Omit<typeof outsideAccessRequests.$inferInsert, 'kind' | 'routedTo'> & Partial<typeof outsideAccessRequests.$inferInsert>,
) {
  const [row] = await db
    .insert(outsideAccessRequests)
    .values({ kind: 'non_pcp', routedTo: 'patient', reason: 'Cardiology follow-up', ...values })
    .returning();
  return row!;
}
