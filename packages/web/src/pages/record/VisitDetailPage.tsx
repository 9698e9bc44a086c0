import { useId, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { CodeLabel } from '../../components/record/CodeLabel.tsx';
import { CarePlanList, CodedName } from '../../components/record/HealthSummarySections.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useVisit } from '../../components/record/record-queries.ts';
import { recordPaths, useRecordScope } from '../../components/record/record-scope.ts';
import { visitSettingWords, visitStatusWords } from '../../components/record/record-text.ts';
import { RecordTable } from '../../components/record/RecordTable.tsx';
import { BookedAppointment } from '../../components/record/VisitList.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatFhirDate } from '../../lib/format.ts';

/** A headed part of the visit; `empty` says in words what is missing. */
function Part({ title, empty, children }: { title: string; empty: string | null; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="record-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {empty === null ? children : <p className="empty-state">{empty}</p>}
    </section>
  );
}

/** A value from the record, marked as the record's text, or "Not recorded". */
function Recorded({ value }: { value: string | null }) {
  const t = useT();
  return value ? <span translate="no">{value}</span> : <>{t('record.notRecorded')}</>;
}

/** `/record/visits/:visitId`: one visit with its diagnoses, procedures, vitals, medicines, results and after-visit information. */
export function VisitDetailPage() {
  const t = useT();
  const scope = useRecordScope();
  useDocumentTitle(scope.audience === 'self' ? t('record.visit.title') : t('record.visit.chartTitle'));
  const { visitId = '' } = useParams();
  const query = useVisit(scope.patientId, visitId);
  const back = { to: recordPaths.visits(scope), label: t('record.visit.back') };

  if (!query.data) {
    return (
      <div className="page">
        <h1>{t('record.visit.title')}</h1>
        {query.isError ? (
          <QueryProblem error={query.error} what={t('record.what.visit')} onRetry={() => void query.refetch()} back={back} />
        ) : (
          <p role="status">{t('record.visit.loading')}</p>
        )}
      </div>
    );
  }

  const { visit, diagnoses, procedures, vitals, medicationsStarted, results, afterVisit } = query.data;
  const when = visit.start ? formatFhirDate(visit.start, { withTime: true }) : null;
  return (
    <div className="page">
      <p className="back-link">
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1>
        <span translate="no">{visit.type}</span>
        {visit.start && <span className="heading-meta">{formatFhirDate(visit.start)}</span>}
      </h1>
      <dl className="details record-details">
        <div>
          <dt>{t('record.visit.when')}</dt>
          <dd>
            {when ?? t('record.notRecorded')}
            {visit.end && visit.start && <> {t('record.visit.until', { end: formatFhirDate(visit.end, { withTime: true }) })}</>}
          </dd>
        </div>
        <div>
          <dt>{t('record.column.clinician')}</dt>
          <dd>
            <Recorded value={visit.clinician} />
          </dd>
        </div>
        <div>
          <dt>{t('record.visit.where')}</dt>
          <dd>
            <Recorded value={visit.location} />
          </dd>
        </div>
        <div>
          <dt>{t('record.visit.kind')}</dt>
          <dd>{visit.setting ? <CodeLabel words={visitSettingWords} code={visit.setting} /> : t('record.notRecorded')}</dd>
        </div>
        <div>
          <dt>{t('record.column.reason')}</dt>
          <dd>
            <Recorded value={visit.reason} />
          </dd>
        </div>
        <div>
          <dt>{t('record.column.status')}</dt>
          <dd>
            <CodeLabel words={visitStatusWords} code={visit.status} />
          </dd>
        </div>
        {visit.appointmentId && (
          <div>
            <dt>{t('record.visit.appointment')}</dt>
            <dd>
              <BookedAppointment visit={visit} when={null} />
            </dd>
          </div>
        )}
      </dl>

      <Part title={t('record.visit.diagnoses')} empty={diagnoses.length === 0 ? t('record.visit.diagnosesEmpty') : null}>
        <ul className="record-lines" translate="no">
          {diagnoses.map((d) => (
            <li key={d.id}>{d.name}</li>
          ))}
        </ul>
      </Part>

      <Part title={t('record.visit.procedures')} empty={procedures.length === 0 ? t('record.visit.proceduresEmpty') : null}>
        <ul className="record-lines">
          {procedures.map((p) => (
            <li key={p.id}>
              <span translate="no">{p.name}</span>
              {p.date && <span className="record-meta">{formatFhirDate(p.date)}</span>}
            </li>
          ))}
        </ul>
      </Part>

      <Part title={t('record.visit.vitals')} empty={vitals.length === 0 ? t('record.visit.vitalsEmpty') : null}>
        <RecordTable caption={t('record.visit.vitalsCaption')}>
          <thead>
            <tr>
              <th scope="col">{t('record.visit.measurementColumn')}</th>
              <th scope="col">{t('record.visit.valueColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {vitals.map((v) => (
              <tr key={v.id}>
                <th scope="row" translate="no">
                  {v.name}
                </th>
                <td data-label={t('record.visit.valueColumn')} translate="no">
                  {v.unit ? `${v.value} ${v.unit}` : v.value}
                </td>
              </tr>
            ))}
          </tbody>
        </RecordTable>
      </Part>

      <Part title={t('record.visit.medicines')} empty={medicationsStarted.length === 0 ? t('record.visit.medicinesEmpty') : null}>
        <ul className="record-lines">
          {medicationsStarted.map((m) => (
            <li key={m.id}>
              <strong translate="no">{m.name}</strong>
              <span className="record-meta">
                {m.directions ? <span translate="no">{m.directions}</span> : t('record.medications.noDirections')}
              </span>
              <CodedName codedName={m.codedName} />
            </li>
          ))}
        </ul>
      </Part>

      <Part title={t('record.visit.results')} empty={results.length === 0 ? t('record.visit.resultsEmpty') : null}>
        <ul className="record-lines">
          {results.map((r) => (
            <li key={r.id}>
              <Link to={recordPaths.result(scope, r.id)} translate="no">
                {r.name}
              </Link>
            </li>
          ))}
        </ul>
      </Part>

      <Part
        title={scope.audience === 'self' ? t('record.visit.afterSelf') : t('record.visit.after')}
        empty={afterVisit.carePlans.length === 0 && afterVisit.notes.length === 0 ? t('record.visit.afterEmpty') : null}
      >
        {afterVisit.notes.map((note, index) => (
          <p key={index} className="record-text" translate="no">
            {note}
          </p>
        ))}
        {afterVisit.carePlans.length > 0 && <CarePlanList carePlans={afterVisit.carePlans} />}
      </Part>
    </div>
  );
}
