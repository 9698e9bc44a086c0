import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { nonPcpRequestDeciders, teenAccountAges, type NonPcpRequestDecider, type PortalRules, type TeenAccountAge } from '@portico/shared';
import { errorMessage } from '../../api/client.ts';
import { portalRulesKey, savePortalRules } from '../../api/portal-rules.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';

const ids = {
  age: (age: TeenAccountAge) => `portal-rules-age-${age}`,
  ageHint: 'portal-rules-age-hint',
  nurses: 'portal-rules-nurses',
  nonPcp: (decider: NonPcpRequestDecider) => `portal-rules-non-pcp-${decider}`,
  nonPcpHint: 'portal-rules-non-pcp-hint',
};

/**
 * The organization's portal rules (issue 11 §1, issue 12 §2): from what age a patient may open their own account (12 or
 * 13), whether nurses mark patients arrived, and who decides outside providers' non-PCP requests. All are saved
 * together; the page says when they are saved, or why not.
 */
export function PortalRulesForm({ rules }: { rules: PortalRules }) {
  const t = useT();
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [draft, setDraft] = useState<PortalRules>(rules);
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);

  function change(next: Partial<PortalRules>) {
    setSaved(false);
    setDraft((current) => ({ ...current, ...next }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    setSaved(false);
    setPending(true);
    try {
      const answer = await savePortalRules(draft);
      queryClient.setQueryData(portalRulesKey, answer);
      setDraft(answer);
      errors.clear();
      setSaved(true);
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      {saved && <StatusMessage tone="success">{t('admin.portalRules.saved')}</StatusMessage>}
      <fieldset className="fieldset" aria-describedby={ids.ageHint}>
        <legend>{t('admin.portalRules.age.legend')}</legend>
        <p className="field__hint" id={ids.ageHint}>
          {t('admin.portalRules.age.hint')}
        </p>
        {teenAccountAges.map((age) => (
          <div className="radio" key={age}>
            <input
              type="radio"
              id={ids.age(age)}
              name="teen-account-age"
              checked={draft.teenAccountAge === age}
              onChange={() => change({ teenAccountAge: age })}
            />
            <label htmlFor={ids.age(age)}>{t('admin.portalRules.age.option', { age })}</label>
          </div>
        ))}
      </fieldset>
      <div className="checkbox">
        <input
          type="checkbox"
          id={ids.nurses}
          checked={draft.nursesMarkArrival}
          onChange={(event) => change({ nursesMarkArrival: event.target.checked })}
          aria-describedby={`${ids.nurses}-hint`}
        />
        <label htmlFor={ids.nurses}>{t('admin.portalRules.nurses.label')}</label>
        <p className="field__hint checkbox__hint" id={`${ids.nurses}-hint`}>
          {t('admin.portalRules.nurses.hint')}
        </p>
      </div>
      <fieldset className="fieldset" aria-describedby={ids.nonPcpHint}>
        <legend>{t('admin.portalRules.nonPcp.legend')}</legend>
        <p className="field__hint" id={ids.nonPcpHint}>
          {t('admin.portalRules.nonPcp.hint')}
        </p>
        {nonPcpRequestDeciders.map((decider) => (
          <div className="radio" key={decider}>
            <input
              type="radio"
              id={ids.nonPcp(decider)}
              name="non-pcp-requests-to"
              checked={draft.nonPcpRequestsTo === decider}
              onChange={() => change({ nonPcpRequestsTo: decider })}
            />
            <label htmlFor={ids.nonPcp(decider)}>{t(`admin.portalRules.nonPcp.${decider}`)}</label>
          </div>
        ))}
      </fieldset>
      <button type="submit" className="button" disabled={pending}>
        {pending ? t('admin.portalRules.saving') : t('admin.portalRules.save')}
      </button>
    </form>
  );
}
