import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { SensitiveCategoryName } from '@portico/shared';
import { errorMessage } from '../../api/client.ts';
import { saveSensitiveSharing, sharingKeys, type SharingEntry } from '../../api/sharing.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { sensitiveChoices, sensitiveLabel } from './sharing-text.ts';

/**
 * The sensitive categories shared with one person, as checkboxes (none ticked by default: the policy hides them
 * until the patient says so, per category and per person); substance use explains 42 CFR Part 2 beside its box.
 */
export function SensitiveSharingForm({ patientId, entry }: { patientId: string; entry: SharingEntry }) {
  const t = useT();
  const queryClient = useQueryClient();
  const baseId = useId();
  const [chosen, setChosen] = useState<ReadonlySet<SensitiveCategoryName>>(() => new Set(entry.sensitiveCategories));
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'failed'; message: string }>({ kind: 'idle' });
  const hintId = `${baseId}-hint`;

  function toggle(category: SensitiveCategoryName, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(category);
    else next.delete(category);
    setChosen(next);
    setState({ kind: 'idle' });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (state.kind === 'saving') return;
    setState({ kind: 'saving' });
    try {
      await saveSensitiveSharing(
        patientId,
        entry.grantId,
        sensitiveChoices.filter((c) => chosen.has(c)),
      );
      await queryClient.invalidateQueries({ queryKey: sharingKeys.all(patientId) });
      setState({ kind: 'saved' });
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  }

  return (
    <form className="form sharing-sensitive" onSubmit={(event) => void submit(event)} noValidate>
      <fieldset className="fieldset" aria-describedby={hintId}>
        <legend>{t('sharing.sensitiveForm.legend', { name: entry.name })}</legend>
        <p className="field__hint" id={hintId}>
          {t('sharing.sensitiveForm.hint')}
        </p>
        {sensitiveChoices.map((category) => {
          const id = `${baseId}-${category}`;
          return (
            <div className="checkbox" key={category}>
              <input
                type="checkbox"
                id={id}
                checked={chosen.has(category)}
                onChange={(event) => toggle(category, event.target.checked)}
                aria-describedby={category === 'substance_use' ? `${id}-hint` : undefined}
              />
              <label htmlFor={id}>{sensitiveLabel(t, category)}</label>
              {category === 'substance_use' && (
                <p className="field__hint" id={`${id}-hint`}>
                  {t('sharing.sensitiveForm.part2')}
                </p>
              )}
            </div>
          );
        })}
      </fieldset>
      {state.kind === 'failed' && (
        <div className="error-summary" role="alert">
          <p className="error-summary__title">{t('sharing.sensitiveForm.failed')}</p>
          <p className="error-summary__message">{state.message}</p>
        </div>
      )}
      <button type="submit" className="button button--secondary" aria-disabled={state.kind === 'saving'}>
        {t('sharing.sensitiveForm.save', { name: entry.name })}
      </button>
      <p className="live-text" role="status">
        {state.kind === 'saving'
          ? t('sharing.sensitiveForm.saving')
          : state.kind === 'saved'
            ? t('sharing.sensitiveForm.saved', { name: entry.name })
            : ''}
      </p>
    </form>
  );
}
