import type { portalRulesView, PortalRules } from '@portico/shared';
import { apiRequest, shapeOf } from './client.ts';

/** The query key of the administrator's own organization's portal rules. */
export const portalRulesKey = ['admin', 'portal-rules'] as const;

/** GET /api/admin/portal-rules: from what age patients have their own account, and whether nurses mark arrival. */
export function fetchPortalRules(): Promise<PortalRules> {
  return apiRequest('GET', '/api/admin/portal-rules', shapeOf<typeof portalRulesView>());
}

/** PUT /api/admin/portal-rules: both rules; the answer is what is now stored. */
export function savePortalRules(body: PortalRules): Promise<PortalRules> {
  return apiRequest('PUT', '/api/admin/portal-rules', shapeOf<typeof portalRulesView>(), { body });
}
