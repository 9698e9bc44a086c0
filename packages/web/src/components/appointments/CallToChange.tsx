import { useT } from '../../i18n/i18n-context.ts';
import { telHref } from './appointment-text.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';

/** "To change it, call" the clinic's number (a phone link), or the clinic when no number is known. */
export function CallToChange({ phone }: { phone: string | null }) {
  const t = useT();
  return phone ? (
    <RichMessage id="appointments.callToChange" parts={{ phone: <a href={telHref(phone)}>{phone}</a> }} />
  ) : (
    t('appointments.callClinicToChange')
  );
}
