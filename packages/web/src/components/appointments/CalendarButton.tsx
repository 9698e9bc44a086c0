import { useState } from 'react';
import { downloadCalendar } from '../../api/appointments.ts';
import { errorMessage } from '../../api/client.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { saveFile } from '../record/save-file.ts';

/** "Add to calendar": the visit as an .ics file, fetched with the session and handed to the browser's download. */
export function CalendarButton({ patientId, appointmentId }: { patientId: string; appointmentId: string }) {
  const t = useT();
  const [state, setState] = useState<{ kind: 'idle' | 'loading' | 'done' } | { kind: 'failed'; message: string }>({ kind: 'idle' });

  async function download() {
    if (state.kind === 'loading') return;
    setState({ kind: 'loading' });
    try {
      saveFile(await downloadCalendar(patientId, appointmentId));
      setState({ kind: 'done' });
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  }

  return (
    <div className="appointment-calendar">
      {/* aria-disabled, not disabled, so keyboard focus stays on the button while the file downloads. */}
      <button type="button" className="button button--secondary" aria-disabled={state.kind === 'loading'} onClick={() => void download()}>
        {t('appointments.calendar.add')}
      </button>
      <p className="live-text" role="status">
        {state.kind === 'loading'
          ? t('appointments.calendar.preparing')
          : state.kind === 'done'
            ? t('appointments.calendar.downloaded')
            : ''}
      </p>
      {state.kind === 'failed' && <p className="field__error">{state.message}</p>}
    </div>
  );
}
