import { brandingLimits, formatContrastRatio, type LogoType } from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import { errorMessage, isApiError } from '../../api/client.ts';
import type { useT } from '../../i18n/i18n-context.ts';

type T = ReturnType<typeof useT>;

/** The input ids of the branding page, which the error summaries link to. */
export const brandingInputs = { name: 'branding-name', color: 'branding-color', logo: 'branding-logo' } as const;

/** A contrast ratio as the page says it, "4.5" or "4,5", rounded down as the server rounds it. */
export function ratioText(ratio: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(Number(formatContrastRatio(ratio)));
}

/** A file size in whole kilobytes, in the page's language ("200 kB"). */
export function kilobytesText(bytes: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(Math.ceil(bytes / 1024));
}

/** Whether a file's declared type is one a logo may have (the server checks the bytes themselves). */
export function isLogoType(type: string): type is LogoType {
  return (brandingLimits.logoTypes as readonly string[]).includes(type);
}

/** What is wrong with a chosen file before it is sent, or null: its type and its size. */
export function logoFileProblem(file: File, t: T, locale: Locale): string | null {
  if (!isLogoType(file.type)) return t('admin.branding.logo.error.type');
  if (file.size > brandingLimits.logoMaxBytes) {
    return t('admin.branding.logo.error.size', {
      size: kilobytesText(file.size, locale),
      max: kilobytesText(brandingLimits.logoMaxBytes, locale),
    });
  }
  return null;
}

/** A refused upload in the page's words: too large, not a PNG or JPEG, too many pixels, or not usable at all. */
export function logoUploadProblem(error: unknown, file: File, t: T, locale: Locale): string {
  if (isApiError(error, 'payload_too_large')) {
    return t('admin.branding.logo.error.size', {
      size: kilobytesText(file.size, locale),
      max: kilobytesText(brandingLimits.logoMaxBytes, locale),
    });
  }
  if (isApiError(error, 'unsupported_media_type')) return t('admin.branding.logo.error.type');
  if (isApiError(error, 'unprocessable_file')) {
    const pixels = /^The image is (\d+) × (\d+) pixels/.exec(error.message);
    if (pixels) return t('admin.branding.logo.error.pixels', { width: pixels[1], height: pixels[2], max: brandingLimits.logoMaxPixels });
    if (/must be a PNG or JPEG image|^The file's content is/.test(error.message)) return t('admin.branding.logo.error.type');
    return t('admin.branding.logo.error.unusable');
  }
  return errorMessage(error);
}
