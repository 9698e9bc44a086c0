/** SQL for organization branding (issue 10 §2); every method takes its executor. */
import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { organizationBranding, organizations } from '../../db/schema/index.ts';
import type { CheckedLogo } from './logo-image.ts';

/** An organization with its branding row's columns (null where it has none), the logo's bytes left out. */
export interface BrandingRow {
  organizationId: string;
  organizationName: string;
  displayName: string | null;
  primaryColor: string | null;
  logoType: string | null;
  logoSha256: string | null;
  logoWidth: number | null;
  logoHeight: number | null;
  logoSizeBytes: number | null;
  updatedAt: Date | null;
}

/** A stored logo. */
export interface LogoRow {
  logo: Buffer;
  logoType: string;
  logoSha256: string;
}

const brandingColumns = {
  organizationId: organizations.id,
  organizationName: organizations.name,
  displayName: organizationBranding.displayName,
  primaryColor: organizationBranding.primaryColor,
  logoType: organizationBranding.logoType,
  logoSha256: organizationBranding.logoSha256,
  logoWidth: organizationBranding.logoWidth,
  logoHeight: organizationBranding.logoHeight,
  logoSizeBytes: sql<number | null>`octet_length(${organizationBranding.logo})`.mapWith(Number),
  updatedAt: organizationBranding.updatedAt,
};

/**
 * The deployment's organization and its branding: Portico runs one organization per deployment, and where a database
 * holds several (a test, an import of another practice) the oldest is the one the public pages present. Undefined
 * before any organization exists.
 */
export async function findDeploymentBranding(db: Executor): Promise<BrandingRow | undefined> {
  const [row] = await db
    .select(brandingColumns)
    .from(organizations)
    .leftJoin(organizationBranding, eq(organizationBranding.organizationId, organizations.id))
    .orderBy(asc(organizations.createdAt), asc(organizations.id))
    .limit(1);
  return row;
}

/** One organization and its branding. */
export async function findBrandingOf(db: Executor, organizationId: string): Promise<BrandingRow | undefined> {
  const [row] = await db
    .select(brandingColumns)
    .from(organizations)
    .leftJoin(organizationBranding, eq(organizationBranding.organizationId, organizations.id))
    .where(eq(organizations.id, organizationId));
  return row;
}

/** An organization's logo, if it has one. */
export async function findLogoOf(db: Executor, organizationId: string): Promise<LogoRow | undefined> {
  const [row] = await db
    .select({ logo: organizationBranding.logo, logoType: organizationBranding.logoType, logoSha256: organizationBranding.logoSha256 })
    .from(organizationBranding)
    .where(eq(organizationBranding.organizationId, organizationId));
  if (!row?.logo || !row.logoType || !row.logoSha256) return undefined;
  return { logo: row.logo, logoType: row.logoType, logoSha256: row.logoSha256 };
}

/** Saves the name and colour, creating the branding row when the organization has none yet. */
export async function saveBrandingText(
  db: Executor,
  organizationId: string,
  values: { displayName: string; primaryColor: string },
  updatedBy: string,
): Promise<void> {
  const changes = { ...values, updatedAt: new Date(), updatedBy };
  await db
    .insert(organizationBranding)
    .values({ organizationId, ...changes })
    .onConflictDoUpdate({ target: organizationBranding.organizationId, set: changes });
}

/**
 * Sets (or, with null, removes) the logo. An organization without a branding row gets one with `defaults` (its own
 * name and Portico's colour), so a logo can be the first thing an administrator sets.
 */
export async function saveLogo(
  db: Executor,
  organizationId: string,
  logo: CheckedLogo | null,
  defaults: { displayName: string; primaryColor: string },
  updatedBy: string,
): Promise<void> {
  const changes = {
    logo: logo?.bytes ?? null,
    logoType: logo?.type ?? null,
    logoSha256: logo?.sha256 ?? null,
    logoWidth: logo?.width ?? null,
    logoHeight: logo?.height ?? null,
    updatedAt: new Date(),
    updatedBy,
  };
  await db
    .insert(organizationBranding)
    .values({ organizationId, ...defaults, ...changes })
    .onConflictDoUpdate({ target: organizationBranding.organizationId, set: changes });
}
