import { proxyAreaCategories, proxyAreas, type DataCategory, type ProxyArea, type ProxyLevel } from '@portico/shared';

/**
 * How the contract's level and areas (issue 11 §1) are stored: a proxy grant keeps the DB level `full` and its
 * `categories` say what it opens. `full` holds every category a patient has on their own record, the settings
 * (`preferences`) included; chosen areas hold their categories (proxyAreaCategories) plus `demographics` (the name
 * and birth date). The level is read back from the categories, so there is one source of truth. The DB level
 * `limited` stays the staff-set "no sensitive category at all" grant, and the 12-17 limit is the age rule's, not stored.
 */
export const fullProxyCategories: readonly DataCategory[] = [
  'demographics',
  'clinical',
  'appointments',
  'billing',
  'preferences',
  'messages',
];

/** The categories a proxy grant of this level and these areas holds. */
export function proxyCategoriesOf(level: ProxyLevel, areas: readonly ProxyArea[]): DataCategory[] {
  if (level === 'full') return [...fullProxyCategories];
  const categories = new Set<DataCategory>(['demographics']);
  for (const area of areas) for (const category of proxyAreaCategories[area]) categories.add(category);
  return [...categories];
}

/** The level and areas a grant's categories amount to (what the Sharing and privacy page shows). */
export function proxyAccessOf(categories: readonly string[]): { level: ProxyLevel; areas: ProxyArea[] } {
  const held = new Set(categories);
  if (fullProxyCategories.every((c) => held.has(c))) return { level: 'full', areas: [...proxyAreas] };
  return { level: 'areas', areas: proxyAreas.filter((area) => proxyAreaCategories[area].every((c) => held.has(c))) };
}

/** The areas an invitation stores: none for `full` (it opens everything), the chosen ones once each otherwise. */
export function storedAreas(level: ProxyLevel, areas: readonly ProxyArea[]): ProxyArea[] {
  return level === 'full' ? [] : proxyAreas.filter((a) => areas.includes(a));
}
