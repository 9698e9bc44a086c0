import type { IdentityMethod, ProxyArea, ProxyLevel } from '@portico/shared';
import type { FieldError } from '../../hooks/use-form-errors.ts';
import type { useT } from '../../i18n/i18n-context.ts';

/** The translator a page gets from useT(). */
type Translate = ReturnType<typeof useT>;

/** The ways staff check identity, in the order the list offers them (the contract's identityMethods). */
export const identityChoices: readonly IdentityMethod[] = ['photo_id', 'birth_certificate', 'court_order', 'power_of_attorney', 'other'];
/** The areas a proxy may be limited to (the contract's proxyAreas). */
export const areaChoices: readonly ProxyArea[] = ['record', 'appointments', 'messages', 'billing'];

/** What staff choose when they give access: how they checked identity, what the proxy sees, until when, and a note. */
export interface AccessDraft {
  identityMethod: IdentityMethod | '';
  level: ProxyLevel;
  areas: readonly ProxyArea[];
  /** YYYY-MM-DD, or empty for no end date. */
  endsOn: string;
  note: string;
}

/** A new draft: full access, no end, nothing chosen yet. */
export const emptyAccessDraft: AccessDraft = { identityMethod: '', level: 'full', areas: [], endsOn: '', note: '' };

/** The ids of the fields, from the form's base id (the error summary links to them). */
export function accessFieldIds(baseId: string) {
  return {
    identity: `${baseId}-identity`,
    areas: `${baseId}-area-${areaChoices[0]}`,
    endsOn: `${baseId}-ends`,
    note: `${baseId}-note`,
  };
}

/** A day in the browser's calendar, YYYY-MM-DD. */
function dayOf(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** What is wrong with a draft, each problem beside its field. */
export function checkAccessDraft(t: Translate, draft: AccessDraft, baseId: string, now = new Date()): FieldError[] {
  const ids = accessFieldIds(baseId);
  const problems: FieldError[] = [];
  if (!draft.identityMethod) problems.push({ id: ids.identity, message: t('proxies.errors.identityRequired') });
  if (draft.level === 'areas' && draft.areas.length === 0) problems.push({ id: ids.areas, message: t('proxies.errors.areaRequired') });
  if (draft.endsOn && draft.endsOn <= dayOf(now)) problems.push({ id: ids.endsOn, message: t('proxies.errors.endsAtPast') });
  return problems;
}

/** The part of a request body a draft makes: the end date becomes the end of that day in the browser's zone. */
export function accessBodyOf(draft: AccessDraft) {
  return {
    identityMethod: draft.identityMethod as IdentityMethod,
    level: draft.level,
    areas: draft.level === 'full' ? [] : areaChoices.filter((a) => draft.areas.includes(a)),
    ...(draft.endsOn ? { endsAt: new Date(`${draft.endsOn}T23:59:59`).toISOString() } : {}),
    ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
  };
}

/** The field a server error names, among the draft's, or null. */
export function accessFieldOf(baseId: string, field: string | undefined): string | null {
  const ids = accessFieldIds(baseId);
  if (field === 'identityMethod') return ids.identity;
  if (field === 'areas' || field === 'level') return ids.areas;
  if (field === 'endsAt') return ids.endsOn;
  if (field === 'note') return ids.note;
  return null;
}
