import type { ProxyArea, ProxyLevel, ProxyRelationship, SensitiveCategoryName } from '@portico/shared';
import type { MessageId } from '@portico/shared/i18n';
import type { SharingEntry } from '../../api/sharing.ts';
import type { useT } from '../../i18n/i18n-context.ts';
import { formatLocale } from '../../lib/format.ts';

type Translate = ReturnType<typeof useT>;

/**
 * The words of the Sharing and privacy page. The lists repeat the shared contract's (api/proxies.ts) as plain arrays, so
 * the page does not load zod; `satisfies` keeps them to the contract's names.
 */

/** The areas a proxy may be given, in the order the invite form offers them. */
export const areaChoices = ['record', 'appointments', 'messages', 'billing'] as const satisfies readonly ProxyArea[];

/** The sensitive categories a patient may share per person, in the order the form lists them. */
export const sensitiveChoices = [
  'mental_health',
  'substance_use',
  'sexual_reproductive',
  'hiv',
  'genetics',
] as const satisfies readonly SensitiveCategoryName[];

const areaLabels: Record<ProxyArea, MessageId> = {
  record: 'sharing.area.record',
  appointments: 'sharing.area.appointments',
  messages: 'sharing.area.messages',
  billing: 'sharing.area.billing',
};

const sensitiveLabels: Record<SensitiveCategoryName, MessageId> = {
  mental_health: 'sharing.sensitive.mental_health',
  substance_use: 'sharing.sensitive.substance_use',
  sexual_reproductive: 'sharing.sensitive.sexual_reproductive',
  hiv: 'sharing.sensitive.hiv',
  genetics: 'sharing.sensitive.genetics',
};

const relationshipLabels: Record<ProxyRelationship, MessageId> = {
  guardian: 'sharing.relationship.guardian',
  invited: 'sharing.relationship.invited',
  legal_representative: 'sharing.relationship.legal_representative',
};

/**
 * What each kind of entry is called; a new kind (an outside provider, an app, a share link) adds its name here and shows
 * on the same page with the same facts and the same revoke button.
 */
const kindLabels: Record<SharingEntry['kind'], MessageId> = {
  proxy: 'sharing.kind.proxy',
  care_team: 'sharing.kind.care_team',
  approved_request: 'sharing.kind.approved_request',
  token: 'sharing.kind.token',
  app: 'sharing.kind.app',
  share_link: 'sharing.kind.share_link',
};

/** An area's name in words. */
export function areaLabel(t: Translate, area: ProxyArea): string {
  return t(areaLabels[area]);
}

/** A sensitive category's name in words. */
export function sensitiveLabel(t: Translate, category: SensitiveCategoryName): string {
  return t(sensitiveLabels[category]);
}

/** Words joined as the page's language lists them ("A, B and C"). */
export function listInWords(items: readonly string[]): string {
  return new Intl.ListFormat(formatLocale(), { style: 'long', type: 'conjunction' }).format(items);
}

/** What a level and its areas let the person see, in words. */
export function accessInWords(t: Translate, level: ProxyLevel, areas: readonly ProxyArea[]): string {
  if (level === 'full') return t('sharing.level.full');
  return listInWords(areaChoices.filter((area) => areas.includes(area)).map((area) => areaLabel(t, area)));
}

/** How an entry relates to the patient: the proxy relationship when there is one, else the kind of entry. */
export function relationshipInWords(t: Translate, entry: Pick<SharingEntry, 'kind' | 'relationship'>): string {
  return entry.relationship ? t(relationshipLabels[entry.relationship]) : t(kindLabels[entry.kind]);
}

/** The kind of an entry in words (the heading of its group). */
export function kindInWords(t: Translate, kind: SharingEntry['kind']): string {
  return t(kindLabels[kind]);
}
