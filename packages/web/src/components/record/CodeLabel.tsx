import { useT } from '../../i18n/i18n-context.ts';
import { codeMessage, codeToWords, type CodeWords } from './record-text.ts';

/** Props of a code in words. */
interface CodeLabelProps {
  words: CodeWords;
  code: string;
  /** Show an unknown code exactly as the record wrote it, rather than as a sentence-case word. */
  asWritten?: boolean;
}

/**
 * A FHIR code in the catalogue's words for the page's language. A code the catalogue does not know is shown as the
 * record wrote it (as a word, codeToWords), marked translate="no": it is the record's text, not the app's.
 */
export function CodeLabel({ words, code, asWritten = false }: CodeLabelProps) {
  const t = useT();
  const id = codeMessage(words, code);
  return id ? <>{t(id)}</> : <span translate="no">{asWritten ? code : codeToWords(code)}</span>;
}
