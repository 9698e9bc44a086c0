import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/client.ts';
import { recordKeys, saveResultsRelease, type ResultsReleaseMode } from '../../api/record.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { QueryProblem } from './QueryProblem.tsx';
import { useResultsRelease } from './record-queries.ts';

const ids = { immediate: 'results-release-immediate', afterReview: 'results-release-after-review' };

const savedText: Record<ResultsReleaseMode, string> = {
  immediate: 'Saved. New results will be released to you as soon as they are ready.',
  after_review: 'Saved. New results will be held until your clinician reviews them.',
};

/**
 * The patient's choice of when new results reach them. The 21st Century Cures Act (and ONC's information blocking
 * rule) makes release as soon as a result is ready the default; holding for review is the patient's own choice.
 * `headingId` lets the page link to the section.
 */
export function ResultsReleaseSettings({ patientId, headingId }: { patientId: string; headingId: string }) {
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
        When new results reach you
      </h2>
      <p>
        Under the 21st Century Cures Act, your test results are released to you as soon as they are ready. That is the default, and it means
        you may see a result before your clinician has looked at it or talked it through with you.
      </p>
      <p>
        If you would rather hear from your clinician first, you can have new results held until your clinician reviews them. This changes
        only results that arrive from now on; results you can already see stay visible, and you can change your mind at any time.
      </p>
      {query.isError && !query.data ? (
        <QueryProblem error={query.error} what="your results setting" onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <p role="status">Loading your results setting…</p>
      ) : (
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <ErrorSummary errors={errors} />
          {saved && <StatusMessage tone="success">{savedText[saved]}</StatusMessage>}
          <fieldset className="fieldset">
            <legend>Release of new results</legend>
            <div className="radio">
              <input
                type="radio"
                id={ids.immediate}
                name="results-release"
                checked={mode === 'immediate'}
                onChange={() => setChoice('immediate')}
                aria-describedby={`${ids.immediate}-hint`}
              />
              <label htmlFor={ids.immediate}>Release results to me immediately</label>
              <p className="field__hint" id={`${ids.immediate}-hint`}>
                The default. You see each result as soon as it is ready, sometimes before your clinician does.
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
              <label htmlFor={ids.afterReview}>Hold new results until my clinician reviews them</label>
              <p className="field__hint" id={`${ids.afterReview}-hint`}>
                Your clinician sees each new result first and releases it to you after reviewing it.
              </p>
            </div>
          </fieldset>
          <button type="submit" className="button" disabled={pending}>
            Save choice
          </button>
        </form>
      )}
    </section>
  );
}
