import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { brandingLimits, contrastRatio, hexColorPattern, type AdminBrandingView } from '@portico/shared';
import { brandingKeys, saveBranding } from '../../api/branding.ts';
import { errorMessage, isApiError } from '../../api/client.ts';
import { brandShades } from '../../branding/brand-shades.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useI18n } from '../../i18n/i18n-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { FieldFrame } from '../FieldFrame.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextField } from '../TextField.tsx';
import { brandingInputs, ratioText } from './branding-text.ts';

/** Control characters and line breaks, which the name may not hold (the server refuses them too). */
const controlCharacters = /[\p{Cc}\u2028\u2029]/u;

/** The colour as typed, its contrast with white when it is a colour, and whether that passes. */
function checkColor(typed: string) {
  const color = typed.trim().toLowerCase();
  if (!hexColorPattern.test(color)) return { color: null, ratio: null, passes: false };
  const ratio = contrastRatio(color, '#ffffff');
  return { color, ratio, passes: ratio >= brandingLimits.minContrast };
}

/**
 * The organization's name and primary colour: a text field and a colour picker kept in step, the contrast with white
 * checked as the colour changes (said in words, in a polite live region), and a preview in the new colour once it
 * passes. On save the whole app takes the new colour and name (the public branding query is refreshed).
 */
export function BrandingDetailsForm({ branding }: { branding: AdminBrandingView }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [name, setName] = useState(branding.name);
  const [typedColor, setTypedColor] = useState(branding.primaryColor);
  const [lastColor, setLastColor] = useState(branding.primaryColor);
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);
  const previewRef = useRef<HTMLDivElement>(null);
  const check = checkColor(typedColor);
  const needed = ratioText(brandingLimits.minContrast, locale);

  // The preview wears the candidate colour through the CSSOM (the CSP allows no inline style attributes).
  const previewColor = check.passes ? check.color : null;
  useEffect(() => {
    const preview = previewRef.current;
    if (!preview || !previewColor) return;
    const shades = brandShades(previewColor);
    preview.style.setProperty('--brand', shades.primary);
    preview.style.setProperty('--brand-dark', shades.hover);
    preview.style.setProperty('--link', shades.link);
  }, [previewColor]);

  function changeColor(value: string) {
    setSaved(false);
    setTypedColor(value);
    const next = checkColor(value).color;
    if (next) setLastColor(next);
  }

  function problemsBeforeSaving(): FieldError[] {
    const problems: FieldError[] = [];
    const trimmed = name.trim();
    if (trimmed === '') problems.push({ id: brandingInputs.name, message: t('admin.branding.name.required') });
    else if ([...trimmed].length > brandingLimits.nameMaxLength)
      problems.push({ id: brandingInputs.name, message: t('admin.branding.name.tooLong', { max: brandingLimits.nameMaxLength }) });
    else if (controlCharacters.test(trimmed)) problems.push({ id: brandingInputs.name, message: t('admin.branding.name.invalid') });
    if (!check.color) problems.push({ id: brandingInputs.color, message: t('admin.branding.color.format') });
    return problems;
  }

  /** A refusal from the server, next to the field it names: the contrast in words, or the name's rule. */
  function showRefusal(error: unknown) {
    if (isApiError(error, 'validation_failed') && error.field === 'primaryColor') {
      const message =
        check.ratio !== null
          ? t('admin.branding.color.tooLight', { ratio: ratioText(check.ratio, locale), needed })
          : t('admin.branding.color.format');
      errors.show([{ id: brandingInputs.color, message }]);
    } else if (isApiError(error, 'validation_failed') && error.field === 'name') {
      errors.show([{ id: brandingInputs.name, message: t('admin.branding.name.invalid') }]);
    } else {
      errors.show([], errorMessage(error));
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    setSaved(false);
    const problems = problemsBeforeSaving();
    if (problems.length > 0 || !check.color) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      // The contrast is the server's to refuse: it says what the colour reaches, and the page says it next to the field.
      const answer = await saveBranding({ name: name.trim(), primaryColor: check.color });
      queryClient.setQueryData(brandingKeys.admin(), answer);
      await queryClient.invalidateQueries({ queryKey: brandingKeys.public() });
      setName(answer.name);
      setTypedColor(answer.primaryColor);
      errors.clear();
      setSaved(true);
    } catch (error) {
      showRefusal(error);
    } finally {
      setPending(false);
    }
  }

  const contrastText =
    check.ratio === null
      ? t('admin.branding.contrast.unknown')
      : t(check.passes ? 'admin.branding.contrast.pass' : 'admin.branding.contrast.fail', {
          ratio: ratioText(check.ratio, locale),
          needed,
        });

  return (
    <section className="section" aria-labelledby="branding-details-heading">
      <h2 id="branding-details-heading">{t('admin.branding.details.heading')}</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        <TextField
          id={brandingInputs.name}
          label={t('admin.branding.name.label')}
          hint={t('admin.branding.name.hint', { max: brandingLimits.nameMaxLength })}
          value={name}
          onValueChange={(value) => {
            setSaved(false);
            setName(value);
          }}
          error={errors.errorFor(brandingInputs.name)}
          autoComplete="organization"
          translate="no"
        />
        <FieldFrame
          id={brandingInputs.color}
          label={t('admin.branding.color.label')}
          hint={t('admin.branding.color.hint')}
          error={errors.errorFor(brandingInputs.color)}
        >
          {(aria) => (
            <div className="branding-color">
              <input
                id={brandingInputs.color}
                className="input branding-color__text"
                value={typedColor}
                onChange={(event) => changeColor(event.target.value)}
                autoComplete="off"
                spellCheck={false}
                translate="no"
                aria-invalid={aria['aria-invalid']}
                aria-describedby={[aria['aria-describedby'], 'branding-contrast'].filter(Boolean).join(' ')}
              />
              <input
                type="color"
                className="branding-color__picker"
                value={check.color ?? lastColor}
                onChange={(event) => changeColor(event.target.value)}
                aria-label={t('admin.branding.color.picker')}
              />
            </div>
          )}
        </FieldFrame>
        <p
          id="branding-contrast"
          className={check.passes ? 'branding-contrast' : 'branding-contrast branding-contrast--fail'}
          role="status"
        >
          {contrastText}
        </p>
        <div className="branding-preview" ref={previewRef} aria-labelledby="branding-preview-heading" role="group">
          <h3 id="branding-preview-heading">{t('admin.branding.preview.heading')}</h3>
          {previewColor ? (
            <div className="branding-preview__sample">
              <span className="branding-preview__name" translate="no">
                {name.trim() || branding.name}
              </span>
              <span className="button branding-preview__button">{t('admin.branding.preview.button')}</span>
              <span className="branding-preview__link">{t('admin.branding.preview.link')}</span>
            </div>
          ) : (
            <p className="muted">{t('admin.branding.preview.hidden')}</p>
          )}
        </div>
        <div className="button-row">
          <button type="submit" className="button" disabled={pending}>
            {pending ? t('admin.branding.saving') : t('admin.branding.save')}
          </button>
        </div>
        {saved && <StatusMessage tone="success">{t('admin.branding.saved')}</StatusMessage>}
      </form>
    </section>
  );
}
