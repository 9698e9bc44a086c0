import { type adminBrandingView, type brandingView, type AdminBrandingView, type BrandingView } from '@portico/shared';
import { apiRequest, apiUpload, shapeOf } from './client.ts';

/** Query keys of the branding: the public one every page shows, and the administrator's own organization's. */
export const brandingKeys = {
  public: () => ['branding'] as const,
  admin: () => ['admin', 'branding'] as const,
};

/** GET /api/branding: the organization's name, primary colour and logo URL (no session needed). */
export function fetchBranding(): Promise<BrandingView> {
  return apiRequest('GET', '/api/branding', shapeOf<typeof brandingView>());
}

/** GET /api/admin/branding: the administrator's organization, with the logo's facts. */
export function fetchAdminBranding(): Promise<AdminBrandingView> {
  return apiRequest('GET', '/api/admin/branding', shapeOf<typeof adminBrandingView>());
}

/** PUT /api/admin/branding: the name and primary colour (the server checks the contrast again). */
export function saveBranding(body: { name: string; primaryColor: string }): Promise<AdminBrandingView> {
  return apiRequest('PUT', '/api/admin/branding', shapeOf<typeof adminBrandingView>(), { body });
}

/** PUT /api/admin/branding/logo: the image itself as the body. */
export function uploadLogo(file: File): Promise<AdminBrandingView> {
  return apiUpload('/api/admin/branding/logo', file, file.name, shapeOf<typeof adminBrandingView>(), 'PUT');
}

/** DELETE /api/admin/branding/logo */
export function removeLogo(): Promise<AdminBrandingView> {
  return apiRequest('DELETE', '/api/admin/branding/logo', shapeOf<typeof adminBrandingView>());
}
