import { brandingLimits, darken, darkenToContrast } from '@portico/shared';

/**
 * The lightest background text sits on in the app (base.css `--info-bg`, notices and highlighted rows); the page
 * (`--page`) and the surfaces are lighter. Links and hover shades are made to reach 4.5:1 against it too.
 */
const tintedBackground = '#eaf2fb';

/** The colours the page derives from an organization's primary colour, each reaching WCAG AA for text (4.5:1). */
export interface BrandShades {
  /** Buttons' background (white text) and accents: the colour itself (the server checked 4.5:1 against white). */
  primary: string;
  /** Buttons and links under the pointer: a fifth darker, and at least 4.5:1 against the tinted background. */
  hover: string;
  /** Links: the colour itself, darkened only as far as reading it on the tinted background needs. */
  link: string;
}

/** The shades of a primary colour (see BrandShades). */
export function brandShades(primary: string): BrandShades {
  const { minContrast } = brandingLimits;
  return {
    primary,
    hover: darkenToContrast(darken(primary, 0.2), tintedBackground, minContrast),
    link: darkenToContrast(primary, tintedBackground, minContrast),
  };
}
