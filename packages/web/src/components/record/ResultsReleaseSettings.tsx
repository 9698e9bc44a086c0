import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { MessageId } from '@portico/shared/i18n';
import { errorMessage } from '../../api/client.ts';
import { recordKeys, saveResultsRelease, type ResultsReleaseMode } from '../../api/record.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { QueryProblem } from './QueryProblem.tsx';
import { useResultsRelease } from './record-queries.ts';

const ids = { immediate: 'results-release-immediate', afterReview: 'results-release-after-review' };

const savedText: Record<ResultsReleaseMode, MessageId> = {
  immediate: 'record.release.savedImmediate',
  after_review: 'record.release.savedAfterReview',
};

/**
 * The patient's choice of when new results reach them. The 21st Century Cures Act (and ONC's information blocking
 * rule) makes release as soon as a result is ready the default; holding for review is the patient's own choice.
 * `headingId` lets the page link to the section.
 */
export function ResultsReleaseSettings({ patientId, headingId }: { patientId: string; headingId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const query = useResultsRelease(patientId);
  const [choice, setChoice] = useState<ResultsReleaseMode | null>(null);
  const [saved, setSaved] = useState<ResultsReleaseMode | null>(null);
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const mode = choice ?? query.data ?? 'immediate';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    setPending(true);
    try {
      const answer = await saveResultsRelease(patientId, mode);
      queryClient.setQueryData(recordKeys.release(patientId), answer);
      setChoice(null);
      errors.clear();
      setSaved(answer);
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="section record-settings" aria-labelledby={headingId}>
      <h2 id={headingId} tabIndex={-1}>
        {t('record.release.heading')}
      </h2>
      <p>{t('record.release.intro')}</p>
      <p>{t('record.release.introHold')}</p>
      {query.isError && !query.data ? (
        <QueryProblem error={query.error} what={t('record.what.releaseSetting')} onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <p role="status">{t('record.release.loading')}</p>
      ) : (
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <ErrorSummary errors={errors} />
          {saved && <StatusMessage tone="success">{t(savedText[saved])}</StatusMessage>}
          <fieldset className="fieldset">
            <legend>{t('record.release.legend')}</legend>
            <div className="radio">
              <input
                type="radio"
                id={ids.immediate}
                name="results-release"
                checked={mode === 'immediate'}
                onChange={() => setChoice('immediate')}
                aria-describedby={`${ids.immediate}-hint`}
              />
              <label htmlFor={ids.immediate}>{t('record.release.immediate')}</label>
              <p className="field__hint" id={`${ids.immediate}-hint`}>
                {t('record.release.immediateHint')}
              </p>
            </div>
            <div className="radio">
              <input
                type="radio"
                id={ids.afterReview}
                name="results-release"
                checked={mode === 'after_review'}
                onChange={() => setChoice('after_review')}
                aria-describedby={`${ids.afterReview}-hint`}
              />
              <label htmlFor={ids.afterReview}>{t('record.release.afterReview')}</label>
              <p className="field__hint" id={`${ids.afterReview}-hint`}>
                {t('record.release.afterReviewHint')}
              </p>
            </div>
          </fieldset>
          <button type="submit" className="button" disabled={pending}>
            {t('record.release.save')}
          </button>
        </form>
      )}
    </section>
  );
}
