import { useT } from '../../i18n/i18n-context.ts';

/** Props of the emergency notice. */
interface EmergencyNoticeProps {
  /** The id the form points its `aria-describedby` at, so the notice is read with the form too. */
  id: string;
}

/**
 * "Messages are not for emergencies": shown before any way to write to the care team, because a message may not be
 * read for hours or days.
 */
export function EmergencyNotice({ id }: EmergencyNoticeProps) {
  const t = useT();
  return (
    <div className="notice notice--warning messaging-emergency" id={id}>
      <p>
        <strong>{t('messages.emergency.heading')}</strong>
      </p>
      <p>{t('messages.emergency.text')}</p>
    </div>
  );
}
