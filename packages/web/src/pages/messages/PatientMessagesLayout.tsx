import { useMemo } from 'react';
import { Outlet } from 'react-router';
import { MessagingScopeContext, type MessagingScope } from '../../components/messages/messaging-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { hasMemberships } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';

/** Why a signed-in user has no messages of their own to show. */
function NoOwnMessages({ isPatient }: { isPatient: boolean }) {
  useDocumentTitle('Messages');
  return (
    <div className="page page--narrow">
      <h1>Messages</h1>
      {isPatient ? (
        <p className="empty-state">
          Your account is not linked to a health record yet, so you cannot send messages here. Contact your clinic and they can link it for
          you.
        </p>
      ) : (
        <p>These pages are where patients write to their care team. Messages from patients reach you in your care team’s inbox.</p>
      )}
    </div>
  );
}

/** `/messages/*`: the signed-in patient's messages and refill requests; the patient id comes from the session, never from the URL. */
export function PatientMessagesLayout() {
  const user = useSignedInUser();
  const patientId = user.patientId;
  const scope = useMemo<MessagingScope | null>(() => (patientId ? { patientId } : null), [patientId]);
  if (!scope) return <NoOwnMessages isPatient={!hasMemberships(user)} />;
  return (
    <MessagingScopeContext value={scope}>
      <Outlet />
    </MessagingScopeContext>
  );
}
