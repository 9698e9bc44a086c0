import { useState } from 'react';

/** Shows freshly issued recovery codes once, with a clear instruction to save them now. */
export function RecoveryCodes({ codes, onDone, doneLabel = 'Continue' }: { codes: string[]; onDone: () => void; doneLabel?: string }) {
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
          <strong>Save these recovery codes now.</strong> You will not see them again.
        </p>
        <p>
          Each code works once. Use one to sign in if you lose your phone or cannot use your authenticator app. Keep them somewhere safe,
          such as a password manager, or print them.
        </p>
      </div>
      <ol className="recovery-codes__list" aria-label="Recovery codes">
        {codes.map((code, index) => (
          <li key={`${index}-${code}`}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <button type="button" className="button button--secondary" onClick={() => void copy()}>
          Copy codes
        </button>
        <button type="button" className="button" onClick={onDone}>
          {doneLabel}
        </button>
      </div>
      <p className="live-text" role="status">
        {copied === 'yes' ? 'Codes copied.' : copied === 'failed' ? 'Could not copy; select the codes and copy them instead.' : ''}
      </p>
    </div>
  );
}
