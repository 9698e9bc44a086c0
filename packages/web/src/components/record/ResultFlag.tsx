/** A result's flag as the API sends it: H high, L low, A abnormal, null in range or unknown. */
export type Flag = 'H' | 'L' | 'A' | null;

const flagParts = {
  H: { marker: '▲', word: 'High', className: 'flag flag--high' },
  L: { marker: '▼', word: 'Low', className: 'flag flag--low' },
  A: { marker: '◆', word: 'Abnormal', className: 'flag flag--abnormal' },
} as const;

/** A flag in words with a shape beside it; colour only repeats what the text says (WCAG 1.4.1). */
export function ResultFlag({ flag }: { flag: Flag }) {
  if (flag === null) {
    return (
      <>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">Not flagged</span>
      </>
    );
  }
  const { marker, word, className } = flagParts[flag];
  return (
    <span className={className}>
      <span aria-hidden="true">{marker} </span>
      {word}
    </span>
  );
}

/** A flag as a word for text and labels, e.g. in a chart's description; null when not flagged. */
export function flagWord(flag: Flag): string | null {
  return flag === null ? null : flagParts[flag].word;
}
