import { useId } from 'react';
import { Link, useParams } from 'react-router';
import type { InboxThreadDetail } from '@portico/shared';
import { AccessInQuestion } from '../../components/inbox/AccessInQuestion.tsx';
import { Conversation } from '../../components/inbox/Conversation.tsx';
import { inboxPaths } from '../../components/inbox/inbox-paths.ts';
import { kindMessage, threadStatusMessage, topicMessage } from '../../components/inbox/inbox-text.ts';
import { useInboxThread, usePools, useRefreshInbox } from '../../components/inbox/inbox-queries.ts';
import { RefillPanel } from '../../components/inbox/RefillPanel.tsx';
import { ReplyForm } from '../../components/inbox/ReplyForm.tsx';
import { Assignment, CloseThread, ForwardThread } from '../../components/inbox/ThreadActions.tsx';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate, formatDateTime } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

type Thread = InboxThreadDetail['thread'];

/** Whose thread this is, named with MRN and birth date so nobody answers the wrong patient; "Open chart" beside it. */
function PatientHeader({ patient }: { patient: Thread['patient'] }) {
  const t = useT();
  const headerId = useId();
  return (
    <section className="chart-header" aria-labelledby={headerId}>
      <p className="chart-header__label">{t('inbox.label.patient')}</p>
      <p className="chart-header__name" id={headerId} translate="no">
        {patient.name}
      </p>
      <dl className="details details--inline chart-header__details">
        <div>
          <dt>{t('inbox.label.mrn')}</dt>
          <dd translate="no">{patient.mrn}</dd>
        </div>
        <div>
          <dt>{t('inbox.label.birthDate')}</dt>
          <dd>{formatBirthDate(patient.birthDate)}</dd>
        </div>
      </dl>
      <p className="chart-header__actions">
        <Link className="button button--secondary button--small" to={`/patients/${encodeURIComponent(patient.id)}/chart`}>
          {t('inbox.thread.openChart')}
        </Link>
      </p>
    </section>
  );
}

/** The thread's facts: pool, topic, kind, status in words, who it is with, last activity. */
function ThreadFacts({ thread, poolName }: { thread: Thread; poolName: string | null }) {
  const t = useT();
  return (
    <dl className="details record-details">
      <div>
        <dt>{t('inbox.label.pool')}</dt>
        <dd translate="no">{poolName ?? thread.recipientLabel}</dd>
      </div>
      <div>
        <dt>{t('inbox.label.writtenTo')}</dt>
        <dd translate="no">{thread.recipientLabel}</dd>
      </div>
      <div>
        <dt>{t('inbox.label.topic')}</dt>
        <dd>{t(topicMessage(thread.topic))}</dd>
      </div>
      <div>
        <dt>{t('inbox.label.kind')}</dt>
        <dd>{t(kindMessage(thread.kind))}</dd>
      </div>
      <div>
        <dt>{t('inbox.label.status')}</dt>
        <dd>
          <strong>{t(threadStatusMessage(thread.status))}</strong>
        </dd>
      </div>
      <div>
        <dt>{t('inbox.label.lastActivity')}</dt>
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
  const t = useT();
  const user = useSignedInUser();
  const allowed = hasAbility(user, 'inbox.use');
  const { threadId = '' } = useParams();
  const query = useInboxThread(threadId, allowed);
  const pools = usePools(allowed);
  const refresh = useRefreshInbox();
  const conversationId = useId();
  useDocumentTitle(query.data ? t('inbox.titleWith', { name: query.data.thread.subject }) : t('inbox.thread.title'));
  if (!allowed) return <NotFoundPage />;

  if (!query.data) {
    return (
      <div className="page">
        <h1>{t('inbox.thread.heading')}</h1>
        {query.isError ? (
          <QueryProblem
            error={query.error}
            what={t('inbox.thread.what')}
            onRetry={() => void query.refetch()}
            back={{ to: inboxPaths.home, label: t('inbox.thread.goToInbox') }}
          />
        ) : (
          <p role="status">{t('inbox.thread.loading')}</p>
        )}
      </div>
    );
  }

  const { thread, messages, refill, accessInQuestion } = query.data;
  const pool = pools.data?.find((p) => p.departmentId === thread.departmentId) ?? null;
  return (
    <div className="page">
      <p className="back-link">
        <Link to={inboxPaths.pool(thread.departmentId)}>
          {pool ? (
            <RichMessage id="inbox.thread.poolThreads" parts={{ pool: <span translate="no">{pool.name}</span> }} />
          ) : (
            t('inbox.thread.backToPool')
          )}
        </Link>
      </p>
      <PatientHeader patient={thread.patient} />
      <h1 translate="no">{thread.subject}</h1>
      {thread.confidential && <p className="notice notice--warning">{t('inbox.thread.private')}</p>}
      <ThreadFacts thread={thread} poolName={pool?.name ?? null} />
      <Assignment thread={thread} onChanged={refresh} />
      {thread.previousThreadId && (
        <p>
          <RichMessage
            id="inbox.thread.followsUp"
            parts={{ link: <Link to={inboxPaths.thread(thread.previousThreadId)}>{t('inbox.thread.followsUpLink')}</Link> }}
          />
        </p>
      )}

      {thread.topic === 'privacy' && <AccessInQuestion entry={accessInQuestion} />}

      {refill && <RefillPanel threadId={thread.id} refill={refill} canDecide={hasAbility(user, 'refills.decide')} onChanged={refresh} />}

      <section className="section" aria-labelledby={conversationId}>
        <h2 id={conversationId}>{t('inbox.thread.conversation')}</h2>
        <Conversation messages={messages} patientName={thread.patient.name} />
      </section>

      {thread.status === 'closed' ? (
        <p className="notice">{t('inbox.thread.closed')}</p>
      ) : (
        <ReplyForm threadId={thread.id} departmentId={thread.departmentId} onChanged={refresh} />
      )}
      <ForwardThread thread={thread} />
      <CloseThread thread={thread} onChanged={refresh} />
    </div>
  );
}
