import { useState } from 'react';
import { useBranding, useBrandName } from './branding-queries.ts';

/** Props of the organization's mark. */
export interface BrandMarkProps {
  /**
   * Show the name beside the logo (the default). Without it the logo alone stands for the organization and its alt text
   * is the name; with no logo to show, the name shows anyway.
   */
  showName?: boolean;
  className?: string;
}

/**
 * The organization's logo and name, as its administrator set them (GET /api/branding), for the header and the sign-in
 * page. The logo is decoration beside the name (empty alt, so the name is read once); the name is data, never
 * translated. Until the branding arrives it shows Portico's name alone, and a logo that fails to load is left out.
 * It renders inline content only: place it inside the header's home link, which gives the link its name.
 */
export function BrandMark({ showName = true, className }: BrandMarkProps) {
  const logoUrl = useBranding()?.logoUrl ?? null;
  const name = useBrandName();
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const logo = logoUrl !== null && logoUrl !== failedUrl ? logoUrl : null;
  const nameShown = showName || logo === null;
  return (
    <span className={className ? `brand-mark ${className}` : 'brand-mark'}>
      {logo && (
        <img className="brand-mark__logo" src={logo} alt={nameShown ? '' : name} translate="no" onError={() => setFailedUrl(logo)} />
      )}
      {nameShown && (
        <span className="brand-mark__name" translate="no">
          {name}
        </span>
      )}
    </span>
  );
}
