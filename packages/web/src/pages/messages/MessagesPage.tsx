import { Link } from 'react-router';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { messagePaths, useMessagingScope } from '../../components/messages/messaging-scope.ts';
import { ThreadList } from '../../components/messages/ThreadList.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** `/messages`: the patient's conversations with their care team, newest activity first. */
export function MessagesPage() {
  const t = useT();
  useDocumentTitle(t('messages.title'));
  const { patientId } = useMessagingScope();
  return (
    <div className="page">
      <h1>{t('messages.title')}</h1>
      <p className="lede">{t('messages.lede')}</p>
      <div className="button-row">
        <Link className="button" to={messagePaths.compose}>
          {t('messages.newMessage')}
        </Link>
        <Link className="button button--secondary" to={messagePaths.newRefill}>
          {t('messages.requestRefill')}
        </Link>
      </div>
      <p>
        <RichMessage id="messages.refillsLink" parts={{ link: <Link to={messagePaths.refills}>{t('messages.refills.linkText')}</Link> }} />
      </p>
      <section className="section" aria-labelledby="messages-conversations">
        <h2 id="messages-conversations">{t('messages.conversations')}</h2>
        <ThreadList patientId={patientId} />
      </section>
    </div>
  );
}
