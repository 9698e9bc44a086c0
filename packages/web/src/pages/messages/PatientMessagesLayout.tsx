import { useMemo } from 'react';
import { Outlet } from 'react-router';
import { MessagingScopeContext, type MessagingScope } from '../../components/messages/messaging-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasMemberships } from '../../session/abilities.ts';
import { NotShared } from '../../components/NotShared.tsx';
import { allows, useActingFor } from '../../session/acting-for.ts';
import { useSignedInUser } from '../../session/session-context.ts';

/** Why a signed-in user has no messages of their own to show. */
function NoOwnMessages({ isPatient }: { isPatient: boolean }) {
  const t = useT();
  useDocumentTitle(t('messages.title'));
  return (
    <div className="page page--narrow">
      <h1>{t('messages.title')}</h1>
      {isPatient ? <p className="empty-state">{t('messages.noRecord')}</p> : <p>{t('messages.staffNotice')}</p>}
    </div>
  );
}

/** `/messages/*`: the current patient's messages and refill requests (their own, or one they act for); the id is kept in memory, never in the URL. */
export function PatientMessagesLayout() {
  const user = useSignedInUser();
  const { current } = useActingFor();
  const patientId = current?.patientId ?? null;
  const scope = useMemo<MessagingScope | null>(() => (patientId ? { patientId } : null), [patientId]);
  if (!scope) return <NoOwnMessages isPatient={!hasMemberships(user)} />;
  if (current && !allows(current, 'messages')) return <NotShared name={current.displayName} />;
  return (
    <MessagingScopeContext value={scope}>
      <Outlet />
    </MessagingScopeContext>
  );
}
