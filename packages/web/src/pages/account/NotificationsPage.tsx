import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { isPhoneNumber, type NotificationEvent } from '@portico/shared';
import type { MessageId } from '@portico/shared/i18n';
import { messageKeys, saveNotificationPreferences, type NotificationPreference } from '../../api/messages.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { showSendProblem } from '../../components/messages/form-problems.ts';
import { useNotificationSettings } from '../../components/messages/message-queries.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasMemberships } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';

/** The events in the order the page lists them, each with what it means for a patient and for the care team. */
const events: readonly { event: NotificationEvent; title: MessageId; patient: MessageId; staff: MessageId }[] = [
  {
    event: 'new_message',
    title: 'account.notifications.event.newMessage.title',
    patient: 'account.notifications.event.newMessage.patient',
    staff: 'account.notifications.event.newMessage.staff',
  },
  {
    event: 'message_reply',
    title: 'account.notifications.event.messageReply.title',
    patient: 'account.notifications.event.messageReply.patient',
    staff: 'account.notifications.event.messageReply.staff',
  },
  {
    event: 'refill_decision',
    title: 'account.notifications.event.refillDecision.title',
    patient: 'account.notifications.event.refillDecision.patient',
    staff: 'account.notifications.event.refillDecision.staff',
  },
  {
    event: 'new_result',
    title: 'account.notifications.event.newResult.title',
    patient: 'account.notifications.event.newResult.patient',
    staff: 'account.notifications.event.newResult.staff',
  },
];

type Channel = 'email' | 'sms';

/** The mobile number's input. */
const mobileId = 'notify-mobile-phone';

/** Every event the server knows for this account, in the page's order; events it did not send are not offered. */
function ordered(preferences: readonly NotificationPreference[]): NotificationPreference[] {
  return events.flatMap(({ event }) => preferences.filter((p) => p.event === event));
}

/** What the event means for this person: the care team's wording for anyone with a membership, else the patient's. */
function meaningOf(event: NotificationEvent, forStaff: boolean): MessageId | null {
  const entry = events.find((e) => e.event === event);
  if (!entry) return null;
  return forStaff ? entry.staff : entry.patient;
}

/** `/account/notifications`: for each event, whether to be told by email, by text message, both or neither. */
export function NotificationsPage() {
  const t = useT();
  useDocumentTitle(t('account.notifications.heading'));
  const user = useSignedInUser();
  const queryClient = useQueryClient();
  const query = useNotificationSettings();
  const [edits, setEdits] = useState<NotificationPreference[] | null>(null);
  const [mobileEdit, setMobileEdit] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const preferences = ordered(edits ?? query.data?.preferences ?? []);
  const smsAvailable = query.data?.smsAvailable ?? true;
  const storedMobile = query.data?.mobilePhone ?? '';
  const mobile = mobileEdit ?? storedMobile;
  const wantsTexts = preferences.some((p) => p.sms);

  function change(event: NotificationEvent, channel: Channel, on: boolean) {
    setSaved(false);
    setEdits(preferences.map((p) => (p.event === event ? { ...p, [channel]: on } : p)));
  }

  /** Texts need a mobile number (isPhoneNumber, the server's rule); a number typed in must be one even with texts off. */
  function mobileProblem(): string | null {
    const number = mobile.trim();
    if (wantsTexts && number === '') return t('account.notifications.mobileRequired');
    if ((wantsTexts || number !== storedMobile) && number !== '' && !isPhoneNumber(number)) return t('account.notifications.mobileInvalid');
    return null;
  }

  async function submit(formEvent: FormEvent) {
    formEvent.preventDefault();
    if (pending) return;
    setSaved(false);
    const problem = smsAvailable ? mobileProblem() : null;
    if (problem) {
      errors.show([{ id: mobileId, message: problem }]);
      return;
    }
    setPending(true);
    try {
      const number = mobile.trim();
      const answer = await saveNotificationPreferences(
        preferences,
        smsAvailable && number !== '' && number !== storedMobile ? number : undefined,
      );
      queryClient.setQueryData(messageKeys.notifications(), answer);
      setEdits(null);
      setMobileEdit(null);
      errors.clear();
      setSaved(true);
    } catch (error) {
      // The server names `mobilePhone` (texts without a mobile number, or not a phone number) or `preferences` (a choice
      // it refuses): link the number, or the first text box.
      const firstSms = preferences.find((p) => p.sms) ?? preferences[0];
      showSendProblem(errors, error, (field) =>
        field === 'mobilePhone' ? mobileId : field === 'preferences' && firstSms ? `notify-${firstSms.event}-sms` : null,
      );
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page">
      <p className="back-link">
        <Link to="/account/security">{t('account.notifications.back')}</Link>
      </p>
      <h1>{t('account.notifications.heading')}</h1>
      <p className="lede">{t('account.notifications.lede')}</p>
      {query.isError && !query.data ? (
        <QueryProblem error={query.error} what={t('account.notifications.loadWhat')} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <p role="status">{t('account.notifications.loading')}</p>
      ) : (
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <ErrorSummary errors={errors} />
          {!smsAvailable && (
            <p className="notice" id="notify-sms-unavailable">
              {t('account.notifications.smsUnavailable')}
            </p>
          )}
          {preferences.map((preference) => {
            const entry = events.find((e) => e.event === preference.event);
            const hintId = `notify-${preference.event}-hint`;
            const meaning = meaningOf(preference.event, hasMemberships(user));
            return (
              <fieldset className="fieldset messaging-choice" key={preference.event} aria-describedby={hintId}>
                <legend>{entry ? t(entry.title) : preference.event}</legend>
                <p className="field__hint" id={hintId}>
                  {meaning ? t(meaning) : ''}
                </p>
                <div className="messaging-choice__channels">
                  <div className="checkbox">
                    <input
                      type="checkbox"
                      id={`notify-${preference.event}-email`}
                      checked={preference.email}
                      onChange={(event) => change(preference.event, 'email', event.target.checked)}
                    />
                    <label htmlFor={`notify-${preference.event}-email`}>{t('account.notifications.email')}</label>
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
                    <label htmlFor={`notify-${preference.event}-sms`}>{t('account.notifications.sms')}</label>
                  </div>
                </div>
              </fieldset>
            );
          })}
          {smsAvailable && (
            <TextField
              id={mobileId}
              label={t('account.notifications.mobile')}
              type="tel"
              value={mobile}
              onValueChange={(value) => {
                setSaved(false);
                setMobileEdit(value);
              }}
              hint={t('account.notifications.mobileHint')}
              error={errors.errorFor(mobileId)}
              autoComplete="tel"
              required={wantsTexts}
            />
          )}
          {saved && <StatusMessage tone="success">{t('account.notifications.saved')}</StatusMessage>}
          <button type="submit" className="button" disabled={pending}>
            {t('account.notifications.submit')}
          </button>
        </form>
      )}
    </div>
  );
}
