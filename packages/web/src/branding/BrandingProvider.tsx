import { useEffect, type ReactNode } from 'react';
import { brandShades } from './brand-shades.ts';
import { useBranding } from './branding-queries.ts';

/**
 * The custom properties the provider sets on :root; styles/branding.css maps them onto the app's colour tokens while
 * :root carries `data-branding`.
 */
const properties = {
  primary: '--brand-primary',
  hover: '--brand-primary-hover',
  link: '--brand-link',
} as const;

/**
 * Fetches the organization's branding once (TanStack Query) and applies its colour to the whole app: `--brand-primary`,
 * a darker `--brand-primary-hover` and a `--brand-link` shade on :root, set through the CSSOM (which the CSP's
 * style-src allows, unlike inline style attributes). Until the branding arrives, and if it never does, the stylesheet's
 * own colours stay. The tab title's suffix follows the name (hooks/use-document-title.ts). It needs the QueryClient
 * and nothing else, so it sits beside the app (`<BrandingProvider />` in main.tsx) or around it.
 */
export function BrandingProvider({ children = null }: { children?: ReactNode }) {
  const primaryColor = useBranding()?.primaryColor;
  useEffect(() => {
    if (!primaryColor) return;
    const root = document.documentElement;
    const style = root.style;
    const shades = brandShades(primaryColor);
    style.setProperty(properties.primary, shades.primary);
    style.setProperty(properties.hover, shades.hover);
    style.setProperty(properties.link, shades.link);
    root.dataset.branding = '';
    return () => {
      for (const property of Object.values(properties)) style.removeProperty(property);
      delete root.dataset.branding;
    };
  }, [primaryColor]);
  return children;
}
