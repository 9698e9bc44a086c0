import { useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { brandingLimits, type AdminBrandingView } from '@portico/shared';
import { brandingKeys, removeLogo, uploadLogo } from '../../api/branding.ts';
import { errorMessage } from '../../api/client.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useI18n } from '../../i18n/i18n-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { FieldFrame } from '../FieldFrame.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { brandingInputs, kilobytesText, logoFileProblem, logoUploadProblem } from './branding-text.ts';

/** A chosen file and its preview (a data: URL, which the CSP's img-src allows; blob: URLs it does not). */
interface Chosen {
  file: File;
  preview: string;
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => (typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('unreadable')));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(file);
  });
}

/**
 * The logo: the current one (or a note that there is none) with a Remove button, and a file chooser that checks the
 * type and size in the browser, previews the chosen image, and saves it (the server checks the bytes again and may
 * refuse them, said next to the chooser).
 */
export function LogoSettings({ branding }: { branding: AdminBrandingView }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const inputRef = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [pending, setPending] = useState<'upload' | 'remove' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function applied(answer: AdminBrandingView, message: string) {
    queryClient.setQueryData(brandingKeys.admin(), answer);
    await queryClient.invalidateQueries({ queryKey: brandingKeys.public() });
    setNotice(message);
  }

  async function choose(file: File | undefined) {
    setNotice(null);
    setChosen(null);
    if (!file) return;
    const problem = logoFileProblem(file, t, locale);
    if (problem) {
      errors.show([{ id: brandingInputs.logo, message: problem }]);
      return;
    }
    try {
      setChosen({ file, preview: await readAsDataUrl(file) });
      errors.clear();
    } catch {
      errors.show([{ id: brandingInputs.logo, message: t('admin.branding.logo.error.read') }]);
    }
  }

  async function upload(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    if (!chosen) {
      errors.show([{ id: brandingInputs.logo, message: t('admin.branding.logo.error.none') }]);
      return;
    }
    setPending('upload');
    try {
      await applied(await uploadLogo(chosen.file), t('admin.branding.logo.uploaded'));
      setChosen(null);
      errors.clear();
      if (inputRef.current) inputRef.current.value = '';
    } catch (error) {
      errors.show([{ id: brandingInputs.logo, message: logoUploadProblem(error, chosen.file, t, locale) }]);
    } finally {
      setPending(null);
    }
  }

  async function remove() {
    if (pending) return;
    setPending('remove');
    setNotice(null);
    try {
      await applied(await removeLogo(), t('admin.branding.logo.removed'));
      errors.clear();
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(null);
    }
  }

  return (
    <section className="section" aria-labelledby="branding-logo-heading">
      <h2 id="branding-logo-heading">{t('admin.branding.logo.heading')}</h2>
      <div className="branding-logo">
        <h3>{t('admin.branding.logo.current')}</h3>
        {branding.logoUrl ? (
          <>
            <img className="branding-logo__image" src={branding.logoUrl} alt={t('admin.branding.logo.currentAlt')} />
            <div className="button-row">
              <button type="button" className="button button--secondary" disabled={pending !== null} onClick={() => void remove()}>
                {pending === 'remove' ? t('admin.branding.logo.removing') : t('admin.branding.logo.remove')}
              </button>
            </div>
          </>
        ) : (
          <p className="muted">{t('admin.branding.logo.none')}</p>
        )}
      </div>
      <form className="form" onSubmit={(event) => void upload(event)} noValidate>
        <ErrorSummary errors={errors} />
        <FieldFrame
          id={brandingInputs.logo}
          label={t('admin.branding.logo.label')}
          hint={t('admin.branding.logo.hint', {
            size: kilobytesText(brandingLimits.logoMaxBytes, locale),
            pixels: brandingLimits.logoMaxPixels,
          })}
          error={errors.errorFor(brandingInputs.logo)}
        >
          {(aria) => (
            <input
              ref={inputRef}
              id={brandingInputs.logo}
              type="file"
              className="input branding-logo__input"
              accept={[...brandingLimits.logoTypes, '.png', '.jpg', '.jpeg'].join(',')}
              onChange={(event) => void choose(event.target.files?.[0])}
              {...aria}
            />
          )}
        </FieldFrame>
        {chosen && (
          <div className="branding-logo">
            <h3>{t('admin.branding.logo.previewHeading')}</h3>
            <img className="branding-logo__image" src={chosen.preview} alt={t('admin.branding.logo.previewAlt')} />
          </div>
        )}
        <div className="button-row">
          <button type="submit" className="button" disabled={pending !== null}>
            {pending === 'upload' ? t('admin.branding.logo.uploading') : t('admin.branding.logo.upload')}
          </button>
          {chosen && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setChosen(null);
                if (inputRef.current) inputRef.current.value = '';
                inputRef.current?.focus();
              }}
            >
              {t('admin.branding.logo.cancel')}
            </button>
          )}
        </div>
      </form>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
    </section>
  );
}
