import type { BookableVisitType, SchedulingOptions } from '../../api/appointments.ts';
import type { FieldError, FormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { clinicianOptions, departmentsOf, pcpOption, targetOf, type WhoChoice } from './booking-choice.ts';

/** Ids of the "who" step's inputs, for labels and the error summary's links. */
export const whoIds = {
  pcp: 'book-who-pcp',
  named: 'book-who-named',
  any: 'book-who-any',
  clinician: 'book-who-clinician',
  place: (departmentId: string) => `book-who-place-${departmentId}`,
};

/** Props of the "who" step. */
interface WhoFieldsetProps {
  visitType: BookableVisitType;
  pcp: SchedulingOptions['pcp'];
  /** Rescheduling keeps the department: only its clinicians are offered. */
  departmentId?: string;
  value: WhoChoice;
  onChange: (next: WhoChoice) => void;
  errors: FormErrors;
}

/** What is missing from the "who" step, each problem linked to the input that fixes it. */
export function whoProblems(
  props: Pick<WhoFieldsetProps, 'visitType' | 'pcp' | 'departmentId' | 'value'>,
  t: ReturnType<typeof useT>,
): FieldError[] {
  const { visitType, pcp, departmentId, value } = props;
  if (value.kind === null) {
    const first = pcpOption(visitType, pcp, departmentId) ? whoIds.pcp : whoIds.named;
    return [{ id: first, message: t('appointments.who.required') }];
  }
  if (targetOf(visitType, pcp, value, departmentId)) return [];
  if (value.kind === 'named') return [{ id: whoIds.clinician, message: t('appointments.who.clinicianRequired') }];
  return [
    { id: whoIds.place(departmentsOf(visitType, departmentId)[0]?.id ?? 'none'), message: t('appointments.book.departmentRequired') },
  ];
}

function FieldProblem({ id, message }: { id: string; message: string | undefined }) {
  const t = useT();
  if (!message) return null;
  return (
    <p className="field__error" id={id}>
      <span className="visually-hidden">{t('appointments.errorPrefix')} </span>
      {message}
    </p>
  );
}

/**
 * Who the patient would like to see, in this order: "my doctor" (their PCP, when the PCP offers the visit), a clinician
 * they pick from a list, or the first available; first available asks where when the visit is offered in several places.
 */
export function WhoFieldset({ visitType, pcp, departmentId, value, onChange, errors }: WhoFieldsetProps) {
  const t = useT();
  const mine = pcpOption(visitType, pcp, departmentId);
  const options = clinicianOptions(visitType, departmentId);
  const places = departmentsOf(visitType, departmentId);
  const severalPlaces = places.length > 1;
  const whoError = errors.errorFor(mine ? whoIds.pcp : whoIds.named);
  const clinicianError = errors.errorFor(whoIds.clinician);
  const placeError = errors.errorFor(whoIds.place(places[0]?.id ?? 'none'));
  const choose = (next: Partial<WhoChoice>) => onChange({ ...value, ...next });

  return (
    <>
      <fieldset className="fieldset appointment-choice" aria-describedby={whoError ? 'book-who-error' : undefined}>
        <legend>{t('appointments.who.legend')}</legend>
        <FieldProblem id="book-who-error" message={whoError} />
        {mine && (
          <div className="radio">
            <input
              type="radio"
              id={whoIds.pcp}
              name="book-who"
              checked={value.kind === 'pcp'}
              onChange={() => choose({ kind: 'pcp' })}
              aria-describedby={`${whoIds.pcp}-hint`}
            />
            <label htmlFor={whoIds.pcp}>
              <span>
                <RichMessage id="appointments.who.myDoctor" parts={{ name: <span translate="no">{mine.clinicianName}</span> }} />
              </span>
            </label>
            <p className="field__hint" id={`${whoIds.pcp}-hint`}>
              <RichMessage id="appointments.who.myDoctorHint" parts={{ place: <span translate="no">{mine.departmentName}</span> }} />
            </p>
          </div>
        )}
        <div className="radio">
          <input
            type="radio"
            id={whoIds.named}
            name="book-who"
            checked={value.kind === 'named'}
            onChange={() => choose({ kind: 'named' })}
          />
          <label htmlFor={whoIds.named}>{t('appointments.who.named')}</label>
        </div>
        {value.kind === 'named' && (
          <div className="field appointment-choice__nested">
            <label className="field__label" htmlFor={whoIds.clinician}>
              {t('appointments.who.clinicianLabel')}
            </label>
            <FieldProblem id={`${whoIds.clinician}-error`} message={clinicianError} />
            <select
              id={whoIds.clinician}
              className="input"
              value={value.clinicianKey}
              onChange={(event) => choose({ clinicianKey: event.target.value })}
              aria-invalid={clinicianError ? true : undefined}
              aria-describedby={clinicianError ? `${whoIds.clinician}-error` : undefined}
            >
              <option value="">{t('appointments.who.chooseClinician')}</option>
              {options.map((o) => (
                <option key={o.key} value={o.key} translate="no">
                  {severalPlaces ? t('appointments.who.clinicianAt', { name: o.clinicianName, place: o.departmentName }) : o.clinicianName}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="radio">
          <input
            type="radio"
            id={whoIds.any}
            name="book-who"
            checked={value.kind === 'any'}
            onChange={() => choose({ kind: 'any' })}
            aria-describedby={`${whoIds.any}-hint`}
          />
          <label htmlFor={whoIds.any}>{t('appointments.who.firstAvailable')}</label>
          <p className="field__hint" id={`${whoIds.any}-hint`}>
            {t('appointments.who.firstAvailableHint')}
          </p>
        </div>
      </fieldset>
      {value.kind === 'any' && severalPlaces && (
        <fieldset className="fieldset appointment-choice" aria-describedby={placeError ? 'book-place-error' : undefined}>
          <legend>{t('appointments.book.whereLegend')}</legend>
          <FieldProblem id="book-place-error" message={placeError} />
          {places.map((d) => (
            <div className="radio" key={d.id}>
              <input
                type="radio"
                id={whoIds.place(d.id)}
                name="book-place"
                checked={value.departmentId === d.id}
                onChange={() => choose({ departmentId: d.id })}
              />
              <label htmlFor={whoIds.place(d.id)} translate="no">
                {d.name}
              </label>
            </div>
          ))}
        </fieldset>
      )}
    </>
  );
}
