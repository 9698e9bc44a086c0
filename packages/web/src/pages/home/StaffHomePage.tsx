import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client.ts';
import { searchPatients } from '../../api/patients.ts';
import type { PatientListItem } from '../../api/types.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { InboxSummaryLink } from '../../components/inbox/InboxSummaryLink.tsx';
import { PatientSummaryView } from '../../components/PatientSummaryView.tsx';
import { CodeLabel } from '../../components/record/CodeLabel.tsx';
import { sexWords } from '../../components/record/record-text.ts';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
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
  const t = useT();
  const user = useSignedInUser();
  const canSearch = hasAbility(user, 'patients.search');
  const title = canSearch ? t('home.staff.findPatient') : t('home.title');
  useDocumentTitle(title);
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
      errors.show([{ id: queryId, message: t('home.staff.queryTooShort') }]);
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
      <h1>{title}</h1>
      <p className="lede">
        {user.organizationName
          ? t('home.staff.signedInAt', { name: user.displayName, organization: user.organizationName })
          : t('home.staff.signedIn', { name: user.displayName })}
      </p>
      {hasOwnRecord(user) && (
        <p className="own-record-link">
          <Link to="/record">{t('home.staff.ownRecord')}</Link>
          {t('home.staff.ownRecordText')}
        </p>
      )}
      {canSearch && (
        <>
          <ErrorSummary errors={errors} />
          <form className="search-form" role="search" onSubmit={(event) => void submit(event)} noValidate>
            <TextField
              id={queryId}
              label={t('home.staff.searchLabel')}
              type="search"
              value={q}
              onValueChange={setQ}
              hint={t('home.staff.searchHint')}
              error={errors.errorFor(queryId)}
              autoComplete="off"
              spellCheck={false}
              required
            />
            <button type="submit" className="button" disabled={pending}>
              {t('home.staff.search')}
            </button>
          </form>

          <p className="live-text" role="status">
            {pending ? t('home.staff.searching') : results === null ? '' : t('home.staff.found', { count: results.length })}
          </p>
        </>
      )}

      {hasAbility(user, 'inbox.use') && <InboxSummaryLink />}
      {(hasAbility(user, 'schedule.read') || hasAbility(user, 'schedule.manage')) && (
        <p className="schedule-home-link">
          <Link to="/schedule">{t('home.staff.schedule')}</Link>
        </p>
      )}

      {results !== null && searched !== null && (
        <section aria-labelledby={resultsHeadingId}>
          <h2 id={resultsHeadingId}>{t('home.staff.results')}</h2>
          {results.length === 0 ? (
            <p className="empty-state">{t('home.staff.noMatch', { query: searched })}</p>
          ) : (
            <div className="table-wrap" role="region" aria-labelledby={resultsHeadingId} tabIndex={0}>
              <table className="table">
                <caption className="visually-hidden">{t('home.staff.resultsCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('home.staff.name')}</th>
                    <th scope="col">{t('home.patient.mrn')}</th>
                    <th scope="col">{t('home.patient.birthDate')}</th>
                    <th scope="col">{t('home.patient.sex')}</th>
                    <th scope="col">{t('home.patient.pcp')}</th>
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
                          translate="no"
                        >
                          {patient.familyName}, {patient.givenName}
                        </button>
                      </th>
                      <td translate="no">{patient.mrn}</td>
                      <td className="nowrap">{formatBirthDate(patient.birthDate)}</td>
                      <td>{patient.sex ? <CodeLabel words={sexWords} code={patient.sex} asWritten /> : '—'}</td>
                      <td translate="no">{patient.pcpName ?? '—'}</td>
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
