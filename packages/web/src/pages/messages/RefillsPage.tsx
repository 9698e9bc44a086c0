import { Link, useLocation } from 'react-router';
import { useMessagingScope, messagePaths } from '../../components/messages/messaging-scope.ts';
import { useRefills } from '../../components/messages/message-queries.ts';
import { RefillDetails } from '../../components/messages/RefillDetails.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { formatDate } from '../../lib/format.ts';

/** Whether the page was opened straight after sending a request (router state, not the URL). */
function justSent(state: unknown): boolean {
  return typeof state === 'object' && state !== null && 'refillSent' in state && state.refillSent === true;
}

/** `/messages/refills`: every refill request, newest first, with its status in words and the reason for a refusal. */
export function RefillsPage() {
  useDocumentTitle('Refill requests');
  const { patientId } = useMessagingScope();
  const location = useLocation();
  const query = useRefills(patientId);

  return (
    <div className="page">
      <p className="back-link">
        <Link to={messagePaths.list}>All messages</Link>
      </p>
      <h1>Refill requests</h1>
      {justSent(location.state) && (
        <StatusMessage tone="success">
          Your refill request was sent. Your care team will decide on it, and you will see the answer here.
        </StatusMessage>
      )}
      <p className="lede">Ask your care team to renew a prescription, and see what they decided. Newest requests are first.</p>
      <div className="button-row">
        <Link className="button" to={messagePaths.newRefill}>
          Request a refill
        </Link>
      </div>
      {query.isError && !query.data ? (
        <QueryProblem error={query.error} what="your refill requests" onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <p role="status">Loading your refill requests…</p>
      ) : query.data.length === 0 ? (
        <p className="empty-state">You have not asked for a refill through Portico yet.</p>
      ) : (
        <ul className="plain-list record-cards">
          {query.data.map((refill) => (
            <li key={refill.id} className="card">
              <h2 className="card__heading messaging-refill__heading">
                Requested {formatDate(refill.createdAt)}: {refill.medications.map((m) => m.name).join(', ')}
              </h2>
              <RefillDetails refill={refill} />
              <p className="messaging-refill__link">
                <Link to={messagePaths.thread(refill.threadId)}>
                  See the conversation<span className="visually-hidden"> about the refill requested {formatDate(refill.createdAt)}</span>
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
