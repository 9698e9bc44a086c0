import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ProxyArea, ProxyLevel } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { inviteProxy, sharingKeys } from '../../api/sharing.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate } from '../../lib/format.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { TextField } from '../TextField.tsx';
import { areaChoices, areaLabel } from './sharing-text.ts';

/** Longest name the contract takes (proxyInvitationBody.name). */
const nameMaxLength = 100;

/** An address with something before and after one @, and a dot in the part after (the server checks it properly). */
function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/**
 * "Invite someone": their email, the name the patient knows them by, and what they may see (everything, or the areas
 * ticked). Problems show beside their field and in a summary; on success the form empties and says where it went.
 */
export function InviteForm({ patientId, onSent }: { patientId: string; onSent: (text: string) => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const baseId = useId();
  const ids = { email: `${baseId}-email`, name: `${baseId}-name`, areas: `${baseId}-area-${areaChoices[0]}` };
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [level, setLevel] = useState<ProxyLevel>('areas');
  const [areas, setAreas] = useState<ReadonlySet<ProxyArea>>(new Set());
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();

  function check(): FieldError[] {
    const problems: FieldError[] = [];
    if (!looksLikeEmail(email.trim())) problems.push({ id: ids.email, message: t('sharing.invite.emailRequired') });
    if (!name.trim()) problems.push({ id: ids.name, message: t('sharing.invite.nameRequired') });
    else if (name.trim().length > nameMaxLength)
      problems.push({ id: ids.name, message: t('sharing.invite.nameTooLong', { count: nameMaxLength }) });
    if (level === 'areas' && areas.size === 0) problems.push({ id: ids.areas, message: t('sharing.invite.areasRequired') });
    return problems;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const problems = check();
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const chosen = level === 'full' ? [] : areaChoices.filter((area) => areas.has(area));
      const { invitation } = await inviteProxy(patientId, { email: email.trim(), name: name.trim(), level, areas: chosen });
      await queryClient.invalidateQueries({ queryKey: sharingKeys.all(patientId) });
      errors.clear();
      setEmail('');
      setName('');
      setAreas(new Set());
      onSent(t('sharing.invite.sent', { email: invitation.email, date: formatDate(invitation.expiresAt) }));
    } catch (error) {
      const field = isApiError(error) ? error.field : undefined;
      const id = field === 'email' ? ids.email : field === 'name' ? ids.name : field === 'areas' ? ids.areas : null;
      if (id) errors.show([{ id, message: errorMessage(error) }]);
      else errors.show([], `${t('sharing.invite.failed')} ${errorMessage(error)}`);
    } finally {
      setPending(false);
    }
  }

  function toggle(area: ProxyArea, on: boolean) {
    const next = new Set(areas);
    if (on) next.add(area);
    else next.delete(area);
    setAreas(next);
  }

  const areasError = errors.errorFor(ids.areas);
  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      <TextField
        id={ids.email}
        label={t('sharing.invite.email')}
        type="email"
        autoComplete="off"
        spellCheck={false}
        value={email}
        onValueChange={setEmail}
        error={errors.errorFor(ids.email)}
      />
      <TextField
        id={ids.name}
        label={t('sharing.invite.name')}
        hint={t('sharing.invite.nameHint')}
        autoComplete="off"
        value={name}
        onValueChange={setName}
        error={errors.errorFor(ids.name)}
      />
      <fieldset className="fieldset">
        <legend>{t('sharing.invite.level')}</legend>
        <div className="radio">
          <input
            type="radio"
            id={`${baseId}-level-areas`}
            name={`${baseId}-level`}
            checked={level === 'areas'}
            onChange={() => setLevel('areas')}
          />
          <label htmlFor={`${baseId}-level-areas`}>{t('sharing.invite.levelAreas')}</label>
        </div>
        <div className="radio">
          <input
            type="radio"
            id={`${baseId}-level-full`}
            name={`${baseId}-level`}
            checked={level === 'full'}
            onChange={() => setLevel('full')}
            aria-describedby={`${baseId}-level-full-hint`}
          />
          <label htmlFor={`${baseId}-level-full`}>{t('sharing.invite.levelFull')}</label>
          <p className="field__hint" id={`${baseId}-level-full-hint`}>
            {t('sharing.invite.levelFullHint')}
          </p>
        </div>
      </fieldset>
      {level === 'areas' && (
        <fieldset className={areasError ? 'fieldset field--error' : 'fieldset'}>
          <legend>{t('sharing.invite.areas')}</legend>
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
                  checked={areas.has(area)}
                  onChange={(event) => toggle(area, event.target.checked)}
                  aria-invalid={areasError ? true : undefined}
                  aria-describedby={areasError ? `${baseId}-areas-error` : undefined}
                />
                <label htmlFor={id}>{areaLabel(t, area)}</label>
              </div>
            );
          })}
        </fieldset>
      )}
      <button type="submit" className="button" aria-disabled={pending}>
        {t('sharing.invite.submit')}
      </button>
      <p className="live-text" role="status">
        {pending ? t('sharing.invite.sending') : ''}
      </p>
    </form>
  );
}
