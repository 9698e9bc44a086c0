import { useEffect } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { messageKeys } from '../../api/messages.ts';
import { Conversation } from '../../components/messages/Conversation.tsx';
import { useThread } from '../../components/messages/message-queries.ts';
import { threadStatusLabel, topicLabel } from '../../components/messages/message-text.ts';
import { messagePaths, useMessagingScope } from '../../components/messages/messaging-scope.ts';
import { RefillDetails } from '../../components/messages/RefillDetails.tsx';
import { ReplyForm } from '../../components/messages/ReplyForm.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';

/** Whether the page was opened straight after sending the thread's first message (router state, not the URL). */
function justSent(state: unknown): boolean {
  return typeof state === 'object' && state !== null && 'sent' in state && state.sent === true;
}

/**
 * `/messages/:threadId`: one conversation, oldest message first, with a reply box while it is open. A closed one
 * offers a new message that follows it (the closed thread's id travels in router state, never in the URL).
 */
export function ThreadPage() {
  // The subject is the patient's own words: it stays out of the tab title, which other software can read.
  useDocumentTitle('Conversation');
  const { patientId } = useMessagingScope();
  const { threadId = '' } = useParams();
  const location = useLocation();
  const queryClient = useQueryClient();
  const query = useThread(patientId, threadId);
  const back = { to: messagePaths.list, label: 'All messages' };
  const readAt = query.dataUpdatedAt;

  // Reading the thread marks it read on the server: the list and the navigation's count are out of date now.
  useEffect(() => {
    if (readAt === 0) return;
    void queryClient.invalidateQueries({ queryKey: messageKeys.threads(patientId) });
    void queryClient.invalidateQueries({ queryKey: messageKeys.unread(patientId) });
  }, [queryClient, patientId, readAt]);

  if (!query.data) {
    return (
      <div className="page">
        <h1>Conversation</h1>
        {query.isError ? (
          <QueryProblem error={query.error} what="this conversation" onRetry={() => void query.refetch()} back={back} />
        ) : (
          <p role="status">Loading the conversation…</p>
        )}
      </div>
    );
  }

  const { thread, messages, refill } = query.data;
  const closed = thread.status === 'closed';
  return (
    <div className="page">
      <p className="back-link">
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1 className="break-anywhere">{thread.subject}</h1>
      {justSent(location.state) && (
        <StatusMessage tone="success">Your message was sent. Your care team will see it in their inbox.</StatusMessage>
      )}
      <dl className="details details--inline">
        <div>
          <dt>With</dt>
          <dd>{thread.recipientLabel}</dd>
        </div>
        <div>
          <dt>Topic</dt>
          <dd>{topicLabel(thread.topic)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <strong>{threadStatusLabel(thread.status)}</strong>
          </dd>
        </div>
      </dl>
      {thread.previousThreadId && (
        <p>
          This follows up <Link to={messagePaths.thread(thread.previousThreadId)}>an earlier conversation</Link>.
        </p>
      )}
      {refill && (
        <section className="section" aria-labelledby="thread-refill">
          <h2 id="thread-refill">Refill request</h2>
          <RefillDetails refill={refill} />
        </section>
      )}
      <section className="section" aria-labelledby="thread-messages">
        <h2 id="thread-messages">Messages</h2>
        <Conversation patientId={patientId} messages={messages} />
      </section>
      {thread.canReply ? (
        <ReplyForm key={thread.id} patientId={patientId} threadId={thread.id} />
      ) : (
        <section className="section" aria-labelledby="thread-closed">
          <h2 id="thread-closed">{closed ? 'This conversation is closed' : 'Replies are off for this conversation'}</h2>
          <div className="notice">
            <p>
              {closed
                ? 'Your care team closed this conversation, so you cannot reply to it. If you have more to ask, start a new message: your care team will see it follows this one.'
                : 'You cannot reply here. If you have more to ask, start a new message: your care team will see it follows this one.'}
            </p>
            <p>
              <Link to={messagePaths.compose} state={{ previousThreadId: thread.id }}>
                Start a new message about this
              </Link>
            </p>
          </div>
        </section>
      )}
    </div>
  );
}
