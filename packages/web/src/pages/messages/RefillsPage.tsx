import { Link, useLocation } from 'react-router';
import { useMessagingScope, messagePaths } from '../../components/messages/messaging-scope.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { useRefills } from '../../components/messages/message-queries.ts';
import { RefillDetails } from '../../components/messages/RefillDetails.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate } from '../../lib/format.ts';

/** Whether the page was opened straight after sending a request (router state, not the URL). */
function justSent(state: unknown): boolean {
  return typeof state === 'object' && state !== null && 'refillSent' in state && state.refillSent === true;
}

/** `/messages/refills`: every refill request, newest first, with its status in words and the reason for a refusal. */
export function RefillsPage() {
  const t = useT();
  useDocumentTitle(t('messages.refills.title'));
  const { patientId } = useMessagingScope();
  const location = useLocation();
  const query = useRefills(patientId);

  return (
    <div className="page">
      <p className="back-link">
        <Link to={messagePaths.list}>{t('messages.allMessages')}</Link>
      </p>
      <h1>{t('messages.refills.title')}</h1>
      {justSent(location.state) && <StatusMessage tone="success">{t('messages.refills.sent')}</StatusMessage>}
      <p className="lede">{t('messages.refills.lede')}</p>
      <div className="button-row">
        <Link className="button" to={messagePaths.newRefill}>
          {t('messages.requestRefill')}
        </Link>
      </div>
      {query.isError && !query.data ? (
        <QueryProblem error={query.error} what={t('messages.refills.what')} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <p role="status">{t('messages.refills.loading')}</p>
      ) : query.data.length === 0 ? (
        <p className="empty-state">{t('messages.refills.empty')}</p>
      ) : (
        <ul className="plain-list record-cards">
          {query.data.map((refill) => (
            <li key={refill.id} className="card">
              <h2 className="card__heading messaging-refill__heading">
                <RichMessage
                  id="messages.refills.cardHeading"
                  values={{ date: formatDate(refill.createdAt) }}
                  parts={{ medications: <span translate="no">{refill.medications.map((m) => m.name).join(', ')}</span> }}
                />
              </h2>
              <RefillDetails refill={refill} />
              <p className="messaging-refill__link">
                <Link to={messagePaths.thread(refill.threadId)}>
                  {t('messages.refills.seeConversation')}
                  <span className="visually-hidden">
                    {' '}
                    {t('messages.refills.seeConversationAbout', { date: formatDate(refill.createdAt) })}
                  </span>
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
