/** An organization's branding as plain values (no zod): limits, the default colour and the product's name. */

/** Limits of an organization's branding (issue 10 §2), enforced by the server and hinted by the admin page. */
export const brandingLimits = {
  nameMaxLength: 80,
  /** A logo is shown small in the header and on the record PDF; 200 KB is plenty for a PNG or JPEG of that size. */
  logoMaxBytes: 200 * 1024,
  /** Widest and tallest a logo may be, in pixels: a small file can still declare a huge image to decode. */
  logoMaxPixels: 1024,
  /**
   * Image types a logo may be, read from the bytes. No SVG: an SVG is a document that can carry script and links, and
   * a PNG or JPEG is only pixels.
   */
  logoTypes: ['image/png', 'image/jpeg'] as const,
  /**
   * Contrast the primary colour must reach against white (WCAG 2.2 1.4.3 AA for normal text): it is the background of
   * buttons with white text and the colour of links on white.
   */
  minContrast: 4.5,
} as const;

/** One logo type. */
export type LogoType = (typeof brandingLimits.logoTypes)[number];

/** The primary colour when an organization has not chosen one: Portico's own blue (8.4:1 against white). */
export const defaultBrandColor = '#0b4f8a';

/** The name shown when the deployment has no organization yet. */
export const productName = 'Portico';
