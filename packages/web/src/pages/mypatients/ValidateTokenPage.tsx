import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage, isApiError } from '../../api/client.ts';
import { myPatientsKeys, validateProviderToken } from '../../api/mypatients.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';
import { chartPath } from './mypatients-text.ts';

const ids = { token: 'mypatients-token', mrn: 'mypatients-token-mrn' } as const;

/**
 * `/mypatients/validate-token` (issue 12 §2, "Validate a token"): the token from a patient's invitation and the MRN it
 * is for. A valid pair lets the provider find the patient in their search and open the chart; any failure reads the
 * same ("This token and MRN do not match a valid token."), never which part was wrong.
 */
export function ValidateTokenPage() {
  const t = useT();
  const user = useSignedInUser();
  useDocumentTitle(t('mypatients.token.title'));
  const queryClient = useQueryClient();
  const [token, setToken] = useState('');
  const [mrn, setMrn] = useState('');
  const [pending, setPending] = useState(false);
  const [patientId, setPatientId] = useState<string | null>(null);
  const errors = useFormErrors();
  const done = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (patientId) done.current?.focus();
  }, [patientId]);

  if (!hasAbility(user, 'practice.patients')) return <NotFoundPage />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const problems = [];
    if (!token.trim()) problems.push({ id: ids.token, message: t('mypatients.token.tokenRequired') });
    if (!mrn.trim()) problems.push({ id: ids.mrn, message: t('mypatients.token.mrnRequired') });
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const answer = await validateProviderToken(token.trim(), mrn.trim());
      errors.clear();
      setToken('');
      setMrn('');
      setPatientId(answer.patientId);
      await queryClient.invalidateQueries({ queryKey: myPatientsKeys.requests });
    } catch (error) {
      if (isApiError(error, 'validation_failed') && (error.field === 'token' || error.field === 'mrn'))
        errors.show([{ id: ids[error.field], message: errorMessage(error) }]);
      else if (isApiError(error, 'too_many_requests')) errors.show([], t('mypatients.token.tooMany'));
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page">
      <p className="back-link">
        <Link to="/">{t('mypatients.token.back')}</Link>
      </p>
      <h1>{t('mypatients.token.title')}</h1>
      <p className="lede">{t('mypatients.token.intro')}</p>
      {patientId && (
        <div className="notice notice--success" role="status" tabIndex={-1} ref={done}>
          <p>{t('mypatients.token.done')}</p>
          <p>
            <Link to={chartPath(patientId)}>{t('mypatients.token.openChart')}</Link>
          </p>
        </div>
      )}
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        <TextField
          id={ids.token}
          label={t('mypatients.token.token')}
          hint={t('mypatients.token.tokenHint')}
          value={token}
          onValueChange={setToken}
          error={errors.errorFor(ids.token)}
          className="input--code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={64}
          required
        />
        <TextField
          id={ids.mrn}
          label={t('mypatients.token.mrn')}
          hint={t('mypatients.token.mrnHint')}
          value={mrn}
          onValueChange={setMrn}
          error={errors.errorFor(ids.mrn)}
          className="input--code"
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          required
        />
        <button type="submit" className="button" aria-disabled={pending}>
          {t('mypatients.token.submit')}
        </button>
      </form>
    </div>
  );
}
