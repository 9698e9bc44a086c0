import type { ActivityVia } from '@portico/shared';
import type { useT } from '../../i18n/i18n-context.ts';

type Translate = ReturnType<typeof useT>;

/** The path of a patient's chart: an opaque id only, never what was searched. */
export function chartPath(patientId: string): string {
  return `/patients/${encodeURIComponent(patientId)}/chart`;
}

/** Why the provider may open a chart, in words: their practice is the PCP, the care team, an approved request, a token. */
export function viaLabel(t: Translate, via: ActivityVia): string {
  switch (via) {
    case 'pcp_practice':
      return t('mypatients.via.pcp_practice');
    case 'care_team':
      return t('mypatients.via.care_team');
    case 'approved_request':
      return t('mypatients.via.approved_request');
    case 'token':
      return t('mypatients.via.token');
    default:
      return t('mypatients.via.other');
  }
}
