import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { RecordExportBody, RecordSection } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { exportRecord } from '../../api/record.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { recordSectionChoices, type PrintChoice } from '../../components/record/record-sections.ts';
import { useRecordScope } from '../../components/record/record-scope.ts';
import { saveFile } from '../../components/record/save-file.ts';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';

type Format = RecordExportBody['format'];

const ids = {
  section: (key: RecordSection) => `download-section-${key}`,
  from: 'download-from',
  to: 'download-to',
  pdf: 'download-format-pdf',
  fhir: 'download-format-fhir',
};
const firstSectionId = ids.section(recordSectionChoices[0]?.key ?? 'problems');

/** Which input a server validation error's `field` belongs to. */
function inputFor(field: string | undefined): string | null {
  if (!field) return null;
  if (field === 'sections' || field.startsWith('sections.')) return firstSectionId;
  if (field === 'from') return ids.from;
  if (field === 'to') return ids.to;
  if (field === 'format') return ids.pdf;
  return null;
}

/** `/record/download`: the patient picks sections, dates and a format, then downloads the file or prints the sections. */
export function DownloadPage() {
  const t = useT();
  useDocumentTitle(t('record.download.title'));
  const { patientId } = useRecordScope();
  const [sections, setSections] = useState<ReadonlySet<RecordSection>>(() => new Set(recordSectionChoices.map((c) => c.key)));
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [format, setFormat] = useState<Format>('pdf');
  const [pending, setPending] = useState(false);
  const [savedAs, setSavedAs] = useState<string | null>(null);
  const errors = useFormErrors();

  const chosen = recordSectionChoices.filter((c) => sections.has(c.key)).map((c) => c.key);
  const printChoice: PrintChoice = { sections: chosen, from: from || undefined, to: to || undefined };

  function toggle(key: RecordSection, on: boolean) {
    setSections((current) => {
      const next = new Set(current);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  }

  function validate(): FieldError[] {
    const problems: FieldError[] = [];
    if (chosen.length === 0) problems.push({ id: firstSectionId, message: t('record.download.noSection') });
    if (from && !/^\d{4}-\d{2}-\d{2}$/.test(from)) problems.push({ id: ids.from, message: t('record.download.fromInvalid') });
    if (to && !/^\d{4}-\d{2}-\d{2}$/.test(to)) problems.push({ id: ids.to, message: t('record.download.toInvalid') });
    if (from && to && from > to) problems.push({ id: ids.from, message: t('record.download.fromAfterTo') });
    return problems;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSavedAs(null);
    const problems = validate();
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const body: RecordExportBody = { format, sections: chosen, ...(from ? { from } : {}), ...(to ? { to } : {}) };
      const file = await exportRecord(patientId, body);
      saveFile(file);
      errors.clear();
      setSavedAs(file.filename);
    } catch (error) {
      const input = isApiError(error, 'validation_failed', 'bad_request') ? inputFor(error.field) : null;
      if (input) errors.show([{ id: input, message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page">
      <h1>{t('record.download.title')}</h1>
      <p className="lede">{t('record.download.intro')}</p>
      <ErrorSummary errors={errors} />
      {savedAs && (
        <StatusMessage tone="success">
          {t('record.download.started')}{' '}
          <strong className="break-anywhere" translate="no">
            {savedAs}
          </strong>
          {t('record.download.startedEnd')}
        </StatusMessage>
      )}
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <fieldset className="fieldset" aria-describedby="download-sections-hint">
          <legend>{t('record.download.sections')}</legend>
          <p className="field__hint" id="download-sections-hint">
            {t('record.download.sectionsHint')}
          </p>
          {errors.errorFor(firstSectionId) && (
            <p className="field__error">
              <span className="visually-hidden">{t('record.download.errorPrefix')} </span>
              {errors.errorFor(firstSectionId)}
            </p>
          )}
          {recordSectionChoices.map((choice) => (
            <div className="checkbox" key={choice.key}>
              <input
                type="checkbox"
                id={ids.section(choice.key)}
                checked={sections.has(choice.key)}
                onChange={(event) => toggle(choice.key, event.target.checked)}
              />
              <label htmlFor={ids.section(choice.key)}>{t(choice.label)}</label>
            </div>
          ))}
        </fieldset>

        <fieldset className="fieldset">
          <legend>{t('record.download.dates')}</legend>
          <p className="field__hint">{t('record.download.datesHint')}</p>
          <div className="date-range">
            <TextField
              id={ids.from}
              label={t('record.download.from')}
              type="date"
              value={from}
              onValueChange={setFrom}
              error={errors.errorFor(ids.from)}
            />
            <TextField
              id={ids.to}
              label={t('record.download.to')}
              type="date"
              value={to}
              onValueChange={setTo}
              error={errors.errorFor(ids.to)}
            />
          </div>
        </fieldset>

        <fieldset className="fieldset">
          <legend>{t('record.download.format')}</legend>
          <div className="radio">
            <input
              type="radio"
              id={ids.pdf}
              name="download-format"
              checked={format === 'pdf'}
              onChange={() => setFormat('pdf')}
              aria-describedby={`${ids.pdf}-hint`}
            />
            <label htmlFor={ids.pdf}>{t('record.download.pdf')}</label>
            <p className="field__hint" id={`${ids.pdf}-hint`}>
              {t('record.download.pdfHint')}
            </p>
          </div>
          <div className="radio">
            <input
              type="radio"
              id={ids.fhir}
              name="download-format"
              checked={format === 'fhir'}
              onChange={() => setFormat('fhir')}
              aria-describedby={`${ids.fhir}-hint`}
            />
            <label htmlFor={ids.fhir}>{t('record.download.fhir')}</label>
            <p className="field__hint" id={`${ids.fhir}-hint`}>
              {t('record.download.fhirHint')}
            </p>
          </div>
        </fieldset>

        <div className="button-row">
          <button type="submit" className="button" disabled={pending}>
            {t('record.download.submit')}
          </button>
          <Link
            className="button button--secondary"
            to="/record/print"
            state={printChoice}
            onClick={(event) => {
              const problems = validate();
              if (problems.length === 0) return;
              event.preventDefault();
              errors.show(problems);
            }}
          >
            {t('record.download.print')}
          </Link>
        </div>
        <p className="live-text" role="status">
          {pending ? t('record.download.preparing') : ''}
        </p>
      </form>
    </div>
  );
}
