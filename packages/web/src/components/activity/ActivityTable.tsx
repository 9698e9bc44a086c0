import { useId, type RefObject } from 'react';
import { formatZonedDateTime, type ActivityEntry } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatLocale } from '../../lib/format.ts';
import { relationshipText, roleText, whatText } from './activity-text.ts';

/** Props of the log's table. */
interface ActivityTableProps {
  entries: readonly ActivityEntry[];
  /** The record's time zone: times show in it, as the day filters read it. */
  timeZone: string;
  isFiltered: boolean;
  /** The table's wrapper; each row's header cell carries `data-row` so "Show more" can move focus to the first new one. */
  tableRef: RefObject<HTMLDivElement | null>;
}

/** Who acted, as the reader reads it: "You (name)" for the reader, a name as data (never translated). */
function Who({ entry }: { entry: ActivityEntry }) {
  const t = useT();
  if (entry.who.role === 'system') return <>{t('activity.who.system')}</>;
  if (entry.via === 'share_link' && entry.who.userId === null) return <>{t('activity.who.shareLink')}</>;
  const name = entry.who.name ? <span translate="no">{entry.who.name}</span> : t('activity.who.unknown');
  if (!entry.who.isYou) return <>{name}</>;
  return <>{t('activity.who.you', { name: entry.who.name ?? t('activity.who.unknown') })}</>;
}

/**
 * The log as a table with a caption, newest first; on a narrow column each row stacks into labelled lines
 * (`table--stack` with `data-label`), so it reflows at 320 CSS pixels without sideways scrolling.
 */
export function ActivityTable({ entries, timeZone, isFiltered, tableRef }: ActivityTableProps) {
  const t = useT();
  const captionId = useId();
  const locale = formatLocale();
  const labels = {
    who: t('activity.column.who'),
    role: t('activity.column.role'),
    what: t('activity.column.what'),
    onBehalfOf: t('activity.column.onBehalfOf'),
    relationship: t('activity.column.relationship'),
  };
  const caption = isFiltered ? t('activity.table.captionFiltered') : t('activity.table.caption');
  // The caption names the table and its region; the same words show as the heading above it, since a caption
  // squeezes into one narrow column when the table stacks on a phone.
  return (
    <>
      <h2>{caption}</h2>
      <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0} ref={tableRef}>
        <table className="table table--stack">
          <caption id={captionId} className="visually-hidden">
            {caption}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('activity.column.when')}</th>
              <th scope="col">{labels.who}</th>
              <th scope="col">{labels.role}</th>
              <th scope="col">{labels.what}</th>
              <th scope="col">{labels.onBehalfOf}</th>
              <th scope="col">{labels.relationship}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, index) => (
              <tr key={entry.id}>
                <th scope="row" data-row={index} tabIndex={-1}>
                  <time dateTime={entry.at}>{formatZonedDateTime(entry.at, timeZone, locale) ?? entry.at}</time>
                </th>
                <td data-label={labels.who}>
                  <Who entry={entry} />
                </td>
                <td data-label={labels.role}>
                  {roleText(t, entry.who.role)}
                  {entry.who.organization && (
                    <span className="record-meta" translate="no">
                      {entry.who.organization}
                    </span>
                  )}
                </td>
                <td data-label={labels.what}>{whatText(t, entry)}</td>
                <td data-label={labels.onBehalfOf}>
                  {entry.onBehalfOf ? (
                    entry.onBehalfOf.isYou ? (
                      t('activity.onBehalfOf.you')
                    ) : (
                      <span translate="no">{entry.onBehalfOf.name}</span>
                    )
                  ) : (
                    <span className="muted">{t('activity.none')}</span>
                  )}
                </td>
                <td data-label={labels.relationship}>{relationshipText(t, entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
