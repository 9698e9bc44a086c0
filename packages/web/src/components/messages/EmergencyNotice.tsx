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
  return (
    <div className="notice notice--warning messaging-emergency" id={id}>
      <p>
        <strong>Messages are not for emergencies. If this is an emergency, call 911 or go to the nearest emergency room.</strong>
      </p>
      <p>
        Your care team reads messages during office hours, so an answer can take a few working days. If you need help sooner, call your
        clinic.
      </p>
    </div>
  );
}
