import { useId, type ReactNode } from 'react';

/**
 * A record table that stacks into labelled lines on phones; its wrapper scrolls sideways when a wide table needs it,
 * so it is a named, focusable region a keyboard can scroll (like the home page's tables).
 */
export function RecordTable({ caption, children }: { caption: string; children: ReactNode }) {
  const captionId = useId();
  return (
    <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="table table--stack">
        <caption id={captionId} className="visually-hidden">
          {caption}
        </caption>
        {children}
      </table>
    </div>
  );
}
