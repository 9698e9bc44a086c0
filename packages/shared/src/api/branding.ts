import { z } from 'zod';
import { hexColorPattern } from '../contrast.ts';
import { isoDateTime } from './common.ts';
import { brandingLimits } from '../brand.ts';

/** A colour as `#rrggbb`; stored and answered in lower case. */
export const brandColor = z
  .string()
  .regex(hexColorPattern, 'Write the colour as # and six hexadecimal digits, for example #0f766e.')
  .transform((value) => value.toLowerCase());

/** The organization's display name: one line, trimmed, bounded; no control characters (it goes into emails and PDFs). */
export const brandName = z
  .string()
  .trim()
  .min(1, 'Enter the organization’s name.')
  .max(brandingLimits.nameMaxLength, `Use at most ${brandingLimits.nameMaxLength} characters.`)
  .regex(/^[^\p{Cc}\u2028\u2029]*$/u, 'Write the name on one line, without control characters.');

/** PUT /api/admin/branding: the name and the primary colour (its contrast is checked on save). */
export const brandingBody = z.object({ name: brandName, primaryColor: brandColor });

/**
 * GET /api/branding, public (the sign-in page needs it): the deployment's organization as people see it. Nothing in it
 * is about a patient or a user.
 */
export const brandingView = z.object({
  name: z.string(),
  primaryColor: z.string().regex(hexColorPattern),
  /** `/api/branding/logo?v=<version>`, or null without a logo; the version changes with the image. */
  logoUrl: z.string().nullable(),
});
/** The public branding. */
export type BrandingView = z.infer<typeof brandingView>;

/** GET /api/admin/branding and the answer of every admin change: the administrator's organization, with logo facts. */
export const adminBrandingView = brandingView.extend({
  logo: z
    .object({ type: z.enum(brandingLimits.logoTypes), sizeBytes: z.number().int(), width: z.number().int(), height: z.number().int() })
    .nullable(),
  /** When the branding was last saved; null while the organization uses the defaults. */
  updatedAt: isoDateTime.nullable(),
});
/** The branding as its administrator sees it. */
export type AdminBrandingView = z.infer<typeof adminBrandingView>;
