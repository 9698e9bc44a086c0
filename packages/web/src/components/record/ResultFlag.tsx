import type { MessageId } from '@portico/shared/i18n';
import { useT } from '../../i18n/i18n-context.ts';
import type { Translate } from './record-text.ts';

/** A result's flag as the API sends it: H high, L low, A abnormal, null in range or unknown. */
export type Flag = 'H' | 'L' | 'A' | null;

const flagParts = {
  H: { marker: '▲', word: 'record.flag.high', className: 'flag flag--high' },
  L: { marker: '▼', word: 'record.flag.low', className: 'flag flag--low' },
  A: { marker: '◆', word: 'record.flag.abnormal', className: 'flag flag--abnormal' },
} as const satisfies Record<string, { marker: string; word: MessageId; className: string }>;

/** A flag in words with a shape beside it; colour only repeats what the text says (WCAG 1.4.1). */
export function ResultFlag({ flag }: { flag: Flag }) {
  const t = useT();
  if (flag === null) {
    return (
      <>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">{t('record.flag.none')}</span>
      </>
    );
  }
  const { marker, word, className } = flagParts[flag];
  return (
    <span className={className}>
      <span aria-hidden="true">{marker} </span>
      {t(word)}
    </span>
  );
}

/** A flag as a word for text and labels, e.g. in a chart's description; null when not flagged. */
export function flagWord(t: Translate, flag: Flag): string | null {
  return flag === null ? null : t(flagParts[flag].word);
}
