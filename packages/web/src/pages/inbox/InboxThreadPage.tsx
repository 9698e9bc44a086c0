import { useId } from 'react';
import { Link, useParams } from 'react-router';
import type { InboxThreadDetail } from '@portico/shared';
import { Conversation } from '../../components/inbox/Conversation.tsx';
import { inboxPaths, kindLabel, threadStatusLabel, topicLabel } from '../../components/inbox/inbox-text.ts';
import { useInboxThread, usePools, useRefreshInbox } from '../../components/inbox/inbox-queries.ts';
import { RefillPanel } from '../../components/inbox/RefillPanel.tsx';
import { ReplyForm } from '../../components/inbox/ReplyForm.tsx';
import { Assignment, CloseThread, ForwardThread } from '../../components/inbox/ThreadActions.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { formatBirthDate, formatDateTime } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

type Thread = InboxThreadDetail['thread'];

/** Whose thread this is, named with MRN and birth date so nobody answers the wrong patient; "Open chart" beside it. */
function PatientHeader({ patient }: { patient: Thread['patient'] }) {
  const headerId = useId();
  return (
    <section className="chart-header" aria-labelledby={headerId}>
      <p className="chart-header__label">Patient</p>
      <p className="chart-header__name" id={headerId}>
        {patient.name}
      </p>
      <dl className="details details--inline chart-header__details">
        <div>
          <dt>MRN</dt>
          <dd>{patient.mrn}</dd>
        </div>
        <div>
          <dt>Date of birth</dt>
          <dd>{formatBirthDate(patient.birthDate)}</dd>
        </div>
      </dl>
      <p className="chart-header__actions">
        <Link className="button button--secondary button--small" to={`/patients/${encodeURIComponent(patient.id)}/chart`}>
          Open chart
        </Link>
      </p>
    </section>
  );
}

/** The thread's facts: pool, topic, kind, status in words, who it is with, last activity. */
function ThreadFacts({ thread, poolName }: { thread: Thread; poolName: string | null }) {
  return (
    <dl className="details record-details">
      <div>
        <dt>Pool</dt>
        <dd>{poolName ?? thread.recipientLabel}</dd>
      </div>
      <div>
        <dt>Written to</dt>
        <dd>{thread.recipientLabel}</dd>
      </div>
      <div>
        <dt>Topic</dt>
        <dd>{topicLabel(thread.topic)}</dd>
      </div>
      <div>
        <dt>Kind</dt>
        <dd>{kindLabel(thread.kind)}</dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd>
          <strong>{threadStatusLabel(thread.status)}</strong>
        </dd>
      </div>
      <div>
        <dt>Last activity</dt>
        <dd>{formatDateTime(thread.lastActivityAt)}</dd>
      </div>
    </dl>
  );
}

/**
 * `/inbox/threads/:threadId`: one thread as the care team works it. The server answers 404 for a thread outside the
 * reader's pools, which shows as "not found" with no data. Reading it marks it read for this staff member.
 */
export function InboxThreadPage() {
  const user = useSignedInUser();
  const allowed = hasAbility(user, 'inbox.use');
  const { threadId = '' } = useParams();
  const query = useInboxThread(threadId, allowed);
  const pools = usePools(allowed);
  const refresh = useRefreshInbox();
  const conversationId = useId();
  useDocumentTitle(query.data ? `Inbox: ${query.data.thread.subject}` : 'Inbox thread');
  if (!allowed) return <NotFoundPage />;

  if (!query.data) {
    return (
      <div className="page">
        <h1>Message thread</h1>
        {query.isError ? (
          <QueryProblem
            error={query.error}
            what="this thread"
            onRetry={() => void query.refetch()}
            back={{ to: inboxPaths.home, label: 'Go to your inbox' }}
          />
        ) : (
          <p role="status">Loading the thread…</p>
        )}
      </div>
    );
  }

  const { thread, messages, refill } = query.data;
  const pool = pools.data?.find((p) => p.departmentId === thread.departmentId) ?? null;
  return (
    <div className="page">
      <p className="back-link">
        <Link to={inboxPaths.pool(thread.departmentId)}>{pool ? `${pool.name} threads` : 'Back to the pool'}</Link>
      </p>
      <PatientHeader patient={thread.patient} />
      <h1>{thread.subject}</h1>
      <ThreadFacts thread={thread} poolName={pool?.name ?? null} />
      <Assignment thread={thread} onChanged={refresh} />
      {thread.previousThreadId && (
        <p>
          This thread follows up <Link to={inboxPaths.thread(thread.previousThreadId)}>an earlier, closed thread</Link>.
        </p>
      )}

      {refill && <RefillPanel threadId={thread.id} refill={refill} canDecide={hasAbility(user, 'refills.decide')} onChanged={refresh} />}

      <section className="section" aria-labelledby={conversationId}>
        <h2 id={conversationId}>Conversation</h2>
        <Conversation messages={messages} />
      </section>

      {thread.status === 'closed' ? (
        <p className="notice">This thread is closed, so no more replies or notes can be added.</p>
      ) : (
        <ReplyForm threadId={thread.id} departmentId={thread.departmentId} onChanged={refresh} />
      )}
      <ForwardThread thread={thread} />
      <CloseThread thread={thread} onChanged={refresh} />
    </div>
  );
}
