import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useT } from '../i18n/i18n-context.ts';
import { useActingFor } from '../session/acting-for.ts';

/**
 * The shell's "whose record" switch, for a person who acts for others (a proxy): a menu of the records they may open and
 * a button, so choosing in the menu changes nothing until they ask (WCAG 3.2.2); switching goes home, whose page every
 * access level has.
 */
export function ActingForSwitcher() {
  const t = useT();
  const id = useId();
  const navigate = useNavigate();
  const { current, choices, choose } = useActingFor();
  const [picked, setPicked] = useState<string | null>(null);
  const value = picked ?? current?.patientId ?? '';

  function submit(event: FormEvent) {
    event.preventDefault();
    setPicked(null);
    if (value === current?.patientId) return;
    void choose(value);
    void navigate('/');
  }

  return (
    <form className="acting-for" onSubmit={submit} aria-label={t('nav.actingFor.legend')}>
      <label htmlFor={id}>{t('nav.actingFor.label')}</label>
      <select id={id} className="input acting-for__select" value={value} onChange={(event) => setPicked(event.target.value)}>
        {choices.map((patient) => (
          <option key={patient.patientId} value={patient.patientId}>
            {patient.relationship === 'self' ? t('nav.actingFor.self', { name: patient.displayName }) : patient.displayName}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--secondary button--small">
        {t('nav.actingFor.submit')}
      </button>
    </form>
  );
}

/**
 * At the top of every page while the person views someone else's record: whose it is, and the way back to their own;
 * and, once, that a record they were viewing is no longer shared with them.
 */
export function ActingForBanner() {
  const t = useT();
  const navigate = useNavigate();
  const { current, choices, isOther, choose, lostAccessTo, dismissLostAccess } = useActingFor();
  const own = choices.find((patient) => patient.relationship === 'self');
  return (
    <>
      {lostAccessTo && (
        <div className="notice notice--warning acting-for-banner" role="alert">
          <p>{t('nav.actingFor.lost', { name: lostAccessTo })}</p>
          <button type="button" className="button button--secondary button--small" onClick={dismissLostAccess}>
            {t('nav.actingFor.dismiss')}
          </button>
        </div>
      )}
      {isOther && current && (
        <div className="notice acting-for-banner">
          <p className="acting-for-banner__text">
            <strong>{t('nav.actingFor.viewing', { name: current.displayName })}</strong>
          </p>
          {own && (
            <button
              type="button"
              className="button-link"
              onClick={() => {
                void choose(own.patientId);
                void navigate('/');
              }}
            >
              {t('nav.actingFor.backToOwn')}
            </button>
          )}
        </div>
      )}
    </>
  );
}
