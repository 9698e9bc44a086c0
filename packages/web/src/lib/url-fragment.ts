import { useEffect, useState } from 'react';

/** Reads `token` from the URL fragment (`#token=...`); emailed links put secrets there so no server or log sees them. */
export function readFragmentToken(hash = window.location.hash): string | null {
  if (!hash.startsWith('#')) return null;
  const token = new URLSearchParams(hash.slice(1)).get('token');
  return token && token.length > 0 ? token : null;
}

/** Removes the fragment from the address bar and the history entry, keeping the router's state. */
export function dropFragment(): void {
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}`);
}

/** The token from an emailed link, read once; the fragment is dropped from the address bar straight away. */
export function useFragmentToken(): string | null {
  const [token] = useState(() => readFragmentToken());
  useEffect(() => {
    if (window.location.hash) dropFragment();
  }, []);
  return token;
}
