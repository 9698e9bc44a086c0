import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { searchPatients } from '../../api/patients.ts';
import type { PatientListItem } from '../../api/types.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { InboxSummaryLink } from '../../components/inbox/InboxSummaryLink.tsx';
import { PatientSummaryView } from '../../components/PatientSummaryView.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { formatBirthDate } from '../../lib/format.ts';
import { hasAbility, hasOwnRecord } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';

const queryId = 'patient-search-q';

/**
 * Home for anyone with a membership: with 'patients.search', search patients by name, MRN or date of birth and open
 * one summary (nothing goes into the URL); the inbox and schedule when the person may use them; and, for someone who is
 * also a patient (a nurse treated at the clinic), a link to their own health record.
 */
export function StaffHomePage() {
  const user = useSignedInUser();
  const canSearch = hasAbility(user, 'patients.search');
  useDocumentTitle(canSearch ? 'Find a patient' : 'Home');
  const [q, setQ] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const [results, setResults] = useState<PatientListItem[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const resultsHeadingId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = q.trim();
    if (text.length < 2) {
      errors.show([{ id: queryId, message: 'Type at least 2 characters of a name, an MRN or a date of birth.' }]);
      return;
    }
    setPending(true);
    try {
      const found = await searchPatients(text);
      errors.clear();
      setSelectedId(null);
      setResults(found);
      setSearched(text);
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page">
      <h1>{canSearch ? 'Find a patient' : 'Home'}</h1>
      <p className="lede">
        Signed in as {user.displayName}
        {user.organizationName ? ` at ${user.organizationName}` : ''}.
      </p>
      {hasOwnRecord(user) && (
        <p className="own-record-link">
          <Link to="/record">My own health record</Link>: your own summary, visits and test results as a patient
        </p>
      )}
      {canSearch && (
        <>
          <ErrorSummary errors={errors} />
          <form className="search-form" role="search" onSubmit={(event) => void submit(event)} noValidate>
            <TextField
              id={queryId}
              label="Name, MRN or date of birth"
              type="search"
              value={q}
              onValueChange={setQ}
              hint="For a date of birth use YYYY-MM-DD, for example 1984-03-09."
              error={errors.errorFor(queryId)}
              autoComplete="off"
              spellCheck={false}
              required
            />
            <button type="submit" className="button" disabled={pending}>
              Search
            </button>
          </form>

          <p className="live-text" role="status">
            {pending
              ? 'Searching…'
              : results === null
                ? ''
                : `${results.length === 0 ? 'No' : results.length} ${results.length === 1 ? 'patient' : 'patients'} found.`}
          </p>
        </>
      )}

      {hasAbility(user, 'inbox.use') && <InboxSummaryLink />}
      {(hasAbility(user, 'schedule.read') || hasAbility(user, 'schedule.manage')) && (
        <p className="schedule-home-link">
          <Link to="/schedule">Open today’s schedule</Link>
        </p>
      )}

      {results !== null && searched !== null && (
        <section aria-labelledby={resultsHeadingId}>
          <h2 id={resultsHeadingId}>Search results</h2>
          {results.length === 0 ? (
            <p className="empty-state">
              No patients match “{searched}”. Check the spelling, try the last name only, or search by MRN or date of birth (YYYY-MM-DD).
            </p>
          ) : (
            <div className="table-wrap" role="region" aria-labelledby={resultsHeadingId} tabIndex={0}>
              <table className="table">
                <caption className="visually-hidden">Patients matching your search; choose a name to open the summary</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">MRN</th>
                    <th scope="col">Date of birth</th>
                    <th scope="col">Sex</th>
                    <th scope="col">Primary care provider</th>
                  </tr>
                </thead>
                <tbody>
                  {results.map((patient) => (
                    <tr key={patient.id} className={patient.id === selectedId ? 'row--selected' : undefined}>
                      <th scope="row">
                        <button
                          type="button"
                          className="button-link"
                          aria-pressed={patient.id === selectedId}
                          onClick={() => setSelectedId(patient.id)}
                        >
                          {patient.familyName}, {patient.givenName}
                        </button>
                      </th>
                      <td>{patient.mrn}</td>
                      <td className="nowrap">{formatBirthDate(patient.birthDate)}</td>
                      <td>{patient.sex ?? '—'}</td>
                      <td>{patient.pcpName ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      {selectedId && <PatientSummaryView key={selectedId} patientId={selectedId} audience="staff" />}
    </div>
  );
}
