import { useId } from 'react';
import { Link } from 'react-router';
import { useT } from '../../i18n/i18n-context.ts';
import { inboxPaths } from './inbox-paths.ts';
import { usePools } from './inbox-queries.ts';

/**
 * The staff home's way into the inbox: each pool's unread and open counts as text and one link, so the patient search
 * stays a single Tab from the page's heading and its results a few more.
 */
export function InboxSummaryLink() {
  const t = useT();
  const pools = usePools();
  const headingId = useId();
  const unread = pools.data?.reduce((sum, pool) => sum + pool.unread, 0) ?? null;
  return (
    <section className="inbox-callout" aria-labelledby={headingId}>
      <h2 id={headingId} className="inbox-callout__title">
        {t('inbox.summary.heading')}
      </h2>
      {pools.isError ? (
        <p>{t('inbox.summary.failed')}</p>
      ) : unread === null ? (
        <p role="status">{t('inbox.summary.counting')}</p>
      ) : pools.data && pools.data.length === 0 ? (
        <p>{t('inbox.summary.noPools')}</p>
      ) : (
        <>
          <p>{t('inbox.summary.unread', { unread })}</p>
          <ul className="inbox-callout__pools">
            {pools.data?.map((pool) => (
              <li key={pool.departmentId}>
                <span translate="no">{pool.name}</span>: {t('inbox.pool.counts', { unread: pool.unread, todo: pool.todo, open: pool.open })}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="inbox-callout__link">
        <Link to={inboxPaths.home}>{t('inbox.summary.open')}</Link>
      </p>
    </section>
  );
}
