import { useId, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { CarePlanList } from '../../components/record/HealthSummarySections.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useVisit } from '../../components/record/record-queries.ts';
import { recordPaths, useRecordScope } from '../../components/record/record-scope.ts';
import { codeToWords } from '../../components/record/record-text.ts';
import { RecordTable } from '../../components/record/RecordTable.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
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

/** `/record/visits/:visitId`: one visit with its diagnoses, procedures, vitals, medicines, results and after-visit information. */
export function VisitDetailPage() {
  const scope = useRecordScope();
  useDocumentTitle(scope.audience === 'self' ? 'Visit' : 'Chart: visit');
  const { visitId = '' } = useParams();
  const query = useVisit(scope.patientId, visitId);
  const back = { to: recordPaths.visits(scope), label: 'All visits' };

  if (!query.data) {
    return (
      <div className="page">
        <h1>Visit</h1>
        {query.isError ? (
          <QueryProblem error={query.error} what="this visit" onRetry={() => void query.refetch()} back={back} />
        ) : (
          <p role="status">Loading the visit…</p>
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
        {visit.type}
        {visit.start && <span className="heading-meta">{formatFhirDate(visit.start)}</span>}
      </h1>
      <dl className="details record-details">
        <div>
          <dt>When</dt>
          <dd>
            {when ?? 'Not recorded'}
            {visit.end && visit.start && <> until {formatFhirDate(visit.end, { withTime: true })}</>}
          </dd>
        </div>
        <div>
          <dt>Clinician</dt>
          <dd>{visit.clinician ?? 'Not recorded'}</dd>
        </div>
        <div>
          <dt>Where</dt>
          <dd>{visit.location ?? 'Not recorded'}</dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>{visit.setting ? codeToWords(visit.setting) : 'Not recorded'}</dd>
        </div>
        <div>
          <dt>Reason</dt>
          <dd>{visit.reason ?? 'Not recorded'}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{codeToWords(visit.status)}</dd>
        </div>
      </dl>

      <Part title="Diagnoses" empty={diagnoses.length === 0 ? 'No diagnoses recorded at this visit.' : null}>
        <ul className="record-lines">
          {diagnoses.map((d) => (
            <li key={d.id}>{d.name}</li>
          ))}
        </ul>
      </Part>

      <Part title="Procedures" empty={procedures.length === 0 ? 'No procedures recorded at this visit.' : null}>
        <ul className="record-lines">
          {procedures.map((p) => (
            <li key={p.id}>
              {p.name}
              {p.date && <span className="record-meta">{formatFhirDate(p.date)}</span>}
            </li>
          ))}
        </ul>
      </Part>

      <Part title="Vital signs" empty={vitals.length === 0 ? 'No vital signs recorded at this visit.' : null}>
        <RecordTable caption="Vital signs taken at this visit">
          <thead>
            <tr>
              <th scope="col">Measurement</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {vitals.map((v) => (
              <tr key={v.id}>
                <th scope="row">{v.name}</th>
                <td data-label="Value">{v.unit ? `${v.value} ${v.unit}` : v.value}</td>
              </tr>
            ))}
          </tbody>
        </RecordTable>
      </Part>

      <Part title="Medicines started" empty={medicationsStarted.length === 0 ? 'No medicines were started at this visit.' : null}>
        <ul className="record-lines">
          {medicationsStarted.map((m) => (
            <li key={m.id}>
              <strong>{m.name}</strong>
              <span className="record-meta">{m.directions ?? 'No directions recorded'}</span>
            </li>
          ))}
        </ul>
      </Part>

      <Part title="Test results" empty={results.length === 0 ? 'No test results from this visit.' : null}>
        <ul className="record-lines">
          {results.map((r) => (
            <li key={r.id}>
              <Link to={recordPaths.result(scope, r.id)}>{r.name}</Link>
            </li>
          ))}
        </ul>
      </Part>

      <Part
        title={scope.audience === 'self' ? 'After your visit' : 'After the visit'}
        empty={
          afterVisit.carePlans.length === 0 && afterVisit.notes.length === 0 ? 'No after-visit instructions or notes were recorded.' : null
        }
      >
        {afterVisit.notes.map((note, index) => (
          <p key={index} className="record-text">
            {note}
          </p>
        ))}
        {afterVisit.carePlans.length > 0 && <CarePlanList carePlans={afterVisit.carePlans} />}
      </Part>
    </div>
  );
}
