import { useEffect } from 'react';
import { useBrandName } from '../branding/branding-queries.ts';

/**
 * Sets the tab title for the current page, "<page> – <organization>", so each page is announced and findable by name;
 * the organization's name is its branding's (Portico's until that arrives).
 */
export function useDocumentTitle(title: string): void {
  const organization = useBrandName();
  useEffect(() => {
    document.title = `${title} – ${organization}`;
  }, [title, organization]);
}
