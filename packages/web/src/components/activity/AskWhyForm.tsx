import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { activityQuestionLimits, type ActivityQuestionAnswer } from '@portico/shared';
import { askAboutAccess } from '../../api/activity.ts';
import { errorMessage, isApiError } from '../../api/client.ts';
import { messageKeys } from '../../api/messages.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { useIdempotencyKey } from '../messages/idempotency-key.ts';
import { TextAreaField } from '../TextAreaField.tsx';

/** Props of the question form under one entry of the log. */
interface AskWhyFormProps {
  patientId: string;
  /** The entry asked about (its `id`). */
  eventId: string;
  onSent: (answer: ActivityQuestionAnswer) => void;
  onCancel: () => void;
}

/**
 * "Why did this person look?" (issue 11 §3): a labelled question, sent to the privacy office with the entry attached.
 * The textarea takes focus when the form opens; problems show in the error summary, which takes focus; the server's
 * refusals (no privacy office, an entry no longer listed) are shown in words. One Idempotency-Key per question.
 */
export function AskWhyForm({ patientId, eventId, onSent, onCancel }: AskWhyFormProps) {
  const t = useT();
  const queryClient = useQueryClient();
  const fieldId = `${useId()}-question`;
  const formRef = useRef<HTMLFormElement>(null);
  const [question, setQuestion] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const idempotency = useIdempotencyKey();
  const max = activityQuestionLimits.questionMaxLength;

  useEffect(() => {
    formRef.current?.querySelector('textarea')?.focus();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const text = question.trim();
    const problem =
      text.length === 0 ? t('activity.question.required') : text.length > max ? t('activity.question.tooLong', { max }) : null;
    if (problem) {
      errors.show([{ id: fieldId, message: problem }]);
      return;
    }
    setPending(true);
    try {
      const answer = await askAboutAccess(patientId, eventId, text, idempotency.key);
      errors.clear();
      onSent(answer);
      // The conversation is new (or newer) in the patient's messages.
      await queryClient.invalidateQueries({ queryKey: messageKeys.all(patientId) });
    } catch (error) {
      if (isApiError(error, 'validation_failed') && error.field === 'question')
        errors.show([{ id: fieldId, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form activity-question" ref={formRef} onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      <TextAreaField
        id={fieldId}
        label={t('activity.question.label')}
        hint={t('activity.question.hint', { max })}
        value={question}
        onValueChange={setQuestion}
        error={errors.errorFor(fieldId)}
        rows={4}
        required
      />
      <div className="button-row">
        <button type="submit" className="button" aria-disabled={pending}>
          {t('activity.question.send')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('activity.question.cancel')}
        </button>
      </div>
      <p className="live-text" role="status">
        {pending ? t('activity.question.sending') : ''}
      </p>
    </form>
  );
}
