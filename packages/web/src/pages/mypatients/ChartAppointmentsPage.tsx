import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { appointmentKeys, fetchAppointmentPage } from '../../api/appointments.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useRecordScope } from '../../components/record/record-scope.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatAppointmentStart } from '../../lib/format.ts';

/**
 * A chart's upcoming appointments (issue 12 §2), read-only, soonest first: when (in the location's zone), the visit, with
 * whom and where. The server checks the policy and audits the read; nothing here changes an appointment.
 */
export function ChartAppointmentsPage() {
  const t = useT();
  const { patientId } = useRecordScope();
  useDocumentTitle(t('mypatients.appointments.chartTitle'));
  const captionId = useId();
  const query = useQuery({
    queryKey: appointmentKeys.list(patientId, 'upcoming'),
    queryFn: () => fetchAppointmentPage(patientId, 'upcoming', null),
  });
  return (
    <div className="page">
      <h1>{t('mypatients.appointments.title')}</h1>
      {query.isPending ? (
        <p role="status">{t('mypatients.appointments.loading')}</p>
      ) : query.isError ? (
        <QueryProblem error={query.error} what={t('mypatients.appointments.what')} onRetry={() => void query.refetch()} />
      ) : query.data.appointments.length === 0 ? (
        <p className="empty-state">{t('mypatients.appointments.empty')}</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
          <table className="table">
            <caption id={captionId}>{t('mypatients.appointments.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mypatients.appointments.when')}</th>
                <th scope="col">{t('mypatients.appointments.visit')}</th>
                <th scope="col">{t('mypatients.appointments.clinician')}</th>
                <th scope="col">{t('mypatients.appointments.where')}</th>
              </tr>
            </thead>
            <tbody>
              {query.data.appointments.map((appointment) => (
                <tr key={appointment.id}>
                  <th scope="row" className="nowrap">
                    {formatAppointmentStart(appointment.startAt, appointment.timeZone)}
                  </th>
                  <td>
                    <span translate="no">{appointment.visitType}</span>
                    {appointment.video && <> ({t('mypatients.appointments.video')})</>}
                  </td>
                  <td translate="no">{appointment.clinician?.name ?? '—'}</td>
                  <td translate="no">{appointment.location.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
