/**
 * Organization branding (issue 10 §2): the name, primary colour and logo people see on every page, in emails and on the
 * record PDF. Anyone may read the deployment's branding (the sign-in page shows it; it holds nothing about a patient);
 * an administrator (`organization.brand`) changes their own organization's, and every change is audited with it.
 */
import type { z } from 'zod';
import {
  brandingLimits,
  contrastRatio,
  defaultBrandColor,
  formatContrastRatio,
  productName,
  type AdminBrandingView,
  type brandingBody,
  type BrandingView,
} from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { organizationFor, type Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { findBrandingOf, findDeploymentBranding, findLogoOf, saveBrandingText, saveLogo, type BrandingRow } from './branding.repository.ts';
import { checkLogoImage } from './logo-image.ts';

/** Where the public logo is served; the branding answer adds `?v=` and the first 16 hex digits of its SHA-256. */
export const publicLogoPath = '/api/branding/logo';
/** Where an administrator's own organization's logo is served (the admin page's preview). */
export const adminLogoPath = '/api/admin/branding/logo';

/** The version of a logo in its URL: enough of its hash that a new image never shares a URL with the old one. */
export function logoVersionOf(sha256: string): string {
  return sha256.slice(0, 16);
}

/** The name, colour and logo an organization shows: its own choices, else its name and Portico's colour. */
function viewOf(row: BrandingRow, logoPath: string): BrandingView {
  return {
    name: row.displayName ?? row.organizationName,
    primaryColor: row.primaryColor ?? defaultBrandColor,
    logoUrl: row.logoSha256 ? `${logoPath}?v=${logoVersionOf(row.logoSha256)}` : null,
  };
}

function adminViewOf(row: BrandingRow): AdminBrandingView {
  const { logoType, logoSizeBytes: sizeBytes, logoWidth: width, logoHeight: height } = row;
  const hasLogo = logoType !== null && sizeBytes !== null && width !== null && height !== null;
  return {
    ...viewOf(row, adminLogoPath),
    logo: hasLogo ? { type: logoType === 'image/jpeg' ? 'image/jpeg' : 'image/png', sizeBytes, width, height } : null,
    updatedAt: row.updatedAt?.toISOString() ?? null,
  };
}

/** GET /api/branding: the deployment's organization (the oldest, see findDeploymentBranding); Portico's own before any exists. */
export async function getPublicBranding(db: Database): Promise<BrandingView> {
  const row = await findDeploymentBranding(db);
  return row ? viewOf(row, publicLogoPath) : { name: productName, primaryColor: defaultBrandColor, logoUrl: null };
}

/** What emails are signed with: the deployment's organization's name, or null before any organization exists. */
export async function deploymentBrandName(db: Database): Promise<string | null> {
  const row = await findDeploymentBranding(db);
  return row ? (row.displayName ?? row.organizationName) : null;
}

/** What a document (the record PDF) prints for an organization: its name, colour, and logo with its pixel size. */
export interface DocumentBranding {
  name: string;
  primaryColor: string;
  logo: { bytes: Buffer; width: number; height: number } | null;
}

/** The branding of an organization for its documents. */
export async function documentBrandingOf(db: Database, organizationId: string): Promise<DocumentBranding> {
  const row = await findBrandingOf(db, organizationId);
  if (!row) throw notFound('The organization');
  const { name, primaryColor } = viewOf(row, publicLogoPath);
  const stored = row.logoSha256 ? await findLogoOf(db, organizationId) : undefined;
  const logo = stored && row.logoWidth && row.logoHeight ? { bytes: stored.logo, width: row.logoWidth, height: row.logoHeight } : null;
  return { name, primaryColor, logo };
}

/** The organization whose branding the actor keeps (administrators: `organization.brand`), or 403. */
function organizationOf(actor: Actor): string {
  const organizationId = organizationFor(actor, 'organization.brand');
  if (organizationId === null) throw forbidden('Only an administrator can change the organization’s branding.');
  return organizationId;
}

async function adminView(db: Database, organizationId: string): Promise<AdminBrandingView> {
  const row = await findBrandingOf(db, organizationId);
  if (!row) throw notFound('The organization');
  return adminViewOf(row);
}

/** GET /api/admin/branding: the administrator's own organization, with the logo's facts. */
export async function getAdminBranding(db: Database, actor: Actor): Promise<AdminBrandingView> {
  return adminView(db, organizationOf(actor));
}

/**
 * The primary colour is the background of buttons with white text and the colour of links on white, so it must reach
 * WCAG 2.2 AA for text (1.4.3: 4.5:1) against white; the refusal says what it reaches.
 */
function checkContrast(color: string): void {
  const ratio = contrastRatio(color, '#ffffff');
  if (ratio >= brandingLimits.minContrast) return;
  throw new AppError(
    400,
    'validation_failed',
    `primaryColor: ${color} has a contrast of ${formatContrastRatio(ratio)}:1 against white; at least ${brandingLimits.minContrast}:1 is needed for white text on buttons and for links.`,
    'primaryColor',
  );
}

/** PUT /api/admin/branding: the name and primary colour, contrast checked, audited in the same transaction. */
export async function saveBranding(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  body: z.output<typeof brandingBody>,
): Promise<AdminBrandingView> {
  const organizationId = organizationOf(actor);
  checkContrast(body.primaryColor);
  await db.transaction(async (tx) => {
    const before = await findBrandingOf(tx, organizationId);
    if (!before) throw notFound('The organization');
    await saveBrandingText(tx, organizationId, { displayName: body.name, primaryColor: body.primaryColor }, actor.userId);
    await recordAudit(tx, audit, {
      action: 'organization.branding.update',
      outcome: 'success',
      objectType: 'Organization',
      objectId: organizationId,
      details: {
        nameChanged: (before.displayName ?? before.organizationName) !== body.name,
        primaryColor: body.primaryColor,
        previousPrimaryColor: before.primaryColor ?? defaultBrandColor,
      },
    });
  });
  return adminView(db, organizationId);
}

/** An uploaded logo as the route read it. */
export interface LogoUpload {
  bytes: Buffer;
  declaredType: string;
}

/** PUT /api/admin/branding/logo: a PNG or JPEG checked from its bytes (logo-image.ts), stored without its metadata. */
export async function saveBrandingLogo(db: Database, actor: Actor, audit: AuditContext, upload: LogoUpload): Promise<AdminBrandingView> {
  const organizationId = organizationOf(actor);
  const logo = checkLogoImage(upload.bytes, upload.declaredType);
  await db.transaction(async (tx) => {
    const before = await findBrandingOf(tx, organizationId);
    if (!before) throw notFound('The organization');
    const defaults = { displayName: before.organizationName, primaryColor: defaultBrandColor };
    await saveLogo(tx, organizationId, logo, defaults, actor.userId);
    await recordAudit(tx, audit, {
      action: 'organization.logo.update',
      outcome: 'success',
      objectType: 'Organization',
      objectId: organizationId,
      details: { type: logo.type, sizeBytes: logo.bytes.length, width: logo.width, height: logo.height, sha256: logo.sha256 },
    });
  });
  return adminView(db, organizationId);
}

/** DELETE /api/admin/branding/logo: the organization shows its name alone again. */
export async function removeBrandingLogo(db: Database, actor: Actor, audit: AuditContext): Promise<AdminBrandingView> {
  const organizationId = organizationOf(actor);
  await db.transaction(async (tx) => {
    const before = await findBrandingOf(tx, organizationId);
    if (!before) throw notFound('The organization');
    const defaults = { displayName: before.organizationName, primaryColor: defaultBrandColor };
    await saveLogo(tx, organizationId, null, defaults, actor.userId);
    await recordAudit(tx, audit, {
      action: 'organization.logo.remove',
      outcome: 'success',
      objectType: 'Organization',
      objectId: organizationId,
      details: { hadLogo: before.logoSha256 !== null },
    });
  });
  return adminView(db, organizationId);
}

/** A logo to send: bytes, type, and its SHA-256 for the ETag. */
export interface LogoFile {
  bytes: Buffer;
  type: string;
  sha256: string;
}

/** GET /api/branding/logo: the deployment's logo, or 404. */
export async function getPublicLogo(db: Database): Promise<LogoFile> {
  const row = await findDeploymentBranding(db);
  const logo = row?.logoSha256 ? await findLogoOf(db, row.organizationId) : undefined;
  if (!logo) throw notFound('The logo');
  return { bytes: logo.logo, type: logo.logoType, sha256: logo.logoSha256 };
}

/** GET /api/admin/branding/logo: the administrator's own organization's logo, or 404. */
export async function getAdminLogo(db: Database, actor: Actor): Promise<LogoFile> {
  const logo = await findLogoOf(db, organizationOf(actor));
  if (!logo) throw notFound('The logo');
  return { bytes: logo.logo, type: logo.logoType, sha256: logo.logoSha256 };
}
