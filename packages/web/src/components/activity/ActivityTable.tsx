import { Fragment, useEffect, useId, useRef, useState, type RefObject } from 'react';
import { Link } from 'react-router';
import { formatZonedDateTime, type ActivityEntry, type ActivityQuestionAnswer } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatLocale } from '../../lib/format.ts';
import { StatusMessage } from '../StatusMessage.tsx';
import { relationshipText, roleText, whatText } from './activity-text.ts';
import { AskWhyForm } from './AskWhyForm.tsx';

/** Props of the log's table. */
interface ActivityTableProps {
  /** Whose log it is: questions about an entry are asked on this record. */
  patientId: string;
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

/** Whether the reader may ask about an entry: someone else's access, not the reader's own nor Portico's own work. */
function isAskable(entry: ActivityEntry): boolean {
  return !entry.who.isYou && entry.who.role !== 'system';
}

/**
 * The log as a table with a caption, newest first; on a narrow column each row stacks into labelled lines
 * (`table--stack` with `data-label`), so it reflows at 320 CSS pixels without sideways scrolling.
 */
export function ActivityTable({ patientId, entries, timeZone, isFiltered, tableRef }: ActivityTableProps) {
  const t = useT();
  const captionId = useId();
  const rowIds = useId();
  // One question form open at a time; what each question became stays shown under its entry.
  const [asking, setAsking] = useState<string | null>(null);
  const [asked, setAsked] = useState<Readonly<Record<string, ActivityQuestionAnswer>>>({});
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const statuses = useRef(new Map<string, HTMLDivElement>());
  const [focusStatus, setFocusStatus] = useState<string | null>(null);

  // Once a question is sent its status takes focus, so the news and its link are read at once.
  useEffect(() => {
    if (focusStatus === null) return;
    statuses.current.get(focusStatus)?.focus();
    setFocusStatus(null);
  }, [focusStatus]);

  function sent(entryId: string, answer: ActivityQuestionAnswer) {
    setAsked((previous) => ({ ...previous, [entryId]: answer }));
    setAsking(null);
    setFocusStatus(entryId);
  }

  function cancel(entryId: string) {
    setAsking(null);
    buttons.current.get(entryId)?.focus();
  }

  const locale = formatLocale();
  const labels = {
    who: t('activity.column.who'),
    role: t('activity.column.role'),
    what: t('activity.column.what'),
    onBehalfOf: t('activity.column.onBehalfOf'),
    relationship: t('activity.column.relationship'),
    question: t('activity.column.question'),
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
              <th scope="col">{labels.question}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, index) => (
              <Fragment key={entry.id}>
                <tr>
                  <th scope="row" data-row={index} tabIndex={-1} id={`${rowIds}-${index}-when`}>
                    <time dateTime={entry.at}>{formatZonedDateTime(entry.at, timeZone, locale) ?? entry.at}</time>
                  </th>
                  <td data-label={labels.who} id={`${rowIds}-${index}-who`}>
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
                  <td data-label={labels.question}>
                    {isAskable(entry) ? (
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        aria-expanded={asking === entry.id}
                        aria-describedby={`${rowIds}-${index}-who ${rowIds}-${index}-when`}
                        ref={(node) => {
                          if (node) buttons.current.set(entry.id, node);
                          else buttons.current.delete(entry.id);
                        }}
                        onClick={() => setAsking(asking === entry.id ? null : entry.id)}
                      >
                        {t('activity.question.button')}
                      </button>
                    ) : (
                      <span className="muted">{t('activity.none')}</span>
                    )}
                  </td>
                </tr>
                {(asking === entry.id || asked[entry.id]) && (
                  <tr className="activity-question-row">
                    <td colSpan={7}>
                      {asking === entry.id ? (
                        <AskWhyForm
                          patientId={patientId}
                          eventId={entry.id}
                          onSent={(answer) => sent(entry.id, answer)}
                          onCancel={() => cancel(entry.id)}
                        />
                      ) : (
                        <div
                          tabIndex={-1}
                          ref={(node) => {
                            if (node) statuses.current.set(entry.id, node);
                            else statuses.current.delete(entry.id);
                          }}
                        >
                          <StatusMessage tone="success">
                            <p>{t(asked[entry.id]?.existing ? 'activity.question.sentExisting' : 'activity.question.sent')}</p>
                            <p>
                              <Link to={`/messages/${encodeURIComponent(asked[entry.id]?.threadId ?? '')}`}>
                                {t('activity.question.open')}
                              </Link>
                            </p>
                          </StatusMessage>
                        </div>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
