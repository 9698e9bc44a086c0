import type { ReactNode } from 'react';

/** A polite live region for good news and notices (role="status"); errors use ErrorSummary instead. */
export function StatusMessage({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'success' }) {
  return (
    <div className={`notice notice--${tone}`} role="status">
      {children}
    </div>
  );
}
