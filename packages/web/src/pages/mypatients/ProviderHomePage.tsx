import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccessRequestKind, MyPatientsSearchBody } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import {
  fetchMyRequests,
  myPatientsKeys,
  requestPatientAccess,
  searchMyPatients,
  type MyPatientMatch,
  type MyPatientsSearchResult,
} from '../../api/mypatients.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { TextField } from '../../components/TextField.tsx';
import { LoadProblem } from '../../components/proxy-console/LoadProblem.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate, formatDate } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';
import { chartPath, viaLabel } from './mypatients-text.ts';
import './mypatients.css';

type Mode = 'name' | 'mrn';
type Authorized = Extract<MyPatientMatch, { authorized: true }>;
type NotAuthorized = Extract<MyPatientMatch, { authorized: false }>;

const ids = {
  familyName: 'mypatients-family-name',
  givenName: 'mypatients-given-name',
  birthDate: 'mypatients-birth-date',
  mrn: 'mypatients-mrn',
} as const;

/** The input a server `field` refers to. */
function inputFor(field: string | undefined): string | null {
  return field && field in ids ? ids[field as keyof typeof ids] : null;
}

/** Search by name and date of birth, or by MRN: a radio choice, then that search's fields. */
function SearchForm({ onFound }: { onFound: (result: MyPatientsSearchResult, query: string) => void }) {
  const t = useT();
  const baseId = useId();
  const [mode, setMode] = useState<Mode>('name');
  const [familyName, setFamilyName] = useState('');
  const [givenName, setGivenName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [mrn, setMrn] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    let body: MyPatientsSearchBody;
    let query: string;
    if (mode === 'mrn') {
      if (!mrn.trim()) {
        errors.show([{ id: ids.mrn, message: t('mypatients.search.mrnRequired') }]);
        return;
      }
      body = { mrn: mrn.trim() };
      query = t('mypatients.results.forMrn', { mrn: mrn.trim() });
    } else {
      const problems = [];
      if (!familyName.trim()) problems.push({ id: ids.familyName, message: t('mypatients.search.familyNameRequired') });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) problems.push({ id: ids.birthDate, message: t('mypatients.search.birthDateRequired') });
      if (problems.length > 0) {
        errors.show(problems);
        return;
      }
      body = { familyName: familyName.trim(), birthDate, ...(givenName.trim() ? { givenName: givenName.trim() } : {}) };
      query = t('mypatients.results.forName', {
        name: [givenName.trim(), familyName.trim()].filter(Boolean).join(' '),
        date: formatBirthDate(birthDate),
      });
    }
    setPending(true);
    try {
      const result = await searchMyPatients(body);
      errors.clear();
      onFound(result, query);
    } catch (error) {
      const input = isApiError(error, 'validation_failed') ? inputFor(error.field) : null;
      if (input) errors.show([{ id: input, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form mypatients-search" role="search" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      <fieldset className="fieldset">
        <legend>{t('mypatients.search.by')}</legend>
        {(['name', 'mrn'] as const).map((value) => (
          <div className="radio" key={value}>
            <input
              type="radio"
              id={`${baseId}-${value}`}
              name={`${baseId}-mode`}
              checked={mode === value}
              onChange={() => {
                setMode(value);
                errors.clear();
              }}
            />
            <label htmlFor={`${baseId}-${value}`}>{value === 'name' ? t('mypatients.search.byName') : t('mypatients.search.byMrn')}</label>
          </div>
        ))}
      </fieldset>
      {mode === 'name' ? (
        <>
          <TextField
            id={ids.familyName}
            label={t('mypatients.search.familyName')}
            value={familyName}
            onValueChange={setFamilyName}
            error={errors.errorFor(ids.familyName)}
            autoComplete="off"
            spellCheck={false}
            required
          />
          <TextField
            id={ids.givenName}
            label={t('mypatients.search.givenName')}
            hint={t('mypatients.search.givenNameHint')}
            value={givenName}
            onValueChange={setGivenName}
            error={errors.errorFor(ids.givenName)}
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            id={ids.birthDate}
            label={t('mypatients.search.birthDate')}
            type="date"
            value={birthDate}
            onValueChange={setBirthDate}
            error={errors.errorFor(ids.birthDate)}
            required
          />
        </>
      ) : (
        <TextField
          id={ids.mrn}
          label={t('mypatients.search.mrn')}
          value={mrn}
          onValueChange={setMrn}
          error={errors.errorFor(ids.mrn)}
          autoComplete="off"
          spellCheck={false}
          className="input--code"
          required
        />
      )}
      <button type="submit" className="button" aria-disabled={pending}>
        {pending ? t('mypatients.search.searching') : t('mypatients.search.submit')}
      </button>
    </form>
  );
}

/** The provider's own patients among the matches: name (opening the chart), date of birth, MRN and why they may. */
function AuthorizedTable({ matches }: { matches: Authorized[] }) {
  const t = useT();
  const captionId = useId();
  return (
    <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="table">
        <caption id={captionId} className="visually-hidden">
          {t('mypatients.results.caption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('mypatients.results.name')}</th>
            <th scope="col">{t('mypatients.results.birthDate')}</th>
            <th scope="col">{t('mypatients.results.mrn')}</th>
            <th scope="col">{t('mypatients.results.access')}</th>
          </tr>
        </thead>
        <tbody>
          {matches.map((patient) => (
            <tr key={patient.patientId}>
              <th scope="row">
                <Link to={chartPath(patient.patientId)} translate="no">
                  {patient.familyName}, {patient.givenName}
                </Link>
              </th>
              <td className="nowrap">{formatBirthDate(patient.birthDate)}</td>
              <td translate="no">{patient.mrn}</td>
              <td>{viaLabel(t, patient.via)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One way to ask for access: its button and what it does, or that it was asked already. */
function RequestAction(props: {
  kind: AccessRequestKind;
  waiting: boolean;
  pending: boolean;
  helpId: string;
  onRequest: (kind: AccessRequestKind) => void;
}) {
  const t = useT();
  const isPcp = props.kind === 'pcp';
  if (props.waiting)
    return (
      <p className="mypatients-request__waiting">
        {isPcp ? t('mypatients.notAuthorized.pcpPending') : t('mypatients.notAuthorized.nonPcpPending')}
      </p>
    );
  return (
    <div className="mypatients-request__action">
      <button
        type="button"
        className="button button--secondary"
        aria-describedby={props.helpId}
        aria-disabled={props.pending}
        onClick={() => {
          if (!props.pending) props.onRequest(props.kind);
        }}
      >
        {isPcp ? t('mypatients.notAuthorized.pcp') : t('mypatients.notAuthorized.nonPcp')}
      </button>
      <p className="field__hint" id={props.helpId}>
        {isPcp ? t('mypatients.notAuthorized.pcpHelp') : t('mypatients.notAuthorized.nonPcpHelp')}
      </p>
    </div>
  );
}

/**
 * A match the provider may not open: "Not authorized", described only by what they typed, with "Request PCP access"
 * and "Request non-PCP access" (each explained), an optional reason, and what was asked already.
 */
function NotAuthorizedCard({ match, query }: { match: NotAuthorized; query: string }) {
  const t = useT();
  const baseId = useId();
  const queryClient = useQueryClient();
  const [waiting, setWaiting] = useState<AccessRequestKind[]>(match.pending);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const errors = useFormErrors();
  const reasonId = `${baseId}-reason`;

  async function request(kind: AccessRequestKind) {
    setPending(true);
    setSent(null);
    try {
      await requestPatientAccess({ patientId: match.patientId, kind, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      errors.clear();
      setWaiting((before) => [...new Set([...before, kind])]);
      setSent(kind === 'pcp' ? t('mypatients.notAuthorized.pcpSent') : t('mypatients.notAuthorized.nonPcpSent'));
      await queryClient.invalidateQueries({ queryKey: myPatientsKeys.requests });
    } catch (error) {
      if (isApiError(error, 'already_authorized')) errors.show([], t('mypatients.notAuthorized.alreadyAuthorized'));
      else if (isApiError(error, 'too_many_requests')) errors.show([], t('mypatients.notAuthorized.tooMany'));
      else if (isApiError(error, 'validation_failed') && error.field === 'reason')
        errors.show([{ id: reasonId, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  const both = waiting.includes('pcp') && waiting.includes('non_pcp');
  return (
    <li className="card mypatients-request" aria-labelledby={`${baseId}-title`}>
      <h3 className="card__title" id={`${baseId}-title`}>
        {t('mypatients.notAuthorized.title')}
      </h3>
      <p>
        <span translate="no">{t('mypatients.notAuthorized.match', { query })}</span>
      </p>
      <p>{t('mypatients.notAuthorized.text')}</p>
      <ErrorSummary errors={errors} />
      {sent && <StatusMessage tone="success">{sent}</StatusMessage>}
      {!both && (
        <TextAreaField
          id={reasonId}
          label={t('mypatients.notAuthorized.reason')}
          hint={t('mypatients.notAuthorized.reasonHint')}
          value={reason}
          onValueChange={setReason}
          error={errors.errorFor(reasonId)}
          maxLength={1000}
          rows={2}
        />
      )}
      <RequestAction
        kind="pcp"
        waiting={waiting.includes('pcp')}
        pending={pending}
        helpId={`${baseId}-pcp-help`}
        onRequest={(k) => void request(k)}
      />
      <RequestAction
        kind="non_pcp"
        waiting={waiting.includes('non_pcp')}
        pending={pending}
        helpId={`${baseId}-non-pcp-help`}
        onRequest={(k) => void request(k)}
      />
    </li>
  );
}

/** The answer to a search, under the form: the provider's patients, then the matches they may not open. */
function Results({
  result,
  query,
  headingRef,
}: {
  result: MyPatientsSearchResult;
  query: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const t = useT();
  const headingId = useId();
  const authorized = result.patients.filter((p): p is Authorized => p.authorized);
  const others = result.patients.filter((p): p is NotAuthorized => !p.authorized);
  return (
    <section className="search-results" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {t('mypatients.results.heading')}
      </h2>
      {result.patients.length === 0 && (
        <p className="empty-state">
          <span translate="no">{t('mypatients.results.none', { query })}</span>
        </p>
      )}
      {authorized.length > 0 && <AuthorizedTable matches={authorized} />}
      {others.length > 0 && (
        <ul className="plain-list">
          {others.map((match) => (
            <NotAuthorizedCard key={match.patientId} match={match} query={query} />
          ))}
        </ul>
      )}
      {result.patients.length >= 20 && <p className="muted">{t('mypatients.results.capped')}</p>}
    </section>
  );
}

/** "My requests": each request, what it asked and where it stands; the patient named only once access is granted. */
function MyRequests() {
  const t = useT();
  const headingId = useId();
  const captionId = useId();
  const query = useQuery({ queryKey: myPatientsKeys.requests, queryFn: fetchMyRequests });
  let body: ReactNode;
  if (query.isPending) body = <p role="status">{t('common.loading')}</p>;
  else if (query.isError)
    body = <LoadProblem error={query.error} onRetry={() => void query.refetch()} title="mypatients.requests.loadFailed" />;
  else if (query.data.requests.length === 0) body = <p className="empty-state">{t('mypatients.requests.empty')}</p>;
  else
    body = (
      <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table className="table">
          <caption id={captionId} className="visually-hidden">
            {t('mypatients.requests.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('mypatients.requests.patient')}</th>
              <th scope="col">{t('mypatients.requests.kindColumn')}</th>
              <th scope="col">{t('mypatients.requests.statusColumn')}</th>
              <th scope="col">{t('mypatients.requests.sent')}</th>
            </tr>
          </thead>
          <tbody>
            {query.data.requests.map((request) => (
              <tr key={request.id}>
                <th scope="row">
                  {request.patient ? (
                    <Link to={chartPath(request.patientId)} translate="no">
                      {request.patient.familyName}, {request.patient.givenName}
                    </Link>
                  ) : (
                    <span className="muted">{t('mypatients.requests.hiddenPatient')}</span>
                  )}
                </th>
                <td>{t(`mypatients.requests.kind.${request.kind}`)}</td>
                <td>{t(`mypatients.requests.status.${request.status}`)}</td>
                <td className="nowrap">{formatDate(request.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('mypatients.requests.heading')}</h2>
      {body}
    </section>
  );
}

/**
 * `/` for an outside provider or their practice staff ('practice.patients' without staff search), issue 12 §2:
 * "Patient selection" by name and date of birth or by MRN. Their own patients open the read-only chart (only the
 * patient's opaque id goes into the URL); any other match reads "Not authorized" with the two requests; "My requests"
 * shows where each stands; "Validate a token" sits at the top right.
 */
export function ProviderHomePage() {
  const t = useT();
  const user = useSignedInUser();
  useDocumentTitle(t('mypatients.home.title'));
  const [found, setFound] = useState<{ result: MyPatientsSearchResult; query: string; n: number } | null>(null);
  const resultsHeading = useRef<HTMLHeadingElement>(null);

  // Each answered search takes the eye and the keyboard to its results.
  useEffect(() => {
    if (found) resultsHeading.current?.focus();
  }, [found]);

  if (!hasAbility(user, 'practice.patients')) return <NotFoundPage />;
  return (
    <div className="page">
      <div className="mypatients-head">
        <h1>{t('mypatients.home.title')}</h1>
        <Link className="button button--secondary" to="/mypatients/validate-token">
          {t('mypatients.home.validateToken')}
        </Link>
      </div>
      <p className="lede">{t('mypatients.home.signedIn', { name: user.displayName })}</p>
      <section className="section" aria-labelledby="mypatients-search-heading">
        <h2 id="mypatients-search-heading">{t('mypatients.search.heading')}</h2>
        <SearchForm onFound={(result, query) => setFound((before) => ({ result, query, n: (before?.n ?? 0) + 1 }))} />
        <p className="live-text" role="status">
          {found ? t('mypatients.results.found', { count: found.result.patients.length }) : ''}
        </p>
        {found && <Results key={found.n} result={found.result} query={found.query} headingRef={resultsHeading} />}
      </section>
      <MyRequests />
    </div>
  );
}
