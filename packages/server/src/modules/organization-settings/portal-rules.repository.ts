/** SQL for an organization's portal rules (issue 11 §1); every method takes its executor. */
import { eq, sql } from 'drizzle-orm';
import type { NonPcpRequestDecider, PortalRules, TeenAccountAge } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { organizationBranding, organizations } from '../../db/schema/index.ts';

/** An organization's rules, with what the sign-up age check also needs (its name as people see it, its calendar zone). */
export interface PortalRulesRow extends PortalRules {
  /** The branding's display name, else the organization's own. */
  organizationName: string;
  timeZone: string;
}

/** The column holds 12 or 13 (a check constraint); anything else is read as the safer 13. */
function teenAgeOf(value: number): TeenAccountAge {
  return value === 12 ? 12 : 13;
}

/** The column holds patient or support (a check constraint); anything else is read as the default, the patient. */
function deciderOf(value: string): NonPcpRequestDecider {
  return value === 'support' ? 'support' : 'patient';
}

/** One organization's portal rules, locked `for update` when asked (a change reads what it replaces). */
export async function findPortalRules(db: Executor, organizationId: string, forUpdate = false): Promise<PortalRulesRow | undefined> {
  const query = db
    .select({
      teenAccountAge: organizations.teenAccountAge,
      nursesMarkArrival: organizations.nursesMarkArrival,
      nonPcpRequestsTo: organizations.nonPcpRequestsTo,
      organizationName: sql<string>`coalesce(${organizationBranding.displayName}, ${organizations.name})`,
      timeZone: organizations.timeZone,
    })
    .from(organizations)
    .leftJoin(organizationBranding, eq(organizationBranding.organizationId, organizations.id))
    .where(eq(organizations.id, organizationId));
  const [row] = forUpdate ? await query.for('update', { of: organizations }) : await query;
  return row ? { ...row, teenAccountAge: teenAgeOf(row.teenAccountAge), nonPcpRequestsTo: deciderOf(row.nonPcpRequestsTo) } : undefined;
}

/** Stores the rules. */
export async function savePortalRules(db: Executor, organizationId: string, rules: PortalRules): Promise<void> {
  await db
    .update(organizations)
    .set({ teenAccountAge: rules.teenAccountAge, nursesMarkArrival: rules.nursesMarkArrival, nonPcpRequestsTo: rules.nonPcpRequestsTo })
    .where(eq(organizations.id, organizationId));
}
