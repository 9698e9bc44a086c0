import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { errorMessage, isApiError } from '../../api/client.ts';
import { searchPatients, type PatientSearchResult } from '../../api/patients.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { AddressedToYou } from '../../components/inbox/AddressedToYou.tsx';
import { InboxSummaryLink } from '../../components/inbox/InboxSummaryLink.tsx';
import { CodeLabel } from '../../components/record/CodeLabel.tsx';
import { sexWords } from '../../components/record/record-text.ts';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useI18n } from '../../i18n/i18n-context.ts';
import { formatBirthDate } from '../../lib/format.ts';
import { hasAbility, hasOwnRecord } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';

const queryId = 'patient-search-q';

/** The path of a patient's chart: an opaque id only, never the name that was searched. */
function chartPath(patientId: string): string {
  return `/patients/${encodeURIComponent(patientId)}/chart`;
}

/**
 * Home for anyone with a membership: with 'patients.search', search patients by name, MRN or a date of birth typed as
 * people write it in the page's language (4/12/1990, April 12 1990; 12/4/1990, 12 de abril de 1990), with the results
 * right under the search box (focus moves to them) and each name opening that patient's chart in one click (nothing
 * goes into the URL but the patient's id); what is addressed to the person in the inbox, the inbox and the schedule
 * when they may use them; and, for someone who is also a patient (a nurse treated at the clinic), their own record.
 */
export function StaffHomePage() {
  const { t, locale } = useI18n();
  const user = useSignedInUser();
  const canSearch = hasAbility(user, 'patients.search');
  const title = canSearch ? t('home.staff.findPatient') : t('home.title');
  useDocumentTitle(title);
  const [q, setQ] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const [found, setFound] = useState<PatientSearchResult | null>(null);
  const [pending, setPending] = useState(false);
  const [searches, setSearches] = useState(0);
  const errors = useFormErrors();
  const resultsHeadingId = useId();
  const resultsCaptionId = useId();
  const resultsHeading = useRef<HTMLHeadingElement>(null);

  // Each answered search takes the eye and the keyboard to its results, just under the search box.
  useEffect(() => {
    if (searches > 0) resultsHeading.current?.focus();
  }, [searches]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = q.trim();
    if (text.length < 2) {
      errors.show([{ id: queryId, message: t('home.staff.queryTooShort') }]);
      return;
    }
    setPending(true);
    try {
      const answer = await searchPatients(text, locale);
      errors.clear();
      setFound(answer);
      setSearched(text);
      setSearches((n) => n + 1);
    } catch (error) {
      // A date that does not exist is a problem with what was typed: shown at the field.
      if (isApiError(error, 'validation_failed') && error.field === 'q') errors.show([{ id: queryId, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  const results = found?.patients ?? null;
  const announcement = pending
    ? t('home.staff.searching')
    : found === null
      ? ''
      : found.birthDate
        ? t('home.staff.foundBorn', { count: found.patients.length, date: formatBirthDate(found.birthDate) })
        : t('home.staff.found', { count: found.patients.length });

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
            {announcement}
          </p>

          {results !== null && searched !== null && (
            <section className="search-results" aria-labelledby={resultsHeadingId}>
              <h2 id={resultsHeadingId} ref={resultsHeading} tabIndex={-1}>
                {t('home.staff.results')}
              </h2>
              {results.length === 0 ? (
                <p className="empty-state">{t('home.staff.noMatch', { query: searched })}</p>
              ) : (
                <div className="table-wrap" role="region" aria-labelledby={resultsCaptionId} tabIndex={0}>
                  <table className="table">
                    <caption id={resultsCaptionId} className="visually-hidden">
                      {t('home.staff.resultsCaption')}
                    </caption>
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
                        <tr key={patient.id}>
                          <th scope="row">
                            <Link to={chartPath(patient.id)} translate="no">
                              {patient.familyName}, {patient.givenName}
                            </Link>
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
        </>
      )}

      {hasAbility(user, 'inbox.use') && <AddressedToYou />}
      {hasAbility(user, 'inbox.use') && <InboxSummaryLink />}
      {(hasAbility(user, 'schedule.read') || hasAbility(user, 'schedule.manage')) && (
        <p className="schedule-home-link">
          <Link to="/schedule">{t('home.staff.schedule')}</Link>
        </p>
      )}
    </div>
  );
}
