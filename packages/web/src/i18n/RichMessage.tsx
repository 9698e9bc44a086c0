import { Fragment, type ReactNode } from 'react';
import type { MessageId, MessageValues } from '@portico/shared/i18n';
import { useT } from './i18n-context.ts';

/** Marks where an element goes in a formatted message: private-use characters no message or value contains. */
const markerPattern = /\uE000([A-Za-z]+)\uE001/;

/** Props of a message with elements in it. */
interface RichMessageProps {
  id: MessageId;
  /** Plain placeholder values, as t takes them. */
  values?: MessageValues;
  /** Placeholders filled with elements: a link, or a name that is data (in a translate="no" span). */
  parts: Record<string, ReactNode>;
}

/**
 * A catalogue message with elements in it: each placeholder named in `parts` is replaced by its element, wherever the
 * translation puts it in the sentence, so a sentence is never cut into pieces for translators.
 */
export function RichMessage({ id, values, parts }: RichMessageProps) {
  const t = useT();
  const markers = Object.fromEntries(Object.keys(parts).map((name) => [name, `\uE000${name}\uE001`]));
  const pieces = t(id, { ...values, ...markers }).split(markerPattern);
  return (
    <>
      {pieces.map((piece, index) => (
        <Fragment key={index}>{index % 2 === 1 ? parts[piece] : piece}</Fragment>
      ))}
    </>
  );
}
