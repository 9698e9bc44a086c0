import type { IdentityMethod } from '@portico/shared';
import type { FormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { FieldFrame } from '../FieldFrame.tsx';
import { TextAreaField } from '../TextAreaField.tsx';
import { TextField } from '../TextField.tsx';
import { accessFieldIds, areaChoices, identityChoices, type AccessDraft } from './access-draft.ts';

/** The identity method, level, areas, end date and note fields of the approve and set-up forms. */
export function AccessFields({
  baseId,
  draft,
  onChange,
  errors,
}: {
  baseId: string;
  draft: AccessDraft;
  onChange: (draft: AccessDraft) => void;
  errors: Pick<FormErrors, 'errorFor'>;
}) {
  const t = useT();
  const ids = accessFieldIds(baseId);
  const areasError = errors.errorFor(ids.areas);
  const set = (patch: Partial<AccessDraft>) => onChange({ ...draft, ...patch });
  return (
    <>
      <FieldFrame id={ids.identity} label={t('proxies.identity.label')} error={errors.errorFor(ids.identity)}>
        {(aria) => (
          <select
            id={ids.identity}
            className="input"
            value={draft.identityMethod}
            onChange={(event) => set({ identityMethod: event.target.value as IdentityMethod | '' })}
            {...aria}
          >
            <option value="">{t('proxies.identity.choose')}</option>
            {identityChoices.map((method) => (
              <option key={method} value={method}>
                {t(`proxies.identity.${method}`)}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
      <fieldset className="fieldset">
        <legend>{t('proxies.level.legend')}</legend>
        {(['full', 'areas'] as const).map((level) => (
          <div className="radio" key={level}>
            <input
              type="radio"
              id={`${baseId}-level-${level}`}
              name={`${baseId}-level`}
              checked={draft.level === level}
              onChange={() => set({ level })}
            />
            <label htmlFor={`${baseId}-level-${level}`}>{t(`proxies.level.${level}`)}</label>
          </div>
        ))}
      </fieldset>
      {draft.level === 'areas' && (
        <fieldset className={areasError ? 'fieldset field--error' : 'fieldset'}>
          <legend>{t('proxies.level.areas')}</legend>
          {areasError && (
            <p className="field__error" id={`${baseId}-areas-error`}>
              <span className="visually-hidden">{t('common.errorPrefix')}</span>
              {areasError}
            </p>
          )}
          {areaChoices.map((area) => {
            const id = `${baseId}-area-${area}`;
            return (
              <div className="checkbox" key={area}>
                <input
                  type="checkbox"
                  id={id}
                  checked={draft.areas.includes(area)}
                  onChange={(event) =>
                    set({ areas: event.target.checked ? [...draft.areas, area] : draft.areas.filter((a) => a !== area) })
                  }
                  aria-invalid={areasError ? true : undefined}
                  aria-describedby={areasError ? `${baseId}-areas-error` : undefined}
                />
                <label htmlFor={id}>{t(`proxies.area.${area}`)}</label>
              </div>
            );
          })}
        </fieldset>
      )}
      <TextField
        id={ids.endsOn}
        type="date"
        label={t('proxies.endsAt.label')}
        hint={t('proxies.endsAt.hint')}
        value={draft.endsOn}
        onValueChange={(endsOn) => set({ endsOn })}
        error={errors.errorFor(ids.endsOn)}
      />
      <TextAreaField
        id={ids.note}
        label={t('proxies.note.label')}
        hint={t('proxies.note.hint')}
        value={draft.note}
        maxLength={500}
        rows={2}
        onValueChange={(note) => set({ note })}
        error={errors.errorFor(ids.note)}
      />
    </>
  );
}
