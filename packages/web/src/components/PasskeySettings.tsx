import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { limits, type PasskeyView } from '@portico/shared';
import { listPasskeys, passkeyRegistrationOptions, registerPasskey, removePasskey } from '../api/auth.ts';
import { errorMessage, isApiError } from '../api/client.ts';
import { useFormErrors } from '../hooks/use-form-errors.ts';
import { useT } from '../i18n/i18n-context.ts';
import { formatDateTime } from '../lib/format.ts';
import { useSignedInUser } from '../session/session-context.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { PasswordConfirmForm } from './PasswordConfirmForm.tsx';
import { StatusMessage } from './StatusMessage.tsx';
import { TextField } from './TextField.tsx';

const passkeysKey = ['auth', 'passkeys'] as const;

type Mode = { kind: 'list' } | { kind: 'add' } | { kind: 'remove'; passkey: PasskeyView };

/** Passkeys as a second factor: list, add (name, password, the browser's ceremony) and remove (password). */
export function PasskeySettings() {
  const user = useSignedInUser();
  const t = useT();
  const passkeys = useQuery({ queryKey: passkeysKey, queryFn: listPasskeys, enabled: user.mfaEnrolled });
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [notice, setNotice] = useState<string | null>(null);
  const regionRef = useRef<HTMLDivElement>(null);
  const changed = useRef(false);

  // Each step replaces the buttons that opened it, so keep keyboard focus in this section.
  useEffect(() => {
    if (!changed.current) return;
    const region = regionRef.current;
    (region?.querySelector('input') ?? region?.querySelector('button'))?.focus();
  }, [mode.kind]);

  function go(next: Mode, message: string | null = null) {
    changed.current = true;
    setNotice(message);
    setMode(next);
  }

  if (!user.mfaEnrolled) return <p>{t('account.passkeys.needsMfa')}</p>;
  if (!browserSupportsWebAuthn()) return <p>{t('account.passkeys.unsupported')}</p>;

  return (
    <div ref={regionRef}>
      <p>{t('account.passkeys.intro')}</p>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {passkeys.isError && <p className="field__error">{t('account.passkeys.loadFailed')}</p>}
      {passkeys.data && passkeys.data.length === 0 && <p>{t('account.passkeys.none')}</p>}
      {passkeys.data && passkeys.data.length > 0 && (
        <ul className="session-list" aria-label={t('account.passkeys.listLabel')}>
          {passkeys.data.map((passkey) => (
            <li key={passkey.id} className="session-list__item">
              <p className="session-list__device">{passkey.name}</p>
              <p className="session-list__meta">
                {t('account.passkeys.added', { date: formatDateTime(passkey.createdAt) })}.{' '}
                {passkey.lastUsedAt
                  ? t('account.passkeys.lastUsed', { date: formatDateTime(passkey.lastUsedAt) })
                  : t('account.passkeys.neverUsed')}
              </p>
              {mode.kind === 'list' && (
                <button type="button" className="button button--secondary button--small" onClick={() => go({ kind: 'remove', passkey })}>
                  {t('account.passkeys.remove', { name: passkey.name })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {mode.kind === 'list' && (passkeys.data?.length ?? 0) < limits.passkeysPerUser && (
        <button type="button" className="button" onClick={() => go({ kind: 'add' })}>
          {t('account.passkeys.add')}
        </button>
      )}
      {mode.kind === 'add' && (
        <AddPasskeyForm
          onAdded={async (name) => {
            await passkeys.refetch();
            go({ kind: 'list' }, t('account.passkeys.nowAdded', { name }));
          }}
          onCancel={() => go({ kind: 'list' })}
        />
      )}
      {mode.kind === 'remove' && (
        <PasswordConfirmForm
          id="passkey-remove-password"
          intro={t('account.passkeys.removeIntro', { name: mode.passkey.name })}
          submitLabel={t('account.passkeys.removeSubmit')}
          onConfirm={async (password) => {
            await removePasskey(mode.passkey.id, password);
            await passkeys.refetch();
            go({ kind: 'list' }, t('account.passkeys.nowRemoved'));
          }}
          onCancel={() => go({ kind: 'list' })}
        />
      )}
    </div>
  );
}

/** Name and password, then the browser creates the passkey and the server verifies and stores it. */
function AddPasskeyForm({ onAdded, onCancel }: { onAdded: (name: string) => Promise<void>; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const t = useT();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    const problems = [];
    if (trimmed === '') problems.push({ id: 'passkey-name', message: t('account.passkeys.nameRequired') });
    if (password === '') problems.push({ id: 'passkey-password', message: t('auth.passwordRequired') });
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const options = await passkeyRegistrationOptions(password);
      let response;
      try {
        response = await startRegistration({ optionsJSON: options });
      } catch {
        errors.show([], t('account.passkeys.cancelled'));
        setPending(false);
        return;
      }
      await registerPasskey(trimmed, response);
      await onAdded(trimmed);
    } catch (error) {
      if (isApiError(error, 'invalid_credentials')) errors.show([{ id: 'passkey-password', message: errorMessage(error) }]);
      else errors.show([], errorMessage(error));
      setPending(false);
    }
  }

  return (
    <form className="form form--inset" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      <p>{t('account.passkeys.addIntro')}</p>
      <TextField
        id="passkey-name"
        label={t('account.passkeys.name')}
        hint={t('account.passkeys.nameHint')}
        value={name}
        onValueChange={setName}
        error={errors.errorFor('passkey-name')}
        maxLength={limits.passkeyNameMaxLength}
        autoComplete="off"
        required
      />
      <TextField
        id="passkey-password"
        label={t('auth.password')}
        type="password"
        value={password}
        onValueChange={setPassword}
        error={errors.errorFor('passkey-password')}
        autoComplete="current-password"
        required
      />
      {pending && <StatusMessage>{t('auth.mfa.passkeyWaiting')}</StatusMessage>}
      <div className="button-row">
        <button type="submit" className="button" disabled={pending}>
          {t('account.passkeys.addSubmit')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
