import { useEffect, useReducer } from 'react';
import { hashKey, useQuery, useQueryClient } from '@tanstack/react-query';
import { productName, type BrandingView } from '@portico/shared';
import { brandingKeys, fetchBranding } from '../api/branding.ts';

const publicHash = hashKey(brandingKeys.public());

/**
 * The organization's public branding, fetched once per page load (it changes only when an administrator saves, and
 * the admin page then refreshes it); undefined until it first arrives. Nothing in it is about a patient, so keeping it
 * for the life of the page is fine.
 *
 * Ending a session clears the whole query cache (session/SessionProvider.tsx). A reader that stays mounted through that
 * (BrandingProvider, the header's BrandMark) would go on watching the removed query and miss a later save, so it
 * renders again when the query is removed: useQuery then takes up a new one and fetches it, showing the branding it had
 * meanwhile.
 */
export function useBranding(): BrandingView | undefined {
  const queryClient = useQueryClient();
  const [, rebind] = useReducer((count: number) => count + 1, 0);
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        if (event.type === 'removed' && event.query.queryHash === publicHash) rebind();
      }),
    [queryClient],
  );
  return useQuery({
    queryKey: brandingKeys.public(),
    queryFn: fetchBranding,
    staleTime: Infinity,
    gcTime: Infinity,
    placeholderData: (previous) => previous,
  }).data;
}

/** The name to show for the organization: its branding's, or Portico's own until that arrives. */
export function useBrandName(): string {
  return useBranding()?.name ?? productName;
}
