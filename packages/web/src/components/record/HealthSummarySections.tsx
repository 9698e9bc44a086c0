import { useId, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { HealthSummary, RecordSection } from '@portico/shared';
import { formatFhirDate } from '../../lib/format.ts';
import { RecordTable } from './RecordTable.tsx';
import { recordPaths, useRecordScope } from './record-scope.ts';
import { codeToWords, isActiveProblem } from './record-text.ts';

/** The summary's own sections, in the order the page shows them. */
export const summarySections = ['problems', 'allergies', 'medications', 'immunizations', 'carePlans'] as const satisfies RecordSection[];

/** Props of the summary sections. */
interface HealthSummarySectionsProps {
  summary: HealthSummary;
  /** Which sections to show (print shows the chosen ones); all of them by default. */
  sections?: readonly RecordSection[];
}

/** A date as recorded, or a muted "Not recorded". */
function When({ value }: { value: string | null }) {
  return value ? <>{formatFhirDate(value)}</> : <span className="muted">Not recorded</span>;
}

/** One headed section: its table or list, or a sentence saying what is missing. */
function RecordBlock({ title, empty, children }: { title: string; empty: string | null; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="record-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {empty === null ? children : <p className="empty-state">{empty}</p>}
    </section>
  );
}

function ProblemTable({ problems, resolved }: { problems: HealthSummary['problems']; resolved: boolean }) {
  const scope = useRecordScope();
  return (
    <RecordTable caption={resolved ? 'Resolved problems' : 'Active problems'}>
      <thead>
        <tr>
          <th scope="col">Problem</th>
          <th scope="col">Began</th>
          <th scope="col">{resolved ? 'Resolved' : 'Status'}</th>
          <th scope="col">Visit</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((problem) => (
          <tr key={problem.id}>
            <th scope="row">{problem.name}</th>
            <td data-label="Began">
              <When value={problem.onset} />
            </td>
            <td data-label={resolved ? 'Resolved' : 'Status'}>
              {resolved ? (
                <>
                  <When value={problem.resolved} />
                  {problem.clinicalStatus !== 'resolved' && <span className="muted"> ({codeToWords(problem.clinicalStatus)})</span>}
                </>
              ) : (
                codeToWords(problem.clinicalStatus)
              )}
            </td>
            <td data-label="Visit">
              {problem.visitId ? (
                <Link to={recordPaths.visit(scope, problem.visitId)}>
                  See the visit<span className="visually-hidden"> where {problem.name} was recorded</span>
                </Link>
              ) : (
                <span className="muted">Not linked</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </RecordTable>
  );
}

function Problems({ problems }: { problems: HealthSummary['problems'] }) {
  const active = problems.filter((p) => isActiveProblem(p.clinicalStatus));
  const resolved = problems.filter((p) => !isActiveProblem(p.clinicalStatus));
  return (
    <>
      <RecordBlock title="Active problems" empty={active.length === 0 ? 'No active problems on record.' : null}>
        <ProblemTable problems={active} resolved={false} />
      </RecordBlock>
      <RecordBlock title="Resolved problems" empty={resolved.length === 0 ? 'No resolved problems on record.' : null}>
        <ProblemTable problems={resolved} resolved />
      </RecordBlock>
    </>
  );
}

function Allergies({ allergies }: { allergies: HealthSummary['allergies'] }) {
  return (
    <RecordBlock title="Allergies" empty={allergies.length === 0 ? 'No allergies on record.' : null}>
      <RecordTable caption="Allergies and intolerances with their reactions">
        <thead>
          <tr>
            <th scope="col">Allergy</th>
            <th scope="col">Reactions and severity</th>
            <th scope="col">Risk</th>
            <th scope="col">Status</th>
            <th scope="col">Recorded</th>
          </tr>
        </thead>
        <tbody>
          {allergies.map((allergy) => (
            <tr key={allergy.id}>
              <th scope="row">
                {allergy.substance}
                {allergy.category && <span className="record-meta">{codeToWords(allergy.category)}</span>}
              </th>
              <td data-label="Reactions and severity">
                {allergy.reactions.length === 0 ? (
                  <span className="muted">None recorded</span>
                ) : (
                  <ul className="plain-list">
                    {allergy.reactions.map((reaction, index) => (
                      <li key={index}>
                        {reaction.manifestation}
                        {reaction.severity ? ` (${reaction.severity})` : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td data-label="Risk">
                {allergy.criticality ? `${codeToWords(allergy.criticality)} risk` : <span className="muted">Not recorded</span>}
              </td>
              <td data-label="Status">{codeToWords(allergy.clinicalStatus)}</td>
              <td data-label="Recorded">
                <When value={allergy.recorded} />
              </td>
            </tr>
          ))}
        </tbody>
      </RecordTable>
    </RecordBlock>
  );
}

function MedicationTable({ medications, current }: { medications: HealthSummary['medications']; current: boolean }) {
  return (
    <RecordTable caption={current ? 'Current medications, with directions' : 'Past medications'}>
      <thead>
        <tr>
          <th scope="col">Medicine</th>
          <th scope="col">Directions</th>
          <th scope="col">{current ? 'For' : 'Status'}</th>
          <th scope="col">Prescribed</th>
        </tr>
      </thead>
      <tbody>
        {medications.map((medication) => (
          <tr key={medication.id}>
            <th scope="row">{medication.name}</th>
            <td data-label="Directions">{medication.directions ?? <span className="muted">No directions recorded</span>}</td>
            <td data-label={current ? 'For' : 'Status'}>
              {current ? (medication.reason ?? <span className="muted">Not recorded</span>) : codeToWords(medication.status)}
            </td>
            <td data-label="Prescribed">
              <When value={medication.authoredOn} />
              {medication.prescriber && <span className="record-meta">by {medication.prescriber}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </RecordTable>
  );
}

function Medications({ medications }: { medications: HealthSummary['medications'] }) {
  const current = medications.filter((m) => m.current);
  const past = medications.filter((m) => !m.current);
  return (
    <>
      <RecordBlock title="Current medications" empty={current.length === 0 ? 'No current medications on record.' : null}>
        <MedicationTable medications={current} current />
      </RecordBlock>
      <RecordBlock title="Past medications" empty={past.length === 0 ? 'No past medications on record.' : null}>
        <MedicationTable medications={past} current={false} />
      </RecordBlock>
    </>
  );
}

function Immunizations({ immunizations }: { immunizations: HealthSummary['immunizations'] }) {
  return (
    <RecordBlock title="Immunizations" empty={immunizations.length === 0 ? 'No immunizations on record.' : null}>
      <RecordTable caption="Immunizations">
        <thead>
          <tr>
            <th scope="col">Vaccine</th>
            <th scope="col">Date</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {immunizations.map((immunization) => (
            <tr key={immunization.id}>
              <th scope="row">{immunization.vaccine}</th>
              <td data-label="Date">
                <When value={immunization.date} />
              </td>
              <td data-label="Status">{immunization.status === 'not-done' ? 'Not given' : codeToWords(immunization.status)}</td>
            </tr>
          ))}
        </tbody>
      </RecordTable>
    </RecordBlock>
  );
}

/** Care plans with what each asks for; shared with the visit page's after-visit information. */
export function CarePlanList({ carePlans }: { carePlans: HealthSummary['carePlans'] }) {
  return (
    <ul className="plain-list record-cards">
      {carePlans.map((plan) => (
        <li key={plan.id} className="card">
          <h3 className="card__heading">{plan.title}</h3>
          <dl className="details">
            <div>
              <dt>Status</dt>
              <dd>{codeToWords(plan.status)}</dd>
            </div>
            <div>
              <dt>Dates</dt>
              <dd>
                {plan.start ? formatFhirDate(plan.start) : 'Start not recorded'}
                {plan.end ? ` to ${formatFhirDate(plan.end)}` : ''}
              </dd>
            </div>
            {plan.addresses.length > 0 && (
              <div>
                <dt>For</dt>
                <dd>{plan.addresses.join(', ')}</dd>
              </div>
            )}
          </dl>
          {plan.activities.length === 0 ? (
            <p className="empty-state">No activities listed.</p>
          ) : (
            <>
              <p className="record-subtitle">What to do</p>
              <ul>
                {plan.activities.map((activity, index) => (
                  <li key={index}>{activity}</li>
                ))}
              </ul>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function CarePlansAndGoals({ carePlans, goals }: Pick<HealthSummary, 'carePlans' | 'goals'>) {
  return (
    <>
      <RecordBlock title="Care plans" empty={carePlans.length === 0 ? 'No care plans on record.' : null}>
        <CarePlanList carePlans={carePlans} />
      </RecordBlock>
      <RecordBlock title="Goals" empty={goals.length === 0 ? 'No goals on record.' : null}>
        <ul className="plain-list record-lines">
          {goals.map((goal) => (
            <li key={goal.id}>
              <strong>{goal.description}</strong>
              <span className="record-meta">
                {codeToWords(goal.lifecycleStatus)}
                {goal.target ? `. Target: ${goal.target}` : ''}
              </span>
            </li>
          ))}
        </ul>
      </RecordBlock>
    </>
  );
}

/** The health summary's sections: problems, allergies, medications, immunizations, care plans and goals. */
export function HealthSummarySections({ summary, sections = summarySections }: HealthSummarySectionsProps) {
  const shown = new Set(sections);
  return (
    <>
      {shown.has('problems') && <Problems problems={summary.problems} />}
      {shown.has('allergies') && <Allergies allergies={summary.allergies} />}
      {shown.has('medications') && <Medications medications={summary.medications} />}
      {shown.has('immunizations') && <Immunizations immunizations={summary.immunizations} />}
      {shown.has('carePlans') && <CarePlansAndGoals carePlans={summary.carePlans} goals={summary.goals} />}
    </>
  );
}
