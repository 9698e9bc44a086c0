import { useState } from 'react';
import { useT } from '../i18n/i18n-context.ts';

/** Shows freshly issued recovery codes once, with a clear instruction to save them now. */
export function RecoveryCodes({ codes, onDone, doneLabel }: { codes: string[]; onDone: () => void; doneLabel?: string }) {
  const t = useT();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <div className="recovery-codes">
      <div className="notice notice--warning">
        <p>
          <strong>{t('auth.recoveryCodes.saveNow')}</strong> {t('auth.recoveryCodes.notAgain')}
        </p>
        <p>{t('auth.recoveryCodes.explain')}</p>
      </div>
      <ol className="recovery-codes__list" aria-label={t('auth.recoveryCodes.listLabel')}>
        {codes.map((code, index) => (
          <li key={`${index}-${code}`}>
            <code translate="no">{code}</code>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <button type="button" className="button button--secondary" onClick={() => void copy()}>
          {t('auth.recoveryCodes.copy')}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {doneLabel ?? t('common.continue')}
        </button>
      </div>
      <p className="live-text" role="status">
        {copied === 'yes' ? t('auth.recoveryCodes.copied') : copied === 'failed' ? t('auth.recoveryCodes.copyFailed') : ''}
      </p>
    </div>
  );
}
