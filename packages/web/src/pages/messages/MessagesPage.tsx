import { Link } from 'react-router';
import { messagePaths, useMessagingScope } from '../../components/messages/messaging-scope.ts';
import { ThreadList } from '../../components/messages/ThreadList.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';

/** `/messages`: the patient's conversations with their care team, newest activity first. */
export function MessagesPage() {
  useDocumentTitle('Messages');
  const { patientId } = useMessagingScope();
  return (
    <div className="page">
      <h1>Messages</h1>
      <p className="lede">
        Write to your care team about something that is not urgent, and read their answers. Messages are not for emergencies: if this is an
        emergency, call 911.
      </p>
      <div className="button-row">
        <Link className="button" to={messagePaths.compose}>
          New message
        </Link>
        <Link className="button button--secondary" to={messagePaths.newRefill}>
          Request a refill
        </Link>
      </div>
      <p>
        <Link to={messagePaths.refills}>Your refill requests</Link> and what was decided.
      </p>
      <section className="section" aria-labelledby="messages-conversations">
        <h2 id="messages-conversations">Conversations</h2>
        <ThreadList patientId={patientId} />
      </section>
    </div>
  );
}
