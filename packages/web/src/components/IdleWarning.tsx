import { useEffect, useId, useRef, useState } from 'react';
import { limits } from '@portico/shared';
import { getLastSuccessAt } from '../api/client.ts';
import { useT } from '../i18n/i18n-context.ts';
import { useSession } from '../session/session-context.ts';

/** What the countdown is running towards: inactivity (can be extended) or the absolute session limit (cannot). */
type Deadline = 'idle' | 'absolute';

/**
 * Watches the session's idle timer while signed in (one 1-second interval) and warns before it runs out.
 * The server restarts its idle timer on every authenticated call, so the deadline is the start of the last
 * successful call plus `idleTimeoutSeconds`; key presses and pointer presses ping GET /api/me at most
 * once a minute. At zero the session ends and every bit of patient data is dropped (SECURITY.md "Sessions").
 */
export function IdleWarning({ idleTimeoutSeconds }: { idleTimeoutSeconds: number }) {
  const { refresh, end, absoluteDeadline } = useSession();
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const [deadline, setDeadline] = useState<Deadline>('idle');
  const warningRef = useRef(false);
  const lastPingRef = useRef(0);
  const idleMs = idleTimeoutSeconds * 1000;
  const warnMs = Math.min(limits.idleWarningSeconds * 1000, idleMs / 2);
  // Short timeouts (test set-ups) need pings more often than once a minute to keep an active user signed in.
  const pingEveryMs = Math.min(60_000, idleMs / 4);

  useEffect(() => {
    let ended = false;
    const tick = () => {
      if (ended) return;
      const idleAt = getLastSuccessAt() + idleMs;
      const absoluteAt = absoluteDeadline();
      const remaining = Math.min(idleAt, absoluteAt) - Date.now();
      if (remaining <= 0) {
        ended = true;
        window.clearInterval(timer);
        void end(absoluteAt < idleAt ? 'expired' : 'idle');
        return;
      }
      warningRef.current = remaining <= warnMs;
      setSecondsLeft(warningRef.current ? Math.ceil(remaining / 1000) : null);
      setDeadline(absoluteAt < idleAt ? 'absolute' : 'idle');
    };
    const timer = window.setInterval(tick, 1000);
    tick();
    return () => window.clearInterval(timer);
  }, [idleMs, warnMs, absoluteDeadline, end]);

  useEffect(() => {
    const onActivity = () => {
      if (warningRef.current) return;
      const now = Date.now();
      if (now - Math.max(getLastSuccessAt(), lastPingRef.current) < pingEveryMs) return;
      lastPingRef.current = now;
      void refresh();
    };
    window.addEventListener('keydown', onActivity, true);
    window.addEventListener('pointerdown', onActivity, true);
    return () => {
      window.removeEventListener('keydown', onActivity, true);
      window.removeEventListener('pointerdown', onActivity, true);
    };
  }, [pingEveryMs, refresh]);

  if (secondsLeft === null) return null;
  return (
    <IdleDialog
      secondsLeft={secondsLeft}
      canStay={deadline === 'idle'}
      onStay={async () => {
        if (await refresh()) {
          warningRef.current = false;
          setSecondsLeft(null);
        }
      }}
      onSignOut={() => void end('signed-out')}
    />
  );
}

/** Props of the warning dialog. */
interface IdleDialogProps {
  secondsLeft: number;
  canStay: boolean;
  onStay: () => Promise<void>;
  onSignOut: () => void;
}

/** The modal warning: a native <dialog> shown with showModal(), so the page behind is inert and focus stays inside. */
function IdleDialog({ secondsLeft, canStay, onStay, onSignOut }: IdleDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const firstButtonRef = useRef<HTMLButtonElement>(null);
  const [staying, setStaying] = useState(false);
  const titleId = useId();
  const descriptionId = useId();
  const t = useT();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    firstButtonRef.current?.focus();
    return () => {
      dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  async function stay() {
    if (!canStay || staying) return;
    setStaying(true);
    try {
      await onStay();
    } finally {
      setStaying(false);
    }
  }

  return (
    <dialog
      ref={dialogRef}
      className="idle-dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          void stay();
        }
      }}
      onCancel={(event) => {
        event.preventDefault();
        void stay();
      }}
    >
      <h2 id={titleId} className="idle-dialog__title">
        {t(canStay ? 'auth.idle.stillThere' : 'auth.idle.ending')}
      </h2>
      <div id={descriptionId}>
        <p>{t('auth.idle.countdown', { seconds: secondsLeft })}</p>
        <p>{t(canStay ? 'auth.idle.idleExplain' : 'auth.idle.absoluteExplain')}</p>
      </div>
      <div className="button-row">
        {canStay && (
          <button type="button" className="button" ref={firstButtonRef} onClick={() => void stay()}>
            {t('auth.idle.stay')}
          </button>
        )}
        <button
          type="button"
          className={canStay ? 'button button--secondary' : 'button'}
          ref={canStay ? undefined : firstButtonRef}
          onClick={onSignOut}
        >
          {t('auth.signOut')}
        </button>
      </div>
    </dialog>
  );
}
