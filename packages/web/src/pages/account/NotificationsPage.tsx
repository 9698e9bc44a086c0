import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { NotificationEvent } from '@portico/shared';
import { messageKeys, saveNotificationPreferences, type NotificationPreference } from '../../api/messages.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { showSendProblem } from '../../components/messages/form-problems.ts';
import { useNotificationSettings } from '../../components/messages/message-queries.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { hasMemberships } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';

/** The events in the order the page lists them, each with what it means for a patient and for the care team. */
const events: readonly { event: NotificationEvent; title: string; patient: string; staff: string }[] = [
  {
    event: 'new_message',
    title: 'New messages',
    patient: 'When a new message arrives for you.',
    staff: 'When a patient writes to a care team you belong to.',
  },
  {
    event: 'message_reply',
    title: 'Replies',
    patient: 'When your care team replies to one of your messages.',
    staff: 'When there is a reply in a conversation with your care team.',
  },
  {
    event: 'refill_decision',
    title: 'Refill decisions',
    patient: 'When your care team approves or turns down a refill request.',
    staff: 'When a refill request is decided.',
  },
  {
    event: 'new_result',
    title: 'New test results',
    patient: 'When a new test result is ready in your health record.',
    staff: 'When a new test result is ready.',
  },
];

type Channel = 'email' | 'sms';

/** Every event the server knows for this account, in the page's order; events it did not send are not offered. */
function ordered(preferences: readonly NotificationPreference[]): NotificationPreference[] {
  return events.flatMap(({ event }) => preferences.filter((p) => p.event === event));
}

/** What the event means for this person: the care team's wording for anyone with a membership, else the patient's. */
function meaningOf(event: NotificationEvent, forStaff: boolean): string {
  const entry = events.find((e) => e.event === event);
  if (!entry) return '';
  return forStaff ? entry.staff : entry.patient;
}

/** `/account/notifications`: for each event, whether to be told by email, by text message, both or neither. */
export function NotificationsPage() {
  useDocumentTitle('Notifications');
  const user = useSignedInUser();
  const queryClient = useQueryClient();
  const query = useNotificationSettings();
  const [edits, setEdits] = useState<NotificationPreference[] | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const preferences = ordered(edits ?? query.data?.preferences ?? []);
  const smsAvailable = query.data?.smsAvailable ?? true;

  function change(event: NotificationEvent, channel: Channel, on: boolean) {
    setSaved(false);
    setEdits(preferences.map((p) => (p.event === event ? { ...p, [channel]: on } : p)));
  }

  async function submit(formEvent: FormEvent) {
    formEvent.preventDefault();
    if (pending) return;
    setSaved(false);
    setPending(true);
    try {
      const answer = await saveNotificationPreferences(preferences);
      queryClient.setQueryData(messageKeys.notifications(), answer);
      setEdits(null);
      errors.clear();
      setSaved(true);
    } catch (error) {
      // The server names `preferences` when it refuses a choice (texts without a mobile number): link the first text box.
      const firstSms = preferences.find((p) => p.sms) ?? preferences[0];
      showSendProblem(errors, error, (field) => (field === 'preferences' && firstSms ? `notify-${firstSms.event}-sms` : null));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page">
      <p className="back-link">
        <Link to="/account/security">Security settings</Link>
      </p>
      <h1>Notifications</h1>
      <p className="lede">
        Choose how Portico tells you that something is waiting. Emails and texts only say that there is something to read; for your privacy
        they never say what it is, so you sign in to read it.
      </p>
      {query.isError && !query.data ? (
        <QueryProblem error={query.error} what="your notification choices" onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <p role="status">Loading your notification choices…</p>
      ) : (
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <ErrorSummary errors={errors} />
          {!smsAvailable && (
            <p className="notice" id="notify-sms-unavailable">
              Text messages need a mobile number on file, and there is none on your account. Ask your clinic to add one; then you can choose
              texts here.
            </p>
          )}
          {preferences.map((preference) => {
            const entry = events.find((e) => e.event === preference.event);
            const hintId = `notify-${preference.event}-hint`;
            return (
              <fieldset className="fieldset messaging-choice" key={preference.event} aria-describedby={hintId}>
                <legend>{entry?.title ?? preference.event}</legend>
                <p className="field__hint" id={hintId}>
                  {meaningOf(preference.event, hasMemberships(user))}
                </p>
                <div className="messaging-choice__channels">
                  <div className="checkbox">
                    <input
                      type="checkbox"
                      id={`notify-${preference.event}-email`}
                      checked={preference.email}
                      onChange={(event) => change(preference.event, 'email', event.target.checked)}
                    />
                    <label htmlFor={`notify-${preference.event}-email`}>Email</label>
                  </div>
                  <div className="checkbox">
                    <input
                      type="checkbox"
                      id={`notify-${preference.event}-sms`}
                      checked={preference.sms}
                      disabled={!smsAvailable}
                      aria-describedby={smsAvailable ? undefined : 'notify-sms-unavailable'}
                      onChange={(event) => change(preference.event, 'sms', event.target.checked)}
                    />
                    <label htmlFor={`notify-${preference.event}-sms`}>Text message</label>
                  </div>
                </div>
              </fieldset>
            );
          })}
          {saved && <StatusMessage tone="success">Saved. Portico will tell you about these events as you chose.</StatusMessage>}
          <button type="submit" className="button" disabled={pending}>
            Save choices
          </button>
        </form>
      )}
    </div>
  );
}
