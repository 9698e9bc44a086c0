import { useEffect } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { messageKeys } from '../../api/messages.ts';
import { Conversation } from '../../components/messages/Conversation.tsx';
import { useThread } from '../../components/messages/message-queries.ts';
import { threadStatusMessage, topicMessage } from '../../components/messages/message-text.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { messagePaths, useMessagingScope } from '../../components/messages/messaging-scope.ts';
import { RefillDetails } from '../../components/messages/RefillDetails.tsx';
import { ReplyForm } from '../../components/messages/ReplyForm.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';

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
  const t = useT();
  useDocumentTitle(t('messages.thread.title'));
  const { patientId } = useMessagingScope();
  const { threadId = '' } = useParams();
  const location = useLocation();
  const queryClient = useQueryClient();
  const query = useThread(patientId, threadId);
  const back = { to: messagePaths.list, label: t('messages.allMessages') };
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
        <h1>{t('messages.thread.title')}</h1>
        {query.isError ? (
          <QueryProblem error={query.error} what={t('messages.thread.what')} onRetry={() => void query.refetch()} back={back} />
        ) : (
          <p role="status">{t('messages.thread.loading')}</p>
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
      <h1 className="break-anywhere" translate="no">
        {thread.subject}
      </h1>
      {justSent(location.state) && <StatusMessage tone="success">{t('messages.thread.sent')}</StatusMessage>}
      {thread.confidential && <p className="notice">{t('messages.thread.private')}</p>}
      <dl className="details details--inline">
        <div>
          <dt>{t('messages.thread.with')}</dt>
          <dd translate="no">{thread.recipientLabel}</dd>
        </div>
        <div>
          <dt>{t('messages.thread.topic')}</dt>
          <dd>{t(topicMessage(thread.topic))}</dd>
        </div>
        <div>
          <dt>{t('messages.thread.status')}</dt>
          <dd>
            <strong>{t(threadStatusMessage(thread.status))}</strong>
          </dd>
        </div>
      </dl>
      {thread.previousThreadId && (
        <p>
          <RichMessage
            id="messages.thread.followsUp"
            parts={{ link: <Link to={messagePaths.thread(thread.previousThreadId)}>{t('messages.thread.followsUpLink')}</Link> }}
          />
        </p>
      )}
      {refill && (
        <section className="section" aria-labelledby="thread-refill">
          <h2 id="thread-refill">{t('messages.thread.refillHeading')}</h2>
          <RefillDetails refill={refill} />
        </section>
      )}
      <section className="section" aria-labelledby="thread-messages">
        <h2 id="thread-messages">{t('messages.title')}</h2>
        <Conversation patientId={patientId} messages={messages} />
      </section>
      {thread.canReply ? (
        <ReplyForm key={thread.id} patientId={patientId} threadId={thread.id} />
      ) : (
        <section className="section" aria-labelledby="thread-closed">
          <h2 id="thread-closed">{t(closed ? 'messages.thread.closedHeading' : 'messages.thread.repliesOffHeading')}</h2>
          <div className="notice">
            <p>{t(closed ? 'messages.thread.closedText' : 'messages.thread.repliesOffText')}</p>
            <p>
              <Link to={messagePaths.compose} state={{ previousThreadId: thread.id }}>
                {t('messages.thread.followUp')}
              </Link>
            </p>
          </div>
        </section>
      )}
    </div>
  );
}
