import { useEffect } from 'react';

/** Sets the tab title for the current page, so each page is announced and findable by name. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – Portico`;
  }, [title]);
}
