import { useId } from 'react';
import { Link } from 'react-router';
import { inboxPaths } from './inbox-text.ts';
import { usePools } from './inbox-queries.ts';

/**
 * The staff home's way into the inbox: each pool's unread and open counts as text and one link, so the patient search
 * stays a single Tab from the page's heading and its results a few more.
 */
export function InboxSummaryLink() {
  const pools = usePools();
  const headingId = useId();
  const unread = pools.data?.reduce((sum, pool) => sum + pool.unread, 0) ?? null;
  return (
    <section className="inbox-callout" aria-labelledby={headingId}>
      <h2 id={headingId} className="inbox-callout__title">
        Care-team inbox
      </h2>
      {pools.isError ? (
        <p>We could not count your messages just now.</p>
      ) : unread === null ? (
        <p role="status">Counting your messages…</p>
      ) : pools.data && pools.data.length === 0 ? (
        <p>You do not belong to any care-team pool yet, so no patient messages come to you.</p>
      ) : (
        <>
          <p>
            {unread === 0 ? 'No unread threads in your pools.' : `${unread} unread ${unread === 1 ? 'thread' : 'threads'} in your pools.`}
          </p>
          <ul className="inbox-callout__pools">
            {pools.data?.map((pool) => (
              <li key={pool.departmentId}>
                {pool.name}: {pool.unread} unread, {pool.open} open
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="inbox-callout__link">
        <Link to={inboxPaths.home}>Open the inbox</Link>
      </p>
    </section>
  );
}
