import { Suspense, useId, type ReactNode } from 'react';
import type { ActivityEntry } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { relationshipText, roleText, whatText } from '../activity/activity-text.ts';

/** Who acted, as the privacy office reads it: the portal name (data, never translated), or Portico itself. */
function whoText(t: ReturnType<typeof useT>, entry: ActivityEntry): string {
  if (entry.who.role === 'system') return t('activity.who.system');
  if (entry.via === 'share_link' && entry.who.userId === null) return t('activity.who.shareLink');
  return entry.who.name ?? t('activity.who.unknown');
}

/** The entry's facts in the activity log's own words (the `activity` area, loaded with the first privacy thread). */
function AccessFacts({ entry }: { entry: ActivityEntry }) {
  const t = useT();
  // [label, value, whether the value is data (a name) that translation tools must leave alone]
  const rows: [string, ReactNode, boolean][] = [
    [t('inbox.access.who'), whoText(t, entry), entry.who.name !== null],
    [t('inbox.access.role'), roleText(t, entry.who.role), false],
    [t('inbox.access.organization'), entry.who.organization ?? t('activity.none'), entry.who.organization !== null],
    [t('inbox.access.when'), <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>, false],
    [t('inbox.access.what'), whatText(t, entry), false],
    [t('inbox.access.via'), relationshipText(t, entry), false],
    [t('inbox.access.onBehalfOf'), entry.onBehalfOf?.name ?? t('activity.none'), entry.onBehalfOf !== null],
  ];
  return (
    <dl className="details record-details">
      {rows.map(([label, value, isData]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd translate={isData ? 'no' : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * A privacy question's card (issue 11 §3): the access the patient asked about, beside their question. `entry` is null
 * when the thread's event is no longer one the log lists.
 */
export function AccessInQuestion({ entry }: { entry: ActivityEntry | null }) {
  const t = useT();
  const headingId = useId();
  return (
    <section className="card section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('inbox.access.heading')}</h2>
      {entry ? (
        <>
          <p>{t('inbox.access.intro')}</p>
          <Suspense fallback={<p role="status">{t('inbox.access.loading')}</p>}>
            <AccessFacts entry={entry} />
          </Suspense>
        </>
      ) : (
        <p>{t('inbox.access.missing')}</p>
      )}
    </section>
  );
}
