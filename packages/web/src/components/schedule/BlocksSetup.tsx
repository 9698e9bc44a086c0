import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client.ts';
import { createBlock, deleteBlock, type ClinicianChoice } from '../../api/schedule.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { showSendProblem } from '../messages/form-problems.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { RecordTable } from '../record/RecordTable.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextField } from '../TextField.tsx';
import { clinicianLabel } from './ScheduleChooser.tsx';
import { SelectField } from './SetupFields.tsx';
import { useRefreshSchedule, useSchedule } from './schedule-queries.ts';
import { describeTimeZone, formatScheduleDay, formatScheduleTime, todayIn, zonedTimeToUtc } from './schedule-text.ts';

const ids = { clinician: 'block-clinician', from: 'block-from', to: 'block-to', reason: 'block-reason' };
const fieldInputs: Record<string, string> = { clinicianId: ids.clinician, startAt: ids.from, endAt: ids.to, reason: ids.reason };

/**
 * Blocked time: a clinician's next week of blocks with "Remove", and a form to block a stretch of time (no bookings in
 * it). Times are typed in the schedule's own zone, named beside the form, and sent as UTC instants.
 */
export function BlocksSetup({ clinicians }: { clinicians: ClinicianChoice[] }) {
  const t = useT();
  const headingId = useId();
  const refresh = useRefreshSchedule();
  const errors = useFormErrors();
  const [clinicianId, setClinicianId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const today = todayIn(undefined);
  const schedule = useSchedule(clinicianId ? { kind: 'clinician', id: clinicianId } : null, today, 7);
  const timeZone = schedule.data?.timeZone;
  const blocks = schedule.data?.days.flatMap((day) => day.blocks.map((block) => ({ block, date: day.date }))) ?? [];
  const chosen = clinicians.find((c) => c.id === clinicianId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: FieldError[] = [];
    const startAt = timeZone ? zonedTimeToUtc(from, timeZone) : null;
    const endAt = timeZone ? zonedTimeToUtc(to, timeZone) : null;
    if (!chosen) problems.push({ id: ids.clinician, message: t('schedule.blocks.clinicianRequired') });
    if (chosen && !startAt) problems.push({ id: ids.from, message: t('schedule.blocks.fromRequired') });
    if (chosen && !endAt) problems.push({ id: ids.to, message: t('schedule.blocks.toRequired') });
    else if (startAt && endAt && endAt <= startAt) problems.push({ id: ids.to, message: t('schedule.endAfterStart') });
    if (reason.trim().length > 200) problems.push({ id: ids.reason, message: t('schedule.blocks.reasonTooLong') });
    if (problems.length > 0 || !startAt || !endAt) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      await createBlock({ clinicianId, startAt, endAt, reason: reason.trim() === '' ? null : reason.trim() });
      errors.clear();
      setNotice(t('schedule.blocks.added', { name: chosen ? clinicianLabel(chosen) : t('schedule.blocks.theClinician') }));
      setFrom('');
      setTo('');
      setReason('');
      await refresh();
    } catch (error) {
      setNotice(null);
      showSendProblem(errors, error, (field) => fieldInputs[field] ?? null);
    } finally {
      setPending(false);
    }
  }

  async function remove(blockId: string) {
    try {
      await deleteBlock(blockId);
      errors.clear();
      setNotice(t('schedule.blocks.removed'));
      await refresh();
    } catch (error) {
      setNotice(null);
      errors.show([], errorMessage(error));
    }
  }

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('schedule.blockedTime')}</h2>
      <p>{t('schedule.blocks.intro')}</p>
      <ErrorSummary errors={errors} />
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      <form className="form form--inset" aria-label={t('schedule.blocks.formLabel')} onSubmit={(event) => void submit(event)} noValidate>
        <SelectField
          id={ids.clinician}
          label={t('schedule.field.clinician')}
          value={clinicianId}
          onValueChange={setClinicianId}
          error={errors.errorFor(ids.clinician)}
          hint={clinicians.length === 0 ? t('schedule.noClinicians') : undefined}
        >
          <option value="">{t('schedule.chooseClinician')}</option>
          {clinicians.map((c) => (
            <option key={c.id} value={c.id} translate="no">
              {clinicianLabel(c)}
            </option>
          ))}
        </SelectField>
        {chosen &&
          (timeZone ? (
            <>
              <p className="field__hint">{t('schedule.blocks.zone', { zone: describeTimeZone(timeZone, today) })}</p>
              <TextField
                id={ids.from}
                label={t('schedule.blocks.from')}
                type="datetime-local"
                step={300}
                value={from}
                onValueChange={setFrom}
                error={errors.errorFor(ids.from)}
                required
              />
              <TextField
                id={ids.to}
                label={t('schedule.blocks.to')}
                type="datetime-local"
                step={300}
                value={to}
                onValueChange={setTo}
                error={errors.errorFor(ids.to)}
                required
              />
              <TextField
                id={ids.reason}
                label={t('schedule.blocks.reason')}
                value={reason}
                onValueChange={setReason}
                hint={t('schedule.blocks.reasonHint')}
                error={errors.errorFor(ids.reason)}
                maxLength={200}
              />
              <button type="submit" className="button" disabled={pending}>
                {t('schedule.blocks.submit')}
              </button>
            </>
          ) : schedule.isError ? (
            <QueryProblem error={schedule.error} what={t('schedule.blocks.scheduleWhat')} onRetry={() => void schedule.refetch()} />
          ) : (
            <p role="status">{t('schedule.blocks.scheduleLoading')}</p>
          ))}
      </form>
      {chosen && timeZone && (
        <>
          <h3>{t('schedule.blocks.nextWeekHeading')}</h3>
          {blocks.length === 0 ? (
            <p className="empty-state">
              <RichMessage id="schedule.blocks.noneNextWeek" parts={{ name: <span translate="no">{clinicianLabel(chosen)}</span> }} />
            </p>
          ) : (
            <RecordTable caption={t('schedule.blocks.caption', { name: clinicianLabel(chosen) })}>
              <thead>
                <tr>
                  <th scope="col">{t('schedule.column.day')}</th>
                  <th scope="col">{t('schedule.column.time')}</th>
                  <th scope="col">{t('schedule.column.reason')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('schedule.column.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {blocks.map(({ block, date }) => (
                  <tr key={`${date}-${block.id}`}>
                    <th scope="row">{formatScheduleDay(date, 'short')}</th>
                    <td data-label={t('schedule.column.time')} className="nowrap">
                      {formatScheduleTime(block.startAt, timeZone)} – {formatScheduleTime(block.endAt, timeZone)}
                    </td>
                    <td data-label={t('schedule.column.reason')} translate={block.reason ? 'no' : undefined}>
                      {block.reason ?? '—'}
                    </td>
                    <td>
                      <button type="button" className="button button--secondary button--small" onClick={() => void remove(block.id)}>
                        {t('schedule.remove')}
                        <span className="visually-hidden">
                          {' '}
                          {t('schedule.blocks.removeWhich', { day: formatScheduleDay(date, 'short') })}
                        </span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </RecordTable>
          )}
        </>
      )}
    </section>
  );
}
