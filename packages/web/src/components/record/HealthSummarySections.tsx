import { useId, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { HealthSummary, RecordSection } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatFhirDate } from '../../lib/format.ts';
import { CodeLabel } from './CodeLabel.tsx';
import { RecordTable } from './RecordTable.tsx';
import { recordPaths, useRecordScope } from './record-scope.ts';
import {
  allergyCategoryWords,
  allergyRiskWords,
  allergyStatusWords,
  carePlanStatusWords,
  codeMessage,
  codeToWords,
  goalStatusWords,
  immunizationStatusWords,
  isActiveProblem,
  medicationStatusWords,
  problemStatusWords,
  reactionSeverityWords,
} from './record-text.ts';

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
  const t = useT();
  return value ? <>{formatFhirDate(value)}</> : <span className="muted">{t('record.notRecorded')}</span>;
}

/** A medicine's full coded name (as the drug database writes it), on a details line under its plain name. */
export function CodedName({ codedName }: { codedName: string | null }) {
  const t = useT();
  if (!codedName) return null;
  return (
    <span className="record-meta">
      {t('record.medications.codedName')} <span translate="no">{codedName}</span>
    </span>
  );
}

/** A muted "Not recorded". */
function NotRecorded() {
  const t = useT();
  return <span className="muted">{t('record.notRecorded')}</span>;
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
  const t = useT();
  const scope = useRecordScope();
  const statusHeading = resolved ? t('record.problems.resolvedColumn') : t('record.column.status');
  return (
    <RecordTable caption={resolved ? t('record.problems.resolvedCaption') : t('record.problems.activeCaption')}>
      <thead>
        <tr>
          <th scope="col">{t('record.problems.problemColumn')}</th>
          <th scope="col">{t('record.problems.beganColumn')}</th>
          <th scope="col">{statusHeading}</th>
          <th scope="col">{t('record.problems.visitColumn')}</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((problem) => (
          <tr key={problem.id}>
            <th scope="row" translate="no">
              {problem.name}
            </th>
            <td data-label={t('record.problems.beganColumn')}>
              <When value={problem.onset} />
            </td>
            <td data-label={statusHeading}>
              {resolved ? (
                <>
                  <When value={problem.resolved} />
                  {problem.clinicalStatus !== 'resolved' && (
                    <span className="muted">
                      {' '}
                      (<CodeLabel words={problemStatusWords} code={problem.clinicalStatus} />)
                    </span>
                  )}
                </>
              ) : (
                <CodeLabel words={problemStatusWords} code={problem.clinicalStatus} />
              )}
            </td>
            <td data-label={t('record.problems.visitColumn')}>
              {problem.visitId ? (
                <Link to={recordPaths.visit(scope, problem.visitId)}>
                  {t('record.problems.seeVisit')}
                  <span className="visually-hidden"> {t('record.problems.seeVisitHidden', { problem: problem.name })}</span>
                </Link>
              ) : (
                <span className="muted">{t('record.problems.notLinked')}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </RecordTable>
  );
}

function Problems({ problems }: { problems: HealthSummary['problems'] }) {
  const t = useT();
  const active = problems.filter((p) => isActiveProblem(p.clinicalStatus));
  const resolved = problems.filter((p) => !isActiveProblem(p.clinicalStatus));
  return (
    <>
      <RecordBlock title={t('record.problems.activeTitle')} empty={active.length === 0 ? t('record.problems.activeEmpty') : null}>
        <ProblemTable problems={active} resolved={false} />
      </RecordBlock>
      <RecordBlock title={t('record.problems.resolvedTitle')} empty={resolved.length === 0 ? t('record.problems.resolvedEmpty') : null}>
        <ProblemTable problems={resolved} resolved />
      </RecordBlock>
    </>
  );
}

/** An allergy's criticality as a risk: "High risk". */
function Risk({ criticality }: { criticality: string }) {
  const t = useT();
  const id = codeMessage(allergyRiskWords, criticality);
  return <>{id ? t(id) : t('record.allergies.riskOther', { level: codeToWords(criticality) })}</>;
}

function Allergies({ allergies }: { allergies: HealthSummary['allergies'] }) {
  const t = useT();
  return (
    <RecordBlock title={t('record.allergies.title')} empty={allergies.length === 0 ? t('record.allergies.empty') : null}>
      <RecordTable caption={t('record.allergies.caption')}>
        <thead>
          <tr>
            <th scope="col">{t('record.allergies.allergyColumn')}</th>
            <th scope="col">{t('record.allergies.reactionsColumn')}</th>
            <th scope="col">{t('record.allergies.riskColumn')}</th>
            <th scope="col">{t('record.column.status')}</th>
            <th scope="col">{t('record.allergies.recordedColumn')}</th>
          </tr>
        </thead>
        <tbody>
          {allergies.map((allergy) => (
            <tr key={allergy.id}>
              <th scope="row">
                <span translate="no">{allergy.substance}</span>
                {allergy.category && (
                  <span className="record-meta">
                    <CodeLabel words={allergyCategoryWords} code={allergy.category} />
                  </span>
                )}
              </th>
              <td data-label={t('record.allergies.reactionsColumn')}>
                {allergy.reactions.length === 0 ? (
                  <span className="muted">{t('record.noneRecorded')}</span>
                ) : (
                  <ul className="plain-list">
                    {allergy.reactions.map((reaction, index) => (
                      <li key={index}>
                        <span translate="no">{reaction.manifestation}</span>
                        {reaction.severity && (
                          <>
                            {' '}
                            (<CodeLabel words={reactionSeverityWords} code={reaction.severity} asWritten />)
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td data-label={t('record.allergies.riskColumn')}>
                {allergy.criticality ? <Risk criticality={allergy.criticality} /> : <NotRecorded />}
              </td>
              <td data-label={t('record.column.status')}>
                <CodeLabel words={allergyStatusWords} code={allergy.clinicalStatus} />
              </td>
              <td data-label={t('record.allergies.recordedColumn')}>
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
  const t = useT();
  const thirdHeading = current ? t('record.medications.forColumn') : t('record.column.status');
  return (
    <RecordTable caption={current ? t('record.medications.currentCaption') : t('record.medications.pastCaption')}>
      <thead>
        <tr>
          <th scope="col">{t('record.medications.medicineColumn')}</th>
          <th scope="col">{t('record.medications.directionsColumn')}</th>
          <th scope="col">{thirdHeading}</th>
          <th scope="col">{t('record.medications.prescribedColumn')}</th>
        </tr>
      </thead>
      <tbody>
        {medications.map((medication) => (
          <tr key={medication.id}>
            <th scope="row">
              <span translate="no">{medication.name}</span>
              <CodedName codedName={medication.codedName} />
            </th>
            <td data-label={t('record.medications.directionsColumn')}>
              {medication.directions ? (
                <span translate="no">{medication.directions}</span>
              ) : (
                <span className="muted">{t('record.medications.noDirections')}</span>
              )}
            </td>
            <td data-label={thirdHeading}>
              {current ? (
                medication.reason ? (
                  <span translate="no">{medication.reason}</span>
                ) : (
                  <NotRecorded />
                )
              ) : (
                <CodeLabel words={medicationStatusWords} code={medication.status} />
              )}
            </td>
            <td data-label={t('record.medications.prescribedColumn')}>
              <When value={medication.authoredOn} />
              {medication.prescriber && (
                <span className="record-meta">{t('record.medications.prescribedBy', { prescriber: medication.prescriber })}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </RecordTable>
  );
}

function Medications({ medications }: { medications: HealthSummary['medications'] }) {
  const t = useT();
  const current = medications.filter((m) => m.current);
  const past = medications.filter((m) => !m.current);
  return (
    <>
      <RecordBlock title={t('record.medications.currentTitle')} empty={current.length === 0 ? t('record.medications.currentEmpty') : null}>
        <MedicationTable medications={current} current />
      </RecordBlock>
      <RecordBlock title={t('record.medications.pastTitle')} empty={past.length === 0 ? t('record.medications.pastEmpty') : null}>
        <MedicationTable medications={past} current={false} />
      </RecordBlock>
    </>
  );
}

function Immunizations({ immunizations }: { immunizations: HealthSummary['immunizations'] }) {
  const t = useT();
  return (
    <RecordBlock title={t('record.immunizations.title')} empty={immunizations.length === 0 ? t('record.immunizations.empty') : null}>
      <RecordTable caption={t('record.immunizations.caption')}>
        <thead>
          <tr>
            <th scope="col">{t('record.immunizations.vaccineColumn')}</th>
            <th scope="col">{t('record.column.date')}</th>
            <th scope="col">{t('record.column.status')}</th>
          </tr>
        </thead>
        <tbody>
          {immunizations.map((immunization) => (
            <tr key={immunization.id}>
              <th scope="row" translate="no">
                {immunization.vaccine}
              </th>
              <td data-label={t('record.column.date')}>
                <When value={immunization.date} />
              </td>
              <td data-label={t('record.column.status')}>
                <CodeLabel words={immunizationStatusWords} code={immunization.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </RecordTable>
    </RecordBlock>
  );
}

/** A care plan's dates: "12 Mar 2025 to 4 Jun 2025", or as much of that as is recorded. */
function PlanDates({ start, end }: { start: string | null; end: string | null }) {
  const t = useT();
  if (start && end) return <>{t('record.carePlans.dates', { start: formatFhirDate(start), end: formatFhirDate(end) })}</>;
  if (start) return <>{formatFhirDate(start)}</>;
  if (end) return <>{t('record.carePlans.datesNoStart', { end: formatFhirDate(end) })}</>;
  return <>{t('record.carePlans.startNotRecorded')}</>;
}

/** Care plans with what each asks for; shared with the visit page's after-visit information. */
export function CarePlanList({ carePlans }: { carePlans: HealthSummary['carePlans'] }) {
  const t = useT();
  return (
    <ul className="plain-list record-cards">
      {carePlans.map((plan) => (
        <li key={plan.id} className="card">
          <h3 className="card__heading" translate="no">
            {plan.title}
          </h3>
          <dl className="details">
            <div>
              <dt>{t('record.column.status')}</dt>
              <dd>
                <CodeLabel words={carePlanStatusWords} code={plan.status} />
              </dd>
            </div>
            <div>
              <dt>{t('record.carePlans.datesLabel')}</dt>
              <dd>
                <PlanDates start={plan.start} end={plan.end} />
              </dd>
            </div>
            {plan.addresses.length > 0 && (
              <div>
                <dt>{t('record.carePlans.forLabel')}</dt>
                <dd translate="no">{plan.addresses.join(', ')}</dd>
              </div>
            )}
          </dl>
          {plan.activities.length === 0 ? (
            <p className="empty-state">{t('record.carePlans.noActivities')}</p>
          ) : (
            <>
              <p className="record-subtitle">{t('record.carePlans.whatToDo')}</p>
              <ul translate="no">
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
  const t = useT();
  return (
    <>
      <RecordBlock title={t('record.carePlans.title')} empty={carePlans.length === 0 ? t('record.carePlans.empty') : null}>
        <CarePlanList carePlans={carePlans} />
      </RecordBlock>
      <RecordBlock title={t('record.goals.title')} empty={goals.length === 0 ? t('record.goals.empty') : null}>
        <ul className="plain-list record-lines">
          {goals.map((goal) => (
            <li key={goal.id}>
              <strong translate="no">{goal.description}</strong>
              <span className="record-meta">
                <CodeLabel words={goalStatusWords} code={goal.lifecycleStatus} />
                {goal.target ? t('record.goals.target', { target: goal.target }) : ''}
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
